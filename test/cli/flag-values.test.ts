import { describe, expect, it } from 'vitest';
import { parseListens, parsePort, parseSize } from '../../src/cli/flag-values.js';
import { UserError } from '../../src/errors.js';

describe('parseSize', () => {
  it.each([
    ['1048576', 1048576],
    ['512k', 512 * 1024],
    ['512K', 512 * 1024],
    ['512KiB', 512 * 1024],
    ['512kb', 512 * 1024],
    ['1MiB', 1024 * 1024],
    ['1.5M', 1.5 * 1024 * 1024],
    ['2g', 2 * 1024 ** 3],
    ['0', 0],
    ['100B', 100],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize('--body-limit', text)).toBe(bytes);
  });

  it.each(['', 'lots', '-1', '1XB', '1 MiB extra', '1e3'])('rejects %j naming the flag (exit 2)', (text) => {
    expect(() => parseSize('--body-limit', text)).toThrow(new UserError(`--body-limit ${text}: not a size (bytes, or a number with k, M or G: 512k, 1MiB)`, 2));
    try {
      parseSize('--body-limit', text);
    } catch (err) {
      expect((err as UserError).exitCode).toBe(2);
    }
  });
});

describe('parsePort and parseListens', () => {
  it('accepts 0-65535', () => {
    expect(parsePort('--port', '0')).toBe(0);
    expect(parsePort('--port', '65535')).toBe(65535);
    expect(() => parsePort('--port', '65536')).toThrow('--port 65536: not a port');
    expect(() => parsePort('--port', '1.5')).toThrow('--port 1.5: not a port');
  });

  it('parses NAME=PORT listeners and rejects clashes and the reserved name', () => {
    expect(parseListens([{ flag: '--listen', value: 'glance-api=9400' }, { flag: '--service', value: 'swift=0' }, { flag: '--listen', value: 'k=0' }])).toEqual([
      { label: 'glance-api', port: 9400 },
      { label: 'swift', port: 0 },
      { label: 'k', port: 0 },
    ]);
    expect(() => parseListens([{ flag: '--listen', value: 'default=1' }])).toThrow('--listen default=1: expected NAME=PORT');
    expect(() => parseListens([{ flag: '--listen', value: '=1' }])).toThrow('--listen =1: expected NAME=PORT');
    expect(() => parseListens([{ flag: '--listen', value: 'a b=1' }])).toThrow('--listen a b=1: expected NAME=PORT');
    expect(() =>
      parseListens([
        { flag: '--listen', value: 'a=1' },
        { flag: '--listen', value: 'a=2' },
      ]),
    ).toThrow('--listen a=2: clashes with --listen a=1 (same name or port)');
  });
});
