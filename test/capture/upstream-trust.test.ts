import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { CaFileReader, pemCertificates } from '../../src/capture/command/ca-files.js';
import { argvWithBundle, inheritedCaFiles, upstreamCaList, upstreamTrust } from '../../src/capture/proxy/upstream-trust.js';
import { makePrivateCa } from '../helpers/private-ca.js';

describe('inheritedCaFiles', () => {
  it('reads the CA variables, then --os-cacert of an OpenStack client (relative to cwd)', () => {
    const env = { OS_CACERT: 'ca.pem', REQUESTS_CA_BUNDLE: '/etc/r.pem', HOME: '/root' };
    expect(inheritedCaFiles(env, ['/usr/bin/openstack', '--os-cacert', 'x.pem', 'token', 'issue'], '/w')).toEqual([
      { path: '/etc/r.pem', from: 'REQUESTS_CA_BUNDLE' },
      { path: '/w/ca.pem', from: 'OS_CACERT' },
      { path: '/w/x.pem', from: '--os-cacert' },
    ]);
    expect(inheritedCaFiles({}, ['openstack', '--os-cacert=/a.pem'], '/w')).toEqual([{ path: '/a.pem', from: '--os-cacert' }]);
    expect(inheritedCaFiles({}, ['curl', '--os-cacert', 'x.pem'], '/w')).toEqual([]);
    expect(inheritedCaFiles({}, null, '/w')).toEqual([]);
  });
});

describe('argvWithBundle', () => {
  it("points an OpenStack client's --os-cacert at the bundle, and leaves other commands alone", () => {
    expect(argvWithBundle(['openstack', '--os-cacert', 'ca.pem', 'token', 'issue'], '/b.pem')).toEqual(['openstack', '--os-cacert', '/b.pem', 'token', 'issue']);
    expect(argvWithBundle(['swift', '--os-cacert=ca.pem', 'list'], '/b.pem')).toEqual(['swift', '--os-cacert=/b.pem', 'list']);
    expect(argvWithBundle(['curl', '--os-cacert', 'ca.pem'], '/b.pem')).toEqual(['curl', '--os-cacert', 'ca.pem']);
  });
});

describe('upstreamTrust', () => {
  const ca = makePrivateCa('flowscribe unit test CA');
  const caPem = readFileSync(ca.caPath, 'utf8');

  it('trusts the certificates of --upstream-ca and of the CA variables; keeps only the latter for the command', () => {
    const other = join(ca.dir, 'server-chain.pem');
    writeFileSync(other, `some text before\n${ca.serverCert}`);
    const warnings: string[] = [];
    const trust = upstreamTrust({ upstreamCaFiles: [other] }, { env: { OS_CACERT: ca.caPath }, argv: ['openstack'], cwd: '/' }, (w) => warnings.push(w));
    expect(trust.pems).toEqual([ca.serverCert, caPem]);
    expect(trust.inheritedPems).toEqual([caPem]);
    expect(trust.header).toEqual({ verify: true, caFiles: [{ path: other, from: '--upstream-ca' }, { path: ca.caPath, from: 'OS_CACERT' }] });
    expect(warnings).toEqual([]);
  });

  it('warns about an unusable inherited CA file, and refuses an unusable --upstream-ca', () => {
    const warnings: string[] = [];
    const trust = upstreamTrust({ insecureUpstream: true }, { env: { SSL_CERT_FILE: '/nonexistent.pem' }, argv: null, cwd: '/' }, (w) => warnings.push(w));
    expect(trust.header).toEqual({ verify: false, caFiles: [] });
    expect(warnings).toEqual(['SSL_CERT_FILE=/nonexistent.pem not trusted upstream: cannot read /nonexistent.pem (ENOENT)']);
    expect(() => upstreamTrust({ upstreamCaFiles: [join(ca.dir, 'server.key')] }, { env: {}, argv: null, cwd: '/' }, () => undefined))
      .toThrow(/^--upstream-ca \S+server\.key: \S+ holds no PEM certificate$/);
  });

  it('a file named by several variables is read once but listed under each name; a bad one warns under each', () => {
    const warnings: string[] = [];
    const env = { REQUESTS_CA_BUNDLE: ca.caPath, SSL_CERT_FILE: ca.caPath, CURL_CA_BUNDLE: '/nonexistent.pem', NODE_EXTRA_CA_CERTS: '/nonexistent.pem' };
    const trust = upstreamTrust({ upstreamCaFiles: [ca.caPath] }, { env, argv: null, cwd: '/' }, (w) => warnings.push(w));
    expect(trust.pems).toEqual([caPem]);
    expect(trust.inheritedPems).toEqual([caPem]);
    expect(trust.header.caFiles).toEqual([
      { path: ca.caPath, from: '--upstream-ca' },
      { path: ca.caPath, from: 'REQUESTS_CA_BUNDLE' },
      { path: ca.caPath, from: 'SSL_CERT_FILE' },
    ]);
    expect(warnings).toEqual(['CURL_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS'].map((v) => `${v}=/nonexistent.pem not trusted upstream: cannot read /nonexistent.pem (ENOENT)`));
  });

  it("trusts upstream Node's roots once and the bundle's other certificates; a block that is no certificate is dropped", () => {
    const bundle = join(ca.dir, 'system-like.pem');
    const fake = '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
    // Node's roots as a distribution writes them (CRLF here), our CA, and a block that only looks like one.
    writeFileSync(bundle, [...rootCertificates.slice(0, 20), fake, caPem].join('\r\n'));
    const blocks = pemCertificates(readFileSync(bundle, 'utf8'));
    const trust = upstreamTrust({}, { env: { SSL_CERT_FILE: bundle }, argv: null, cwd: '/' }, () => undefined);
    expect(blocks).toHaveLength(22);
    expect(trust.pems).toEqual(blocks); // parsed where used, not at start
    expect(upstreamCaList(trust.pems)).toEqual([...rootCertificates, caPem]);
    expect(upstreamCaList([])).toBeNull(); // Node's default store
  });

  it('a file whose blocks only look like certificates holds no certificate', () => {
    const file = join(ca.dir, 'fake.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    expect(() => upstreamTrust({ upstreamCaFiles: [file] }, { env: {}, argv: null, cwd: '/' }, () => undefined))
      .toThrow(/^--upstream-ca \S+fake\.pem: \S+ holds no PEM certificate$/);
  });

  it('reads a file once through the reader it shares with the command\'s bundle', () => {
    const reader = new CaFileReader();
    const file = join(ca.dir, 'read-once.pem');
    writeFileSync(file, caPem);
    const trust = upstreamTrust({}, { env: { SSL_CERT_FILE: file, OS_CACERT: file }, argv: null, cwd: '/' }, () => undefined, reader);
    writeFileSync(file, 'changed since'); // a second read would see this
    expect(trust.inheritedPems).toEqual([caPem]);
    expect(reader.read(file).text).toBe(caPem);
    expect(new CaFileReader().read(file).text).toBe('changed since');
  });
});
