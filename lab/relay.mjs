// The lab's always-on routing relay: one HTTP forward proxy per routed service, on the port that
// service's http_proxy points at. Each request (or CONNECT tunnel) goes to the recorder's listener
// for that service when a recorder listens there, and straight to its destination otherwise — so
// the lab works with no recorder running (without this, glance-api answered 401 to everything: its
// token validation had nowhere to go), and a recording sees every service under its own name.
// While a recorder listens, a new connection that opens with a proxy request is piped to it whole, as
// raw bytes: the recorder sees exactly what the service sent, and bulk bodies (glance's image PUT to
// swift) cross this hop without a second HTTP parse, which cost 1 to 1.5 CPU s per 300 MiB on the
// 2-core lab. Other connections are served here, one request at a time, and the choice is made per
// request, so keep-alive connections opened before a recording started still reach the recorder.
//   node lab/relay.mjs HOST NAME=ROUTE_PORT:RECORDER_PORT...
import http from 'node:http';
import net from 'node:net';

const [host, ...specs] = process.argv.slice(2);
if (!host || specs.length === 0) {
  console.error('usage: node lab/relay.mjs HOST NAME=ROUTE_PORT:RECORDER_PORT...');
  process.exit(2);
}

/** True when something accepts connections on the recorder's port (checked for every request). */
function recorderListens(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

/** Raw headers without the proxy's own (hop-to-proxy) ones, for a direct request. */
function directHeaders(raw) {
  const out = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!/^proxy-/i.test(raw[i])) out.push(raw[i], raw[i + 1]);
  }
  return out;
}

function fail(res, name, err) {
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
  res.end(`lab relay ${name}: ${err.code ?? err.message}\n`);
}

async function onRequest(name, recorderPort, req, res) {
  if (!/^https?:\/\//i.test(req.url)) {
    // Not a proxy request: the health check of lab/status.
    res.writeHead(req.url === '/healthcheck' ? 200 : 400, { 'content-type': 'text/plain' });
    res.end(`lab relay ${name}\n`);
    return;
  }
  const viaRecorder = await recorderListens(recorderPort);
  const url = new URL(req.url);
  const options = viaRecorder
    ? { host, port: recorderPort, method: req.method, path: req.url, headers: req.rawHeaders }
    : { host: url.hostname, port: url.port || 80, method: req.method, path: url.pathname + url.search, headers: directHeaders(req.rawHeaders) };
  const upstream = http.request({ ...options, agent: false, setHost: false }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
    up.pipe(res);
  });
  upstream.on('error', (err) => fail(res, name, err));
  req.pipe(upstream);
}

async function onConnect(name, recorderPort, req, client, head) {
  const viaRecorder = await recorderListens(recorderPort);
  const [targetHost, targetPort] = viaRecorder ? [host, recorderPort] : [req.url.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''), Number(req.url.split(':').pop())];
  const upstream = net.connect({ host: targetHost, port: targetPort }, () => {
    if (viaRecorder) upstream.write(`CONNECT ${req.url} HTTP/1.1\r\nHost: ${req.url}\r\n\r\n`);
    else client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const close = () => { upstream.destroy(); client.destroy(); };
  upstream.on('error', close);
  client.on('error', close);
}

/** True when `first` (a connection's first bytes) opens with a proxy request: absolute-form or CONNECT. */
function isProxyRequest(first) {
  return /^(?:CONNECT |[A-Z]+ https?:\/\/)/i.test(first.toString('latin1', 0, 16));
}

/** Pipes `client` (whose first bytes are `first`) to the recorder as it is; false when none listens. */
function pipeToRecorder(recorderPort, client, first) {
  return new Promise((resolve) => {
    const recorder = net.connect({ host, port: recorderPort });
    recorder.once('error', () => resolve(false));
    recorder.once('connect', () => {
      resolve(true);
      recorder.removeAllListeners('error');
      const close = () => { recorder.destroy(); client.destroy(); };
      recorder.on('error', close);
      client.on('error', close);
      recorder.write(first);
      recorder.pipe(client);
      client.pipe(recorder);
      client.resume();
    });
  });
}

/** A new connection: piped to the recorder when it opens with a proxy request and one listens, else served here. */
function onConnection(server, recorderPort, client) {
  client.once('error', () => client.destroy()); // a reset before the first bytes
  client.once('data', async (first) => {
    client.pause();
    if (isProxyRequest(first) && (await pipeToRecorder(recorderPort, client, first))) return;
    client.unshift(first);
    server.emit('connection', client);
    client.resume();
  });
}

for (const spec of specs) {
  const m = /^([\w.-]+)=(\d+):(\d+)$/.exec(spec);
  if (!m) { console.error(`lab relay: bad route ${spec} (want NAME=ROUTE_PORT:RECORDER_PORT)`); process.exit(2); }
  const [, name, routePort, recorderPort] = m;
  const server = http.createServer((req, res) => void onRequest(name, Number(recorderPort), req, res));
  server.on('connect', (req, socket, head) => void onConnect(name, Number(recorderPort), req, socket, head));
  server.on('clientError', (_err, socket) => socket.destroy());
  const front = net.createServer((client) => onConnection(server, Number(recorderPort), client));
  front.on('error', (err) => { console.error(`lab relay ${name}: ${err.message}`); process.exit(1); });
  front.listen(Number(routePort), host, () => console.log(`lab relay: ${name} ${host}:${routePort} -> recorder :${recorderPort} or direct`));
}
