/**
 * The upstream the CLI tests record: `upstream.ts`'s real loopback server with a fixed answer —
 * JSON naming the request, `201 CREATED` (upper case, as Keystone writes it) for POST/PUT — and a
 * `/hang…` path that never answers (an exchange still in flight). Remembers what it sent.
 */
import { fileURLToPath } from 'node:url';
import { startUpstream, type Upstream } from './upstream.js';

/** The test upstreams' certificate: the recorder process trusts it through NODE_EXTRA_CA_CERTS. */
export const UPSTREAM_CERT_PATH = fileURLToPath(new URL('../fixtures/tls/upstream.pem', import.meta.url));

export interface SentResponse {
  statusCode: number;
  statusMessage: string;
  body: string;
}

export interface JsonUpstream extends Upstream {
  sent: SentResponse[];
}

export async function startJsonUpstream(scheme: 'http' | 'https' = 'http'): Promise<JsonUpstream> {
  const sent: SentResponse[] = [];
  const upstream = await startUpstream(
    (req, res) => {
      if (req.path.startsWith('/hang')) return;
      const created = req.method === 'POST' || req.method === 'PUT';
      const response = {
        statusCode: created ? 201 : 200,
        statusMessage: created ? 'CREATED' : 'OK',
        body: JSON.stringify({ seen: `${req.method} ${req.path}`, n: sent.length + 1 }),
      };
      sent.push(response);
      res.writeHead(response.statusCode, response.statusMessage, { 'Content-Type': 'application/json' });
      res.end(response.body);
    },
    { tls: scheme === 'https' },
  );
  return Object.assign(upstream, { sent });
}
