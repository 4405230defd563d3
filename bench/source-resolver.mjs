// What source attribution costs per request, measured against the attribution the recorder does
// without it (listener label / User-Agent) in the same run. Real sockets, real /proc.
// Usage: npm run build && node bench/source-resolver.mjs [idle-connections]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { createSourceResolver } from '../dist/capture/attribution/source.js';
import { defaultSource } from '../dist/capture/recorder.js';

const IDLE = Number(process.argv[2] ?? 200);
const CLIENT = 'import socket,sys\ns=socket.create_connection(("127.0.0.1", int(sys.argv[1])))\nprint("ready", flush=True)\nsys.stdin.read()\n';

const server = createServer().listen(0, '127.0.0.1');
await once(server, 'listening');
const port = server.address().port;
const accepted = [];
server.on('connection', (s) => accepted.push(s));
// Idle connections make /proc/net/tcp as long as a busy recorder's.
const idle = await Promise.all(Array.from({ length: IDLE }, async () => {
  const s = connect(port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}));
const child = spawn('/usr/bin/python3', ['-c', CLIENT, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
await once(child.stdout, 'data');
while (accepted.length < IDLE + 1) await new Promise((r) => setTimeout(r, 10));
const socket = accepted.at(-1);
const connection = { listenerLabel: 'default', remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, localPort: port, userAgent: 'bench' };

function perCall(label, n, fn) {
  fn(); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
  return { label, us };
}

const baseline = perCall('baseline (listener label / User-Agent only)', 20000, () => defaultSource(connection));
const cached = createSourceResolver({ clientPid: () => child.pid });
const warm = perCall('process attribution, known connection (per request)', 2000, () => cached(connection));
const cold = perCall('process attribution, new connection (fd scan)', 50, () => createSourceResolver({ clientPid: () => child.pid })(connection));
const source = cached(connection);
if (source.kind !== 'process' || source.pid !== child.pid) throw new Error(`wrong attribution: ${JSON.stringify(source)}`);

console.log(`source attribution with ${IDLE} other open connections, ${(await import('node:fs')).readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length} processes`);
for (const r of [baseline, warm, cold]) {
  console.log(`${r.label.padEnd(55)} ${r.us.toFixed(1).padStart(9)} µs/call  ×${(r.us / baseline.us).toFixed(0)} baseline`);
}
child.stdin.end();
for (const s of [...idle, ...accepted]) s.destroy();
server.close();
