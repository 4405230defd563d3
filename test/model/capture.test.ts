import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCapture, parseRecord, readCapture, captureRecordValidator } from '../../src/model/capture.js';
import { UserError } from '../../src/errors.js';
import { makeExchange, makeHeader, makeTrailer, toJsonl } from '../helpers/exchanges.js';

const good = [makeHeader(), makeExchange({ seq: 2 }), makeExchange({ seq: 1 }), makeTrailer(2)];

describe('parseCapture', () => {
  it('reads header, exchanges sorted by seq, and trailer', () => {
    const c = parseCapture(toJsonl(good), 'x.jsonl');
    expect(c.header.argv).toEqual(['openstack', 'image', 'list']);
    expect(c.exchanges.map((e) => e.seq)).toEqual([1, 2]);
    expect(c.trailer?.exchangeCount).toBe(2);
    expect(c.warnings).toEqual([]);
  });

  it('names file:line for a malformed line in the middle', () => {
    const text = toJsonl(good).split('\n');
    text[1] = '{"type":"exchange",';
    expect(() => parseCapture(text.join('\n'), 'cap.jsonl')).toThrow(/^cap\.jsonl:2: not valid JSON/);
  });

  it('turns a truncated last line (killed recorder) into a warning', () => {
    const text = toJsonl(good.slice(0, 3)) + JSON.stringify(makeExchange({ seq: 3 })).slice(0, 40);
    const c = parseCapture(text, 'cap.jsonl');
    expect(c.exchanges).toHaveLength(2);
    expect(c.trailer).toBeNull();
    expect(c.warnings[0]).toMatch(/^cap\.jsonl:4: incomplete last line ignored/);
  });

  it('rejects an unknown format version naming found and supported versions', () => {
    const text = toJsonl([{ ...makeHeader(), formatVersion: 9 }]);
    expect(() => parseCapture(text, 'v9.jsonl')).toThrow(/v9\.jsonl:1: unknown capture format version 9 \(this flowscribe reads version 1\)/);
  });

  it('rejects a record that does not match the schema, naming its type and the field', () => {
    const bad = { ...makeExchange({ seq: 1 }), state: 'completed', response: null };
    const text = toJsonl([makeHeader(), bad, makeTrailer(1)]);
    expect(() => parseCapture(text, 'b.jsonl')).toThrow(/^b\.jsonl:2: exchange record does not match the capture schema \(\/response must be object\)$/);
    const { state: _state, ...stateless } = makeExchange({ seq: 1 });
    const noState = toJsonl([makeHeader(), stateless, makeTrailer(1)]);
    // Not the header branch's complaint (`must have required property 'formatVersion'`).
    expect(() => parseCapture(noState, 'b.jsonl')).toThrow(/^b\.jsonl:2: exchange record does not match the capture schema \(\/ must have required property 'state'\)$/);
    // A bad source is explained by the branch its kind names, not by the first branch (a listener's `label`).
    const badPid = { ...makeExchange({ seq: 1 }), source: { kind: 'process', isClient: true, pid: 'x', comm: 'curl', cmdline: [] } };
    expect(() => parseCapture(toJsonl([makeHeader(), badPid]), 's.jsonl')).toThrow(/^s\.jsonl:2: exchange record does not match the capture schema \(\/source\/pid must be integer\)$/);
    const noKind = { ...makeExchange({ seq: 1 }), source: { label: 'glance-api' } };
    expect(() => parseCapture(toJsonl([makeHeader(), noKind]), 's.jsonl')).toThrow(/\(\/source must have required property 'kind'\)$/);
    const otherKind = { ...makeExchange({ seq: 1 }), source: { kind: 'socket' } };
    expect(() => parseCapture(toJsonl([makeHeader(), otherKind]), 's.jsonl')).toThrow(/\(\/source value of tag "kind" must be in oneOf\)$/);
    expect(() => parseCapture(toJsonl([makeHeader(), { ...makeTrailer(1), exit: { kind: 'x' } }]), 't.jsonl')).toThrow(/^t\.jsonl:2: trailer record does not match/);
    expect(() => parseCapture(toJsonl([makeHeader(), { type: 'exchang' }]), 'u.jsonl')).toThrow(/^u\.jsonl:2: not a capture record \("type" "exchang"; expected "header", "exchange" or "trailer"\)$/);
  });

  it('a complete (newline-terminated) bad last line is an error; only a cut one is a killed recorder', () => {
    const head = toJsonl(good.slice(0, 3));
    const cut = JSON.stringify(makeExchange({ seq: 3 })).slice(0, 40);
    expect(() => parseCapture(`${head}${cut}\n`, 'c.jsonl')).toThrow(/^c\.jsonl:4: not valid JSON/);
    expect(parseCapture(`${head}${cut}`, 'c.jsonl').warnings[0]).toMatch(/^c\.jsonl:4: incomplete last line ignored/);
    // Valid JSON that the schema rejects is never a cut line, terminated or not.
    const invalid = JSON.stringify({ ...makeExchange({ seq: 3 }), seq: 0 });
    expect(() => parseCapture(`${head}${invalid}`, 'c.jsonl')).toThrow(/^c\.jsonl:4: exchange record does not match/);
    expect(() => parseCapture(`${head}${invalid}\n`, 'c.jsonl')).toThrow(/^c\.jsonl:4: exchange record does not match/);
  });

  it('validates each record against its own type, accepting and rejecting exactly as the whole schema does', () => {
    const validate = captureRecordValidator();
    const exchange = makeExchange({ seq: 1 });
    const records: unknown[] = [
      ...good, { ...exchange, seq: 0 }, { ...exchange, extra: 1 }, { ...exchange, type: 'exchang' }, { ...exchange, state: 'failed' },
      { ...makeHeader(), cwd: 3 }, { ...makeTrailer(1), exit: { kind: 'x' } }, { type: 'trailer' }, 5, null,
    ];
    for (const r of records) {
      const thrown = (() => { try { parseRecord(JSON.stringify(r), 'x:1'); return null; } catch (err) { return (err as Error).message; } })();
      const type = (r as { type?: string } | null)?.type;
      if (validate(r)) expect(thrown, JSON.stringify(r)).toBeNull();
      else if (type === 'header' || type === 'exchange' || type === 'trailer') expect(thrown, JSON.stringify(r)).toMatch(new RegExp(`^x:1: ${type} record does not match the capture schema \\(`));
      else expect(thrown, JSON.stringify(r)).toMatch(/^x:1: not a capture record/);
    }
  });

  it('rejects an empty file and a file not starting with a header', () => {
    expect(() => parseCapture('', 'e.jsonl')).toThrow(UserError);
    expect(() => parseCapture(toJsonl([makeExchange({ seq: 1 })]), 'n.jsonl')).toThrow(/n\.jsonl:1: expected the capture header first/);
  });

  it('rejects duplicate seq numbers', () => {
    expect(() => parseCapture(toJsonl([makeHeader(), makeExchange({ seq: 1 }), makeExchange({ seq: 1 })]), 'd.jsonl')).toThrow(/seq 1 appears twice/);
  });
});

