/**
 * Recorders started together on one CA directory that has no CA yet (a playbook's parallel steps,
 * two terminals): one creates the CA, the others wait for it, and every leaf any of them signs —
 * at the same time, for the same host — is trusted by a client that trusts the CA file. Without the
 * lock each wrote its own CA over the others' ("certificate signature failure" for some clients),
 * and a later recorder could read one's leaf key next to another's certificate.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startChildRecorder, type ChildRecorder } from '../helpers/child-recorder.js';
import { proxiedRequest } from '../helpers/streams.js';
import { createUpstreamServer, UPSTREAM_CERT } from '../helpers/upstream.js';

async function getThrough(rec: ChildRecorder, url: string, caPem: string): Promise<string> {
  const req = await proxiedRequest(rec.port, url, { method: 'GET', caPem });
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject).end());
  return `${res.statusCode} ${(await res.toArray()).join('')}`;
}

async function httpsUpstream(cleanup: (fn: () => void) => void): Promise<string> {
  const upstream = createUpstreamServer(true, (_req, res) => res.end('hello'));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  cleanup(() => void upstream.close());
  return `https://localhost:${(upstream.address() as AddressInfo).port}/x`;
}

function starter(caDir: string, cleanup: (fn: () => void) => void): () => Promise<ChildRecorder> {
  return async () => {
    const capturePath = join(mkdtempSync(join(tmpdir(), 'flowscribe-shared-ca-')), 'c.jsonl');
    const rec = await startChildRecorder({ capturePath, caDir, upstreamCaPems: [UPSTREAM_CERT] });
    cleanup(() => void rec.stop());
    return rec;
  };
}

describe('recorders sharing a fresh CA directory', () => {
  it('create one CA between them, and every leaf they sign is trusted through it', { timeout: 120_000 }, async ({ onTestFinished }) => {
    const url = await httpsUpstream(onTestFinished);
    const caDir = join(mkdtempSync(join(tmpdir(), 'flowscribe-shared-ca-')), 'ca');
    const start = starter(caDir, onTestFinished);

    const together = await Promise.all([start(), start(), start(), start()]);
    const caPem = readFileSync(join(caDir, 'certs', 'ca.pem'), 'utf8');
    expect(together.map((rec) => rec.caPem)).toEqual(together.map(() => caPem));
    expect(readdirSync(join(caDir, 'keys'))).not.toContain('.creating');
    // Their first CONNECTs to the same host at once: each signs (and stores) a leaf for it.
    expect(await Promise.all(together.map((rec) => getThrough(rec, url, caPem)))).toEqual(together.map(() => '200 hello'));
    // A recorder started afterwards takes the stored leaf only if it is whole and signed by this CA.
    const later = await start();
    expect(await getThrough(later, url, caPem)).toBe('200 hello');
  });

  it('a stored leaf the CA did not sign (or whose key is not its own) is signed afresh', { timeout: 60_000 }, async ({ onTestFinished }) => {
    const url = await httpsUpstream(onTestFinished);
    const caDir = join(mkdtempSync(join(tmpdir(), 'flowscribe-shared-ca-')), 'ca');
    const start = starter(caDir, onTestFinished);
    await (await start()).stop(); // creates the CA
    // A whole key pair for the host, but another CA's (the upstream's self-signed one).
    const fixtures = new URL('../fixtures/tls/', import.meta.url);
    copyFileSync(new URL('upstream.pem', fixtures), join(caDir, 'certs', 'localhost.pem'));
    copyFileSync(new URL('upstream.key', fixtures), join(caDir, 'keys', 'localhost.key'));
    const rec = await start();
    expect(await getThrough(rec, url, rec.caPem)).toBe('200 hello');
  });
});
