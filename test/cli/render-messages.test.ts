/**
 * `flowscribe render`'s messages for bad input, through the built bin: one line naming what and
 * where, a non-zero exit, and no page written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/flowscribe-cli.js';
import { makeExchange, makeHeader, makeTrailer, toJsonl } from '../helpers/exchanges.js';

const dir = mkdtempSync(join(tmpdir(), 'flowscribe-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (r: CliResult): string[] => r.stderr.split('\n').filter(Boolean);

async function render(name: string, text: string | null): Promise<{ r: CliResult; page: string }> {
  const capture = name === '' ? dir : join(dir, name);
  if (text !== null) writeFileSync(capture, text);
  const page = join(dir, `${name}.md`);
  return { r: await runCli(['render', capture, '-o', page]), page };
}

const start = toJsonl([makeHeader(), makeExchange({ seq: 1 })]);
const cut = JSON.stringify(makeExchange({ seq: 2 })).slice(0, 60);

describe('flowscribe render: messages', () => {
  it('names the record type whose schema check failed, not the header branch', async () => {
    const { state: _state, ...stateless } = makeExchange({ seq: 2 });
    const { r, page } = await render('stateless.jsonl', toJsonl([makeHeader(), stateless, makeTrailer(1)]));
    expect(r.code).toBe(1);
    expect(lines(r)).toEqual([`flowscribe: ${dir}/stateless.jsonl:2: exchange record does not match the capture schema (/ must have required property 'state')`]);
    expect(r.stderr).not.toMatch(/formatVersion/);
    expect(existsSync(page)).toBe(false);
  });

  it('a complete but invalid last line is an error', async () => {
    const { r, page } = await render('complete-bad.jsonl', `${start}${cut}\n`);
    expect(r.code).toBe(1);
    expect(lines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/complete-bad\.jsonl:3: not valid JSON/);
    expect(r.stderr).not.toMatch(/probably killed/);
    expect(existsSync(page)).toBe(false);
  });

  it('a schema-invalid last line is an error even without its newline', async () => {
    const { r } = await render('last-invalid.jsonl', `${start}${JSON.stringify({ ...makeTrailer(1), exit: { kind: 'x' } })}`);
    expect(r.code).toBe(1);
    expect(lines(r)).toEqual([expect.stringMatching(/last-invalid\.jsonl:3: trailer record does not match the capture schema/)]);
  });

  it('only a cut last line is "probably killed" (a warning; the page is written)', async () => {
    const { r, page } = await render('cut.jsonl', `${start}${cut}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*cut\.jsonl:3: incomplete last line ignored \(the recorder was probably killed\)/);
    expect(readFileSync(page, 'utf8')).toContain('### (1) GET ');
  });

  it('render DIR says it is a directory', async () => {
    const { r } = await render("", null);
    expect(r.code).toBe(2);
    expect(lines(r)).toEqual([`flowscribe: ${dir}: is a directory, not a capture file (name one .jsonl in it, or run flowscribe site)`]);
  });
});
