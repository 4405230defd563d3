/**
 * The one error type for failures a user can fix. Its message says what and where
 * (`captures/x.jsonl:17: not valid JSON`, `--port 80: address in use`); `hint` says what to do.
 * Only `cli/main.ts` prints it (one line, no stack) and chooses the exit code.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** Exit code: 2 for usage errors (bad flags), 1 for runtime failures. */
    readonly exitCode: 1 | 2 = 1,
    /** An optional second line telling the user what to do. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Exit code for "the command to run was not found" (as a shell does). */
export const EXIT_COMMAND_NOT_FOUND = 127;
