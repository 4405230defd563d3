/**
 * WebSockets are relayed (by http-mitm-proxy's own path, unrecorded): a client that upgrades
 * through the recorder talks to the server as it would directly. ws, which serves that path, is
 * loaded only at the first upgrade (issue 13), so this is the test that the deferred load works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliRun } from '../helpers/flowscribe-cli.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const work = mkdtempSync(join(tmpdir(), 'flowscribe-websocket-'));
let server: Server;
let origin: string;
let proxy: CliRun;
let proxyPort: number;
const upgraded = new Set<Socket>();

/** One unfragmented text frame; client frames are masked (RFC 6455 5.3), payloads under 126 bytes. */
function textFrame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  if (!masked) return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
  const mask = randomBytes(4);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ mask[i % 4]!)]);
}

/** The text of the frame at the start of `data`, or null while it is incomplete. */
function frameText(data: Buffer): string | null {
  if (data.length < 2) return null;
  const length = data[1]! & 0x7f;
  const maskAt = 2;
  const start = data[1]! & 0x80 ? maskAt + 4 : maskAt;
  if (data.length < start + length) return null;
  const payload = data.subarray(start, start + length);
  return Buffer.from(data[1]! & 0x80 ? payload.map((b, i) => b ^ data[maskAt + (i % 4)]!) : payload).toString();
}

/** A WebSocket echo server on node:http: answers each text frame with `echo:<text>`. */
function onUpgrade(req: IncomingMessage, socket: Socket): void {
  upgraded.add(socket);
  const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let data = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    data = Buffer.concat([data, chunk]);
    const text = frameText(data);
    if (text !== null) socket.write(textFrame(`echo:${text}`, false));
  });
}

/** Upgrades at `port` (`target` in origin or absolute form), sends `hi`, returns the status line and the answer. */
async function exchange(port: number, target: string): Promise<{ status: string; answer: string }> {
  const socket = connect(port, '127.0.0.1');
  socket.setTimeout(10_000, () => socket.destroy()); // a relay that stalls fails the comparison, not the test timeout
  await once(socket, 'connect');
  const key = randomBytes(16).toString('base64');
  socket.write(`GET ${target} HTTP/1.1\r\nHost: ${new URL(origin).host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let data = Buffer.alloc(0);
  let status = '';
  for await (const chunk of socket) {
    data = Buffer.concat([data, chunk as Buffer]);
    if (!status) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) continue;
      status = data.subarray(0, data.indexOf('\r\n')).toString();
      data = data.subarray(end + 4);
      socket.write(textFrame('hi', true));
    }
    const answer = frameText(data);
    if (answer !== null) {
      socket.destroy();
      return { status, answer };
    }
  }
  return { status, answer: '' };
}

beforeAll(async () => {
  server = createServer((_, res) => res.end('not a websocket\n')).listen(0, '127.0.0.1');
  server.on('upgrade', onUpgrade);
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy = startCli(['proxy', '--ca-dir', join(work, 'ca'), '-o', join(work, 'ws.jsonl')], { cwd: work });
  const stdout = await proxy.waitFor('stdout', /^export http_proxy=http:\/\/127\.0\.0\.1:\d+$/m);
  proxyPort = Number(/^export http_proxy=http:\/\/127\.0\.0\.1:(\d+)$/m.exec(stdout)?.[1]);
});

afterAll(async () => {
  // The recorder's relayed WebSockets end when their server ends them (as a proxy's would).
  for (const socket of upgraded) socket.destroy();
  server.close();
  proxy.child.kill('SIGTERM');
  expect((await proxy.result).code).toBe(0);
});

describe('WebSockets through the recorder', () => {
  it('upgrade and echo as directly, twice over the recorder (the first upgrade loads ws)', async () => {
    const direct = await exchange(Number(new URL(origin).port), '/chat');
    expect(direct).toEqual({ status: 'HTTP/1.1 101 Switching Protocols', answer: 'echo:hi' });
    expect(await exchange(proxyPort, `${origin}/chat`)).toEqual(direct);
    expect(await exchange(proxyPort, `${origin}/chat`)).toEqual(direct);
  });
});
