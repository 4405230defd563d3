/**
 * Keep-alive agents towards upstreams whose sockets survive a failed write. A server that answers
 * an upload early (413, 401) and then closes makes our next body write fail (EPIPE/ECONNRESET);
 * Node would then destroy the socket at once and the answer, already in the receive buffer, would
 * be lost — the client would get a 502 instead of the server's 413. Here such a write error is
 * swallowed: the socket goes on reading, the answer is parsed, and the forwarder learns that the
 * server stopped reading when the socket ends.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex, Writable } from 'node:stream';

/** Write errors that only mean "the peer stopped reading": reading may still yield its answer. */
const PEER_GONE = new Set(['EPIPE', 'ECONNRESET']);

type WriteCallback = (error?: Error | null) => void;

function lenient(cb: WriteCallback): WriteCallback {
  return (error) => cb(error && PEER_GONE.has((error as NodeJS.ErrnoException).code ?? '') ? null : error);
}

function keepReadingAfterWriteErrors(socket: Duplex | null | undefined): Duplex | null | undefined {
  if (!socket) return socket;
  const target = socket as Writable;
  const write = target._write.bind(target);
  target._write = (chunk: unknown, encoding: BufferEncoding, cb: WriteCallback) => write(chunk, encoding, lenient(cb));
  const writev = target._writev?.bind(target);
  if (writev) target._writev = (chunks, cb: WriteCallback) => writev(chunks, lenient(cb));
  return socket;
}

class UploadHttpAgent extends http.Agent {
  override createConnection(...args: Parameters<http.Agent['createConnection']>): ReturnType<http.Agent['createConnection']> {
    return keepReadingAfterWriteErrors(super.createConnection(...args));
  }
}

class UploadHttpsAgent extends https.Agent {
  override createConnection(...args: Parameters<https.Agent['createConnection']>): ReturnType<https.Agent['createConnection']> {
    return keepReadingAfterWriteErrors(super.createConnection(...args));
  }
}

export function upstreamHttpAgent(options: http.AgentOptions): http.Agent {
  return new UploadHttpAgent(options);
}

export function upstreamHttpsAgent(options: https.AgentOptions): https.Agent {
  return new UploadHttpsAgent(options);
}
