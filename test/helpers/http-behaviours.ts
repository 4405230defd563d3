/**
 * The differential harness's table: server behaviours that a recorder in the middle can easily
 * change (early answers to uploads, 1xx, trailers, close-delimited bodies, resets, pipelining...),
 * each with the requests clients send and what the capture must say happened.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ExchangeRecord } from '../../src/model/exchange.js';
import { readBody, type BehaviourHandler, type ServerCounts } from './behaviour-servers.js';
import type { ClientName, RequestSpec } from './differential-clients.js';

export interface Behaviour {
  name: string;
  handler: BehaviourHandler;
  /** Requests curl and python send, in order, on one connection when they can. */
  requests: RequestSpec[];
  clients: ClientName[];
  /** Clients that cannot do this through any HTTPS proxy (a client bug, not ours): not run over HTTPS. */
  notOverHttps?: ClientName[];
  /** The server's keep-alive idle timeout (Node's 5 s when absent). */
  keepAliveMs?: number;
  /** For the raw client: what it writes (`{path:/x}` = request target, `{host}` = Host). */
  raw?: string[];
  /** `state status` (a regular expression) of each recorded exchange, in order (for the raw client: `rawRecorded` if given). */
  recorded: string[];
  rawRecorded?: string[];
  /** Further checks on the capture against what the server counted. */
  check?: (exchanges: ExchangeRecord[], counts: ServerCounts) => void;
}

export const MiB = 1024 * 1024;
const UPLOAD = 16 * MiB;

