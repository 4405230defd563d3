/**
 * `record`'s and `proxy`'s fast paths against yargs: for every argument list they accept, they must
 * hand the command what yargs (configured as `main.ts` configures it) would; everything else they
 * must leave to yargs.
 */
import { describe, expect, it } from 'vitest';
import { quickProxyArgs, quickRecordArgs } from '../../src/cli/quick-record.js';
import { RECORDER_OPTIONS, recorderFlags } from '../../src/cli/recorder-flags.js';
import { parsedByYargs } from '../helpers/yargs-parse.js';

const READ_BY_RECORD = [...Object.keys(RECORDER_OPTIONS), 'debug', '--', 'words'];

/** What `record` reads of yargs' parse of `args`, or the usage error yargs reports. */
function viaYargs(args: string[]): Record<string, unknown> {
  const parsed = parsedByYargs(args, 'record [words..]', (y) => recorderFlags(y));
  return Object.fromEntries(READ_BY_RECORD.filter((k) => parsed[k] !== undefined).map((k) => [k, parsed[k]]).concat('error' in parsed ? [['error', parsed.error]] : []));
}

function viaQuick(args: string[]): Record<string, unknown> | null {
  const quick = quickRecordArgs(args) as Record<string, unknown> | null;
  return quick && Object.fromEntries(READ_BY_RECORD.filter((k) => quick[k] !== undefined).map((k) => [k, quick[k]]));
}

const PLAIN: string[][] = [
  ['record', '--', 'true'],
  ['record', '-o', 'c.jsonl', '--', 'echo', '1.50', '0x10', '-5', '--port', '3'],
  ['record', '--output=c.jsonl', '--port', '8080', '--host=0.0.0.0', '--', 'curl', '-s', 'http://x/'],
  ['record', '--listen', 'glance=9292', '--service=keystone=5000', '--listen', 'swift=8080', '--', 'openstack', 'image', 'list'],
  ['record', '--upstream-ca', 'a.pem', '--upstream-ca=b.pem', '--insecure-upstream', '--debug', '--', 'x'],
  ['record', '--body-limit', '1MiB', '--bodies-dir', 'b', '--ca-dir', 'ca', '--upstream-timeout', '30', '--connect-timeout', '5', '--', 'x'],
  ['record', '-o', 'c.jsonl'],
  ['record', '--', 'sh', '-c', 'echo "--port 3"', '--', '--help'],
];

/** Forms the fast path leaves to yargs: help, errors, repeats, yargs' own spellings. */
const LEFT_TO_YARGS: string[][] = [
  ['record', '--help', '--', 'x'],
  ['record', 'openstack', 'image', 'list'],
  ['record', '--bogus', '--', 'x'],
  ['record', '--port', '1', '--port', '2', '--', 'x'],
  ['record', '--listen', 'a=0', 'b=0', '--', 'x'],
  ['record', '--port', '--', 'x'],
  ['record', '--port=', '--', 'x'],
  ['record', '--insecure-upstream=false', '--', 'x'],
  ['record', '--no-insecure-upstream', '--', 'x'],
  ['record', '--bodyLimit', '1k', '--', 'x'],
  ['record', '-o', '-', '--', 'x'],
  ['--debug', 'record', '--', 'x'],
  ['render', 'c.jsonl'],
];

describe('quickRecordArgs', () => {
  it.each(PLAIN.map((a) => [a]))('hands record what yargs would: %j', (args) => {
    const quick = viaQuick(args);
    expect(quick).not.toBeNull();
    expect(quick).toEqual(viaYargs(args));
  });

  it.each(LEFT_TO_YARGS.map((a) => [a]))('leaves %j to yargs', (args) => {
    expect(quickRecordArgs(args)).toBeNull();
  });

  it('yargs keeps the words after -- as typed too (no number parsing)', () => {
    expect(viaYargs(['record', '--listen', 'a=0', 'b=0', '--', 'echo', '1.50', '0x10', '007'])['--']).toEqual(['echo', '1.50', '0x10', '007']);
  });
});

/** What `proxy` reads of yargs' parse of `args`, or the usage error yargs reports. */
function proxyViaYargs(args: string[]): Record<string, unknown> {
  const parsed = parsedByYargs(args, 'proxy', (y) => recorderFlags(y));
  const read = [...Object.keys(RECORDER_OPTIONS), 'debug', '_'];
  return Object.fromEntries(read.filter((k) => parsed[k] !== undefined).map((k) => [k, parsed[k]]).concat('error' in parsed ? [['error', parsed.error]] : []));
}

describe('quickProxyArgs', () => {
  const plain: string[][] = [
    ['proxy'],
    ['proxy', '-o', 'c.jsonl', '--ca-dir', 'ca', '--upstream-ca', 'up.crt'],
    ['proxy', '--output=c.jsonl', '--port', '8080', '--host=0.0.0.0', '--listen', 'glance-api=0', '--service=swift=8080'],
    ['proxy', '--body-limit', '1MiB', '--bodies-dir', 'b', '--insecure-upstream', '--upstream-timeout', '30', '--connect-timeout', '5', '--debug'],
  ];
  it.each(plain.map((a) => [a]))('hands proxy what yargs would: %j', (args) => {
    const quick = quickProxyArgs(args) as Record<string, unknown> | null;
    expect(quick).not.toBeNull();
    const read = Object.keys(proxyViaYargs(args));
    expect(Object.fromEntries(read.map((k) => [k, quick?.[k]]))).toEqual(proxyViaYargs(args));
    expect(Object.keys(quick ?? {}).filter((k) => k !== '$0' && !read.includes(k))).toEqual([]);
  });

  const leftToYargs: string[][] = [
    ['proxy', '--help'],
    ['proxy', 'extra'],
    ['proxy', '--', 'x'],
    ['proxy', '--port', '1', '--port', '2'],
    ['proxy', '--no-insecure-upstream'],
    ['proxy', '-o'],
    ['record', '-o', 'c.jsonl'],
  ];
  it.each(leftToYargs.map((a) => [a]))('leaves %j to yargs', (args) => {
    expect(quickProxyArgs(args)).toBeNull();
  });
});
