/** Bad HAR: one line naming the file (and the entry), a non-zero exit, no capture written. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { MAX_ENTRY_BYTES, parseHar } from '../../src/model/har-import.js';
import { toHar } from '../../src/render/har.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { IMAGE_CREATE } from '../helpers/interchange-captures.js';
import { expectUserError } from '../helpers/user-error.js';

const options = { flowscribeVersion: '0.0.0-test' };
let work: string;
let good: ReturnType<typeof toHar>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-bad-har-'));
  good = toHar(await readCapture(IMAGE_CREATE), { secrets: 'mask', version: '0.0.0-test' });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The whole message, as a RegExp. */
const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

function withEntry(i: number, change: (entry: Record<string, unknown>) => void): string {
  const har = structuredClone(good) as unknown as { log: { entries: Array<Record<string, unknown>> } };
  const entry = har.log.entries[i];
  if (!entry) throw new Error(`no entry ${i}`);
  change(entry);
  return JSON.stringify(har);
}

describe('parseHar refuses bad HAR with a message naming the file and the entry', () => {
  it('not JSON', () => {
    expectUserError(() => parseHar('{"log": ', 'x.har', options), /^x\.har: not valid JSON \(/, 1);
  });

  it('not a HAR, or a HAR of another version', () => {
    expectUserError(() => parseHar('{"entries": []}', 'x.har', options), exactly('x.har: not a HAR file (no "log" object)'), 1);
    expectUserError(() => parseHar(JSON.stringify({ log: { ...good.log, version: '2.0' } }), 'x.har', options), exactly('x.har: unsupported HAR version "2.0" (flowscribe reads 1.1 and 1.2)'), 1);
  });

  it('an entry missing a field the HAR schema requires', () => {
    const text = withEntry(3, (e) => delete (e['request'] as Record<string, unknown>)['method']);
    expectUserError(() => parseHar(text, 'x.har', options), exactly("x.har: log.entries[3]: not a HAR 1.2 entry (/request must have required property 'method')"), 1);
  });

  it('an entry that cannot become a capture exchange (a header without a name)', () => {
    const text = withEntry(5, (e) => ((e['request'] as { headers: unknown[] }).headers = [{ name: '', value: 'x' }]));
    expectUserError(() => parseHar(text, 'x.har', options), /^x\.har: log\.entries\[5\]: does not match the capture schema \(\/request\/headers\/0\/0 /, 1);
  });

  it('a 50 MB entry', () => {
    const text = withEntry(7, (e) => ((e['response'] as { content: { text: string } }).content.text = 'x'.repeat(50 * 1024 * 1024)));
    expectUserError(() => parseHar(text, 'x.har', options), new RegExp(`^x\\.har: log\\.entries\\[7\\]: \\d+ bytes, over the ${MAX_ENTRY_BYTES / 1024 / 1024} MiB a HAR entry may hold$`), 1);
  });
});

describe('flowscribe import / render of a bad HAR', () => {
  it('exits 1 with one stderr line and writes nothing', async () => {
    const bad = join(work, 'bad.har');
    writeFileSync(bad, withEntry(2, (e) => delete e['timings']));
    const out = join(work, 'bad.jsonl');
    for (const args of [['import', bad, '-o', out], ['render', bad, '-o', join(work, 'bad.md')]]) {
      const result = await runCli(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`flowscribe: ${bad}: log.entries[2]: not a HAR 1.2 entry (/ must have required property 'timings')\n`);
    }
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(work, 'bad.md'))).toBe(false);
  });

  it('import refuses a file that is not .har (exit 2)', async () => {
    const result = await runCli(['import', IMAGE_CREATE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`flowscribe: import ${IMAGE_CREATE}: not a .har file (captures need no import)\n`);
  });
});
