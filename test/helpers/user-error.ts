/** Asserting that a call fails with a UserError: its message and its exit code. */
import { expect } from 'vitest';
import { UserError } from '../../src/errors.js';

export function expectUserError(run: () => unknown, message: RegExp, exitCode: 1 | 2): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UserError);
  expect((caught as UserError).message).toMatch(message);
  expect((caught as UserError).exitCode).toBe(exitCode);
}