describe('readCapture', () => {
  it('reads a file and reports a missing one clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-cap-'));
    const file = join(dir, 'c.jsonl');
    writeFileSync(file, toJsonl(good));
    expect((await readCapture(file)).exchanges).toHaveLength(2);
    await expect(readCapture(join(dir, 'missing.jsonl'))).rejects.toThrow(/missing\.jsonl: cannot read capture \(ENOENT\)/);
    await expect(readCapture(dir)).rejects.toThrow(/: is a directory, not a capture file$/);
  });

  it('tells a cut last line (warning) from a complete bad one (error) in a file too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-cap-'));
    const cut = JSON.stringify(makeExchange({ seq: 3 })).slice(0, 40);
    writeFileSync(join(dir, 'cut.jsonl'), toJsonl(good.slice(0, 3)) + cut);
    writeFileSync(join(dir, 'whole.jsonl'), `${toJsonl(good.slice(0, 3))}${cut}\n`);
    expect((await readCapture(join(dir, 'cut.jsonl'))).warnings[0]).toMatch(/cut\.jsonl:4: incomplete last line ignored/);
    await expect(readCapture(join(dir, 'whole.jsonl'))).rejects.toThrow(/whole\.jsonl:4: not valid JSON/);
  });

  it('the factories produce schema-valid records', () => {
    const validate = captureRecordValidator();
    for (const r of good) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
  });
});
