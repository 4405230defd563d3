/**
 * Node's bundled root certificates, known by their base64 body. A system CA bundle handed to the
 * recorder through `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`, ... repeats nearly all of them: those need
 * neither a parse to be known valid nor a second copy in the upstream secure context (parsing the
 * ~150 certificates of such a bundle costs ~30 ms each time, issue 13).
 */
import { rootCertificates } from 'node:tls';

let bodies: Set<string> | undefined;

/** The certificate's DER in base64: the same certificate however its PEM is wrapped or ended. */
function body(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
}

/** True when `pem` is one of Node's bundled root certificates. */
export function isNodeRoot(pem: string): boolean {
  bodies ??= new Set(rootCertificates.map(body));
  return bodies.has(body(pem));
}
