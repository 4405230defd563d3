import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaFileReader } from '../../src/capture/command/ca-files.js';
import { osEnvironment, proxiedEnvironment, proxyUrl, writeCaBundle } from '../../src/capture/command/environment.js';
import { UPSTREAM_CERT } from '../helpers/upstream.js';

describe('osEnvironment', () => {
  it('keeps only OS_* variables, sorted, with secrets masked', () => {
    const env = {
      OS_USERNAME: 'admin',
      OS_PASSWORD: 'hunter2',
      OS_AUTH_URL: 'http://keystone/v3',
      OS_TOKEN: 'gAAAA',
      OS_APPLICATION_CREDENTIAL_SECRET: 's',
      OS_ACCESS_KEY: 'k',
      HOME: '/root',
      PASSWORD: 'not-os',
    };
    const out = osEnvironment(env);
    expect(out).toEqual({
      OS_ACCESS_KEY: '***',
      OS_APPLICATION_CREDENTIAL_SECRET: '***',
      OS_AUTH_URL: 'http://keystone/v3',
      OS_PASSWORD: '***',
      OS_TOKEN: '***',
      OS_USERNAME: 'admin',
    });
    expect(Object.keys(out)).toEqual(Object.keys(out).sort());
  });
});

describe('proxiedEnvironment', () => {
  it('points proxies at the recorder, drops no_proxy and overrides preset CA bundles', () => {
    const env = proxiedEnvironment(
      { PATH: '/bin', no_proxy: 'localhost', NO_PROXY: '127.0.0.1', SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt', HTTP_PROXY: 'http://corp:3128' },
      'http://127.0.0.1:9000',
      '/ca/ca-bundle.pem',
    );
    expect(env).toEqual({
      PATH: '/bin',
      http_proxy: 'http://127.0.0.1:9000',
      HTTP_PROXY: 'http://127.0.0.1:9000',
      https_proxy: 'http://127.0.0.1:9000',
      HTTPS_PROXY: 'http://127.0.0.1:9000',
      REQUESTS_CA_BUNDLE: '/ca/ca-bundle.pem',
      OS_CACERT: '/ca/ca-bundle.pem',
      SSL_CERT_FILE: '/ca/ca-bundle.pem',
      CURL_CA_BUNDLE: '/ca/ca-bundle.pem',
      NODE_EXTRA_CA_CERTS: '/ca/ca-bundle.pem',
    });
  });

  it('brackets IPv6 proxy hosts', () => {
    expect(proxyUrl('::1', 8080)).toBe('http://[::1]:8080');
    expect(proxyUrl('127.0.0.1', 8080)).toBe('http://127.0.0.1:8080');
  });
});

describe('writeCaBundle', () => {
  it('writes the system CAs followed by our CA', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-ca-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nOURS\n-----END CERTIFICATE-----');
    const bundle = readFileSync(writeCaBundle(dir, ca), 'utf8');
    const system = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
    expect(bundle.startsWith(system)).toBe(true);
    expect(bundle.endsWith('OURS\n-----END CERTIFICATE-----\n')).toBe(true);
  });

  it("keeps the CAs the command arrived with, in a bundle named by them; system ones are not repeated", () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-ca-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nOURS\n-----END CERTIFICATE-----\n');
    const system = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
    const systemCert = /-----BEGIN CERTIFICATE-----[^]+?-----END CERTIFICATE-----\n/.exec(system)![0];
    const cloud = UPSTREAM_CERT.endsWith('\n') ? UPSTREAM_CERT : `${UPSTREAM_CERT}\n`;
    const lookalike = '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    expect(writeCaBundle(dir, ca, [systemCert])).toBe(join(dir, 'ca-bundle.pem'));
    expect(writeCaBundle(dir, ca, [systemCert, lookalike])).toBe(join(dir, 'ca-bundle.pem')); // no certificate: not kept
    const path = writeCaBundle(dir, ca, [systemCert, cloud, lookalike]);
    expect(path).toMatch(/\/ca-bundle-[0-9a-f]{12}\.pem$/);
    expect(readFileSync(path, 'utf8')).toBe(`${system}${cloud}${readFileSync(ca, 'utf8')}`);
  });

  it('leaves a bundle that already holds the right bytes alone, and rewrites one that does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-ca-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nOURS\n-----END CERTIFICATE-----\n');
    const path = writeCaBundle(dir, ca);
    const right = readFileSync(path, 'utf8');
    const first = statSync(path);
    expect(first.mode & 0o777).toBe(0o644 & ~process.umask());
    expect(writeCaBundle(dir, ca)).toBe(path);
    expect(statSync(path).ino).toBe(first.ino); // not replaced
    writeFileSync(path, right.slice(0, -10)); // cut short
    writeCaBundle(dir, ca);
    expect(readFileSync(path, 'utf8')).toBe(right);
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nNEW\n-----END CERTIFICATE-----\n'); // a new CA
    writeCaBundle(dir, ca);
    expect(readFileSync(path, 'utf8').endsWith('NEW\n-----END CERTIFICATE-----\n')).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('reads the system bundle through the reader the upstream trust used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-ca-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nOURS\n-----END CERTIFICATE-----\n');
    const reader = new CaFileReader();
    const read = vi.spyOn(reader, 'read');
    const system = reader.read('/etc/ssl/certs/ca-certificates.crt');
    const bundle = readFileSync(writeCaBundle(dir, ca, system.pems, reader), 'utf8');
    expect(read.mock.results.map((r) => r.value)).toEqual([system, system]); // the same text, read once
    expect(bundle).toBe(`${system.text}${readFileSync(ca, 'utf8')}`);
  });
});
