import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandSlug, defaultCapturePath, timestamp } from '../../src/capture/capture-file/capture-path.js';

describe('commandSlug', () => {
  it('names a capture after the command words before the first option', () => {
    expect(commandSlug(['openstack', 'image', 'create', '--disk-format', 'qcow2', 'cirros'])).toBe('openstack-image-create');
    expect(commandSlug(['/usr/bin/python3', '-c', 'import requests'])).toBe('python3');
    expect(commandSlug(['curl', 'http://127.0.0.1:8080/x'])).toBe('curl');
    expect(commandSlug(['openstack', 'server', 'list', 'extra', 'words'])).toBe('openstack-server-list-extra');
    expect(commandSlug(['./My Tool!'])).toBe('my-tool');
    expect(commandSlug(['...'])).toBe('capture');
  });
});

describe('defaultCapturePath', () => {
  const when = new Date('2026-11-27T02:19:59.123Z');

  it('adds a UTC timestamp', () => {
    expect(timestamp(when)).toBe('20261127-021959');
    expect(defaultCapturePath('/work', 'captures', 'curl', when)).toBe('/work/captures/curl-20261127-021959.jsonl');
  });

  it('never reuses an existing file', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'flowscribe-path-'));
    mkdirSync(join(cwd, 'captures'));
    writeFileSync(join(cwd, 'captures', 'curl-20261127-021959.jsonl'), '');
    writeFileSync(join(cwd, 'captures', 'curl-20261127-021959-2.jsonl'), '');
    expect(defaultCapturePath(cwd, 'captures', 'curl', when)).toBe(join(cwd, 'captures', 'curl-20261127-021959-3.jsonl'));
  });
});
