/**
 * A real upstream for recorder tests: HTTP or HTTPS on 127.0.0.1, remembering what it received
 * so tests can compare the capture with what the server saw and sent. HTTPS uses a throwaway
 * certificate for IP 127.0.0.1 made with openssl; its PEM is what the recorder must trust.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SeenRequest {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

export interface SentResponse {
  statusCode: number;
  statusMessage: string;
  body: string;
}

export interface Upstream {
  url: string;
  seen: SeenRequest[];
  sent: SentResponse[];
  close(): Promise<void>;
}

let certificate: { key: string; cert: string; certPath: string } | null = null;

/** A self-signed certificate for 127.0.0.1 (made once per test file). */
export function upstreamCertificate(): { key: string; cert: string; certPath: string } {
  if (!certificate) {
    const dir = mkdtempSync(join(tmpdir(), 'flowscribe-upstream-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    certificate = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), certPath: cert };
  }
  return certificate;
}

/**
 * Answers every request with JSON naming it; POST/PUT get `201 CREATED` (upper case, as Keystone
 * writes it). `/hang` never answers (an exchange still in flight).
 */
function handler(seen: SeenRequest[], sent: SentResponse[]): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      if (req.url?.startsWith('/hang')) return;
      const created = req.method === 'POST' || req.method === 'PUT';
      const response = {
        statusCode: created ? 201 : 200,
        statusMessage: created ? 'CREATED' : 'OK',
        body: JSON.stringify({ seen: `${req.method} ${req.url}`, n: seen.length }),
      };
      sent.push(response);
      res.writeHead(response.statusCode, response.statusMessage, { 'Content-Type': 'application/json' });
      res.end(response.body);
    });
  };
}

export async function startUpstream(scheme: 'http' | 'https' = 'http'): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const sent: SentResponse[] = [];
  const server =
    scheme === 'https'
      ? https.createServer({ key: upstreamCertificate().key, cert: upstreamCertificate().cert }, handler(seen, sent))
      : http.createServer(handler(seen, sent));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    seen,
    sent,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
