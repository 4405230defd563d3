/**
 * How the upstream's answer is framed towards the client, so that the client sees what the server
 * sent: the server's own Connection/Keep-Alive/Transfer-Encoding/Trailer headers (Node adds none
 * of its own), close-delimited bodies stay close-delimited, trailers and 1xx responses pass on.
 * HTTP/1.0 clients get what Node frames for them (they cannot take chunking, trailers or 1xx).
 */
import http, { type ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { RawHeaders } from '../../model/exchange.js';

export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  httpVersion: string;
  headers: RawHeaders;
}

/** Headers that describe one connection: only passed on to clients that cannot take them as sent. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'trailer']);

export function flatten(headers: RawHeaders): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  return flat;
}

const has = (headers: RawHeaders, name: string): boolean => headers.some(([n]) => n.toLowerCase() === name);

/** HTTP/1.0 clients: the message headers only; Node frames the body for them. */
function forHttp10(headers: RawHeaders): RawHeaders {
  const named = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'connection') for (const token of value.split(',')) named.add(token.trim().toLowerCase());
  }
  return headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()) && !named.has(name.toLowerCase()));
}

/** Writes the response head to the client, framed as the upstream framed it (see the module comment). */
export function writeClientHead(res: ServerResponse, clientHttpVersion: string, head: ResponseHead): void {
  if (clientHttpVersion !== '1.1') {
    res.writeHead(head.statusCode, head.statusMessage, flatten(forHttp10(head.headers)));
    return;
  }
  // Without a Connection header from the server, Node must not invent one (nor Keep-Alive).
  if (!has(head.headers, 'connection')) res.removeHeader('Connection');
  // No length and no chunking: the body ends when the server closes, so it must for the client too.
  if (!has(head.headers, 'content-length') && !has(head.headers, 'transfer-encoding')) res.useChunkedEncodingByDefault = false;
  res.writeHead(head.statusCode, head.statusMessage, flatten(head.headers));
}

/** Node's own raw writer (what `writeContinue` uses): queues behind earlier pipelined responses. */
interface RawWriter {
  _writeRaw(data: string, encoding: BufferEncoding): boolean;
}

/** Passes a 1xx informational response on (HTTP/1.1 clients only, before the final head). */
export function writeInformational(res: ServerResponse, clientHttpVersion: string, info: http.InformationEvent): void {
  if (clientHttpVersion !== '1.1' || res.headersSent) return;
  if (info.statusCode === 100) return res.writeContinue(); // also tells Node the client may keep the connection
  let head = `HTTP/1.1 ${info.statusCode} ${info.statusMessage}\r\n`;
  for (let i = 0; i + 1 < info.rawHeaders.length; i += 2) head += `${info.rawHeaders[i]}: ${info.rawHeaders[i + 1]}\r\n`;
  (res as unknown as RawWriter)._writeRaw(`${head}\r\n`, 'latin1');
}

/**
 * Calls `fn` once `target` can take more. A ClientRequest whose response has already ended stops
 * passing on its socket's 'drain' (Node 20), so its socket is watched too.
 */
export function onceWritable(target: Writable, fn: () => void): void {
  const socket = target instanceof http.ClientRequest ? target.socket : null;
  let called = false;
  const once = (): void => {
    if (called) return;
    called = true;
    target.off('drain', once);
    socket?.off('drain', once);
    fn();
  };
  target.once('drain', once);
  socket?.once('drain', once);
}
