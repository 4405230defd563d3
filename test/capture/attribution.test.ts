/**
 * Attribution through the real recorder: two client processes, each holding one keep-alive
 * connection, send requests in turn; every exchange must name the process that sent it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createSourceResolver } from '../../src/capture/attribution/source.js';
import { startRecording } from '../helpers/recording.js';

const PYTHON = '/usr/bin/python3';
// One connection to the proxy; for each line on stdin, one GET on it naming this process, then "done".
const CLIENT = `import os, socket, sys
proxy, up = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", proxy))
f = s.makefile("rb")
for line in sys.stdin:
    path = "/p/%d/%s" % (os.getpid(), line.strip())
    s.sendall(("GET http://%s%s HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n" % (up, path, up)).encode())
    f.readline()
    length = 0
    while True:
        h = f.readline()
        if h in (b"\\r\\n", b""): break
        name, _, value = h.decode().partition(":")
        if name.lower() == "content-length": length = int(value)
    f.read(length)
    print("done", flush=True)
`;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function upstream(): Promise<Server> {
  const server = createServer((req, res) => res.end(`seen ${req.url}`));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => server.close());
  return server;
}

/** A client process; `send(n)` resolves once the answer to its n-th request arrived. */
function client(proxyPort: number, upstreamAuthority: string): { child: ChildProcess; send(n: number): Promise<void> } {
  const child = spawn(PYTHON, ['-c', CLIENT, String(proxyPort), upstreamAuthority], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => child.stdin?.end());
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    async send(n) {
      child.stdin?.write(`${n}\n`);
      const { value } = await lines.next();
      expect(value).toBe('done');
    },
  };
}

describe('attribution through the recorder', () => {
  it("names each request's own process when two processes' keep-alive connections take turns", async () => {
    const server = await upstream();
    const recording = await startRecording({ resolveSource: createSourceResolver({ clientPid: () => null }) });
    const port = Number(new URL(recording.proxyUrl).port);
    const authority = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [a, b] = [client(port, authority), client(port, authority)];
    for (const [who, n] of [[a, 1], [b, 1], [a, 2], [b, 2], [b, 3], [a, 3]] as const) await who.send(n);
    const capture = await recording.finish();

    expect(capture.exchanges).toHaveLength(6);
    const pids = new Set<number>();
    for (const ex of capture.exchanges) {
      const sender = Number(/\/p\/(\d+)\//.exec(ex.request.url)?.[1]);
      pids.add(sender);
      expect(ex.source).toMatchObject({ kind: 'process', pid: sender, comm: 'python3', isClient: false });
    }
    expect([...pids].sort()).toEqual([a.child.pid, b.child.pid].sort());
  });
});
