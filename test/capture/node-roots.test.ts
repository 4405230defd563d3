/** isNodeRoot: Node's bundled roots are known however their PEM is wrapped; other certificates are not. */
import { describe, expect, it } from 'vitest';
import { rootCertificates } from 'node:tls';
import { isNodeRoot } from '../../src/capture/proxy/node-roots.js';
import { UPSTREAM_CERT } from '../helpers/upstream.js';

/** The same certificate re-wrapped at 76 columns with CRLF line ends and trailing blank lines. */
function rewrapped(pem: string): string {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  const lines = body.match(/.{1,76}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----', '', ''].join('\r\n');
}

describe('isNodeRoot', () => {
  it('knows every bundled root, as Node has it and re-wrapped', () => {
    expect(rootCertificates.length).toBeGreaterThan(100);
    expect(rootCertificates.filter((pem) => !isNodeRoot(pem))).toEqual([]);
    expect(rootCertificates.filter((pem) => !isNodeRoot(rewrapped(pem)))).toEqual([]);
  });

  it('does not take another certificate, nor a root cut short, for one', () => {
    expect(isNodeRoot(UPSTREAM_CERT)).toBe(false);
    const root = rootCertificates[0] as string;
    expect(isNodeRoot(root.replace(/\n[^\n]*\n-----END/, '\n-----END'))).toBe(false);
  });
});
