/**
 * Node's bundled root certificates, known by their base64 body. A system CA bundle handed to the
 * recorder through `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`, ... repeats nearly all of them: those need
 * neither a parse nor a second copy in the upstream secure context (parsing the ~150 certificates
 * of such a bundle costs ~30 ms each time, issue 13).
 */
import { rootCertificates } from 'node:tls';

let bodies: Set<string> | undefined;

const HEADER = '-----BEGIN CERTIFICATE-----';
const FOOTER = '-----END CERTIFICATE-----';

/**
 * The certificate's DER in base64: the same certificate however its PEM is wrapped or ended.
 * Sliced, then one whitespace pattern: a regex alternation over all ~300 certificates of a start
 * took 11 ms of `record`'s start, this takes 3.
 */
function body(pem: string): string {
  const text = pem.trim();
  if (!text.startsWith(HEADER) || !text.endsWith(FOOTER)) return text;
  return text.slice(HEADER.length, -FOOTER.length).replace(/\s+/g, '');
}

/** True when `pem` is one of Node's bundled root certificates. */
export function isNodeRoot(pem: string): boolean {
  bodies ??= new Set(rootCertificates.map(body));
  return bodies.has(body(pem));
}
