import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/flowscribe-cli.js';

describe('flowscribe (the yargs root)', () => {
  it('an unknown flag is one stderr line naming it, exit 2', async () => {
    const r = await runCli(['render', 'x.jsonl', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('flowscribe: Unknown argument: bogus (see flowscribe --help)\n');
  });

  it('no command is one stderr line listing the commands, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/name a command: record, proxy, ca, render, site, playbook, diff, export, import or merge/);
  });

  it('a runtime error is one stderr line naming the path, exit 1; --debug adds the stack', async () => {
    const path = '/proc/self/status/not-a-dir/x.jsonl';
    const r = await runCli(['render', path]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(path);
    const debug = await runCli(['render', path, '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