function text(res: ServerResponse, status: number, reason: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, reason, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

const ok: BehaviourHandler = (req, res, counts) => readBody(req, counts, () => text(res, 200, 'OK', `you asked for ${req.url}\n`));

/**
 * Reads 1 MiB of the upload, then answers `status` at once (a quota or auth check mid-stream).
 * `close`: with `Connection: close` (Node then closes with the rest unread); otherwise it goes on
 * reading and discarding the rest of the body, keeping the connection.
 */
function earlyAnswer(status: number, reason: string, close: boolean): BehaviourHandler {
  return (req, res, counts) => {
    let answered = false;
    const extra: Record<string, string> = close ? { Connection: 'close' } : {};
    if (status === 401) extra['WWW-Authenticate'] = 'Keystone uri="http://127.0.0.1/identity"';
    req.on('data', (c: Buffer) => {
      counts.bodyBytes += c.length;
      if (answered || counts.bodyBytes < MiB) return;
      answered = true;
      text(res, status, reason, `{"error": {"code": ${status}, "title": "${reason}"}}`, extra);
    });
  };
}

/** The capture holds every body byte that reached the server (and no more than the client sent). */
function uploadRecorded(exchanges: ExchangeRecord[], counts: ServerCounts): void {
  const size = exchanges[0]?.request.body.sizeBytes ?? -1;
  if (size < counts.bodyBytes || size > UPLOAD) throw new Error(`recorded request body ${size} B, server read ${counts.bodyBytes} B of ${UPLOAD}`);
}

const upload: RequestSpec = { method: 'PUT', path: '/v2/images/1/file', headers: { 'Content-Type': 'application/octet-stream' }, bodyBytes: UPLOAD };
const twoGets = (headers: Record<string, string> = {}): RequestSpec[] => [
  { method: 'GET', path: '/one', headers },
  { method: 'GET', path: '/two', headers },
];

/** RST for a plain TCP socket; a TLS socket cannot be reset from JavaScript, so it is just destroyed. */
function reset(socket: Socket | null): void {
  if (socket && 'encrypted' in socket) socket.destroy();
  else socket?.resetAndDestroy();
}

/** A response whose body ends when the server closes the connection (no Content-Length, not chunked). */
function closeDelimited(req: IncomingMessage): void {
  req.resume();
  req.socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody of ${req.url}, ended by close\n`);
}

export const BEHAVIOURS: Behaviour[] = [
  {
    name: 'keep-alive: two GETs on one connection',
    handler: ok,
    requests: twoGets(),
    clients: ['curl', 'python'],
    recorded: ['completed 200', 'completed 200'],
  },
  {
    name: '413 mid-upload, server reads and discards the rest',
    handler: earlyAnswer(413, 'Request Entity Too Large', false),
    requests: [upload],
    clients: ['curl', 'python'],
    recorded: ['completed 413'],
    check: uploadRecorded,
  },
  {
    name: '413 mid-upload, server closes (Connection: close)',
    handler: earlyAnswer(413, 'Request Entity Too Large', true),
    requests: [upload],
    clients: ['curl', 'python'],
    recorded: ['completed 413'],
  },
  {
    name: '401 mid-upload, server reads and discards the rest',
    handler: earlyAnswer(401, 'Unauthorized', false),
    requests: [upload],
    clients: ['curl', 'python'],
    recorded: ['completed 401'],
    check: uploadRecorded,
  },
  {
    name: '401 mid-upload, server closes (Connection: close)',
    handler: earlyAnswer(401, 'Unauthorized', true),
    requests: [upload],
    clients: ['curl', 'python'],
    recorded: ['completed 401'],
  },
  {
    name: 'Expect: 100-continue answered 401 instead of 100',
    handler: (_req, res) => text(res, 401, 'Unauthorized', '{"error": "no token"}'),
    requests: [{ ...upload, headers: { Expect: '100-continue' }, bodyBytes: MiB }],
    clients: ['curl'],
    recorded: ['completed 401'],
    check: (exchanges, counts) => {
      if (counts.bodyBytes !== 0 || exchanges[0]?.request.body.sizeBytes !== 0) throw new Error(`the body was sent (${counts.bodyBytes} B reached the server)`);
    },
  },
  {
    name: 'Expect: 100-continue answered 100, then 201',
    handler: (req, res, counts) => {
      res.writeContinue();
      readBody(req, counts, () => text(res, 201, 'Created', 'stored\n'));
    },
    requests: [{ ...upload, headers: { Expect: '100-continue' }, bodyBytes: MiB }],
    clients: ['curl'],
    recorded: ['completed 201'],
  },
  {
    name: 'response without Content-Length, ended by close',
    handler: (req) => closeDelimited(req),
    requests: twoGets(),
    clients: ['curl', 'python', 'raw'],
    raw: ['GET {path:/one} HTTP/1.1\r\nHost: {host}\r\n\r\n'],
    recorded: ['completed 200', 'completed 200'],
    rawRecorded: ['completed 200'],
  },
  {
    name: 'Connection: close from the server',
    handler: (req, res, counts) => readBody(req, counts, () => text(res, 200, 'OK', 'bye\n', { Connection: 'close' })),
    requests: twoGets(),
    clients: ['curl', 'python'],
    recorded: ['completed 200', 'completed 200'],
  },
  {
    name: 'Connection: close from the client',
    handler: ok,
    requests: twoGets({ Connection: 'close' }),
    clients: ['curl', 'python'],
    recorded: ['completed 200', 'completed 200'],
  },
  {
    name: 'chunked request and response, with trailers',
    handler: (req, res, counts) =>
      readBody(req, counts, () => {
        res.writeHead(200, 'OK', { 'Content-Type': 'text/plain', Trailer: 'X-Checksum', 'Transfer-Encoding': 'chunked' });
        res.write('first chunk, ');
        res.addTrailers({ 'X-Checksum': `read ${counts.bodyBytes} bytes`, 'X-Trailers-Seen': counts.trailers.join('; ') || 'none' });
        res.end('last chunk');
      }),
    requests: [{ method: 'POST', path: '/chunked', bodyBytes: 200_000, chunked: true }],
    clients: ['curl', 'python', 'raw'],
    // Debian's urllib3 1.26 sends a chunked body's TLS handshake to the proxy without CONNECT.
    notOverHttps: ['python'],
    raw: ['POST {path:/chunked} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sent\r\n\r\n5\r\nhello\r\n0\r\nX-Sent: yes\r\n\r\n'],
    recorded: ['completed 200'],
  },
  {
    name: '103 Early Hints before the final response',
    handler: (req, res, counts) =>
      readBody(req, counts, () => {
        res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
        setTimeout(() => text(res, 200, 'OK', 'after hints\n'), 50);
      }),
    requests: [{ method: 'GET', path: '/hints' }],
    clients: ['curl', 'python', 'raw'],
    raw: ['GET {path:/hints} HTTP/1.1\r\nHost: {host}\r\n\r\n'],
    // Python takes the 103 for the final answer and may hang up before the 200 arrives.
    recorded: ['completed 200|aborted -'],
  },
  {
    name: 'HEAD with Content-Length',
    handler: (req, res) => {
      if (req.method !== 'HEAD') return text(res, 200, 'OK', 'after HEAD\n');
      res.writeHead(200, 'OK', { 'Content-Type': 'application/octet-stream', 'Content-Length': '123456' });
      res.end();
    },
    requests: [{ method: 'HEAD', path: '/v2/images/1/file' }, { method: 'GET', path: '/after' }],
    clients: ['curl', 'python', 'raw'],
    raw: ['HEAD {path:/file} HTTP/1.1\r\nHost: {host}\r\n\r\nHEAD {path:/again} HTTP/1.1\r\nHost: {host}\r\n\r\n'],
    recorded: ['completed 200', 'completed 200'],
  },
  {
    name: '204 No Content and 304 Not Modified',
    handler: (req, res) => {
      res.writeHead(req.url === '/one' ? 204 : 304, { ETag: '"v1"', 'X-Request': req.url ?? '' });
      res.end();
    },
    requests: twoGets(),
    clients: ['curl', 'python', 'raw'],
    raw: ['GET {path:/one} HTTP/1.1\r\nHost: {host}\r\n\r\nGET {path:/two} HTTP/1.1\r\nHost: {host}\r\n\r\n'],
    recorded: ['completed 204', 'completed 304'],
  },
  {
    name: 'server resets after sending the head',
    handler: (_req, res) => {
      res.writeHead(200, 'OK', { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
      res.write('partial');
      setTimeout(() => reset(res.socket), 100);
    },
    requests: [{ method: 'GET', path: '/reset' }],
    clients: ['curl', 'python', 'raw'],
    raw: ['GET {path:/reset} HTTP/1.1\r\nHost: {host}\r\n\r\n'],
    recorded: ['failed 200'],
  },
  {
    name: 'slow head (1.5 s)',
    handler: (req, res, counts) => readBody(req, counts, () => setTimeout(() => text(res, 200, 'OK', 'slow\n'), 1500)),
    requests: [{ method: 'GET', path: '/slow' }],
    clients: ['curl', 'python'],
    recorded: ['completed 200'],
  },
  {
    name: 'keep-alive connection reused after 6 s idle (server keeps it 30 s)',
    handler: ok,
    keepAliveMs: 30_000,
    requests: [],
    clients: ['raw'],
    raw: ['GET {path:/one} HTTP/1.1\r\nHost: {host}\r\n\r\n', '{sleep:6000}', 'GET {path:/two} HTTP/1.1\r\nHost: {host}\r\n\r\n'],
    recorded: ['completed 200', 'completed 200'],
  },
  {
    name: 'pipelined requests on one keep-alive connection',
    handler: (req, res, counts) => readBody(req, counts, () => setTimeout(() => text(res, 200, 'OK', `answer to ${req.url}\n`), req.url === '/slow' ? 300 : 0)),
    requests: [],
    clients: ['raw'],
    raw: ['GET {path:/slow} HTTP/1.1\r\nHost: {host}\r\n\r\nPOST {path:/fast} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 3\r\n\r\nabcGET {path:/last} HTTP/1.1\r\nHost: {host}\r\n\r\n'],
    recorded: ['completed 200', 'completed 200', 'completed 200'],
  },
];
