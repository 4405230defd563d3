/**
 * What a real client saw, as comparable lines: curl, Debian's python3-requests, and a raw socket
 * client (for pipelining and request trailers, which neither of the others can send). The same
 * requests go either straight to the server or through a proxy; the view leaves out only what
 * differs between any two runs (the Date header).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './clients.js';

export interface RequestSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Bytes of request body ('a' repeated), none when absent. */
  bodyBytes?: number;
  /** Send the body with `Transfer-Encoding: chunked`. */
  chunked?: boolean;
}

export interface Route {
  /** `http://127.0.0.1:PORT` or `https://...` of the server. */
  origin: string;
  /** Proxy URL, or null for direct. */
  proxy: string | null;
  /** PEM file the client trusts for HTTPS (the server's certificate direct, the recorder's CA through it). */
  caFile: string;
}

const DIR = mkdtempSync(join(tmpdir(), 'flowscribe-diff-'));

function bodyFile(size: number): string {
  const file = join(DIR, `body-${size}`);
  if (!existsSync(file)) writeFileSync(file, Buffer.alloc(size, 'a'));
  return file;
}

const digest = (data: Buffer): string => createHash('sha256').update(data).digest('hex').slice(0, 12);
const bodyLine = (data: Buffer): string => `body ${data.length} bytes ${digest(data)}`;
/** Header lines as the client got them, minus Date (the only one that differs between two runs). */
const keep = (line: string): boolean => !/^date:/i.test(line);

/** `curl -D` output → status and header lines of every response (1xx and trailers included). */
function headerDumpLines(text: string): string[] {
  const blocks = text.split(/\r\n(?=HTTP\/)/);
  // A final (non-1xx) head followed by another is the proxy's answer to CONNECT, not the server's.
  const wanted = blocks.filter((b, i) => i === blocks.length - 1 || /^HTTP\/\S+ 1\d\d /.test(b));
  return wanted.flatMap((b) => b.split('\r\n')).filter((l) => l !== '' && keep(l));
}

export async function curlView(route: Route, requests: RequestSpec[]): Promise<string[]> {
  const dir = mkdtempSync(join(DIR, 'curl-'));
  const args: string[] = [];
  requests.forEach((r, i) => {
    if (i > 0) args.push('--next');
    args.push('-sS', '-m', '20', '--cacert', route.caFile, '-D', join(dir, `h${i}`), '-w', '%{stderr}connects %{num_connects}\n');
    if (route.proxy) args.push('--proxy', route.proxy);
    args.push(...(r.method === 'HEAD' ? ['--head', '-o', '/dev/null'] : ['-X', r.method, '-o', join(dir, `b${i}`)]));
    for (const [name, value] of Object.entries(r.headers ?? {})) args.push('-H', `${name}: ${value}`);
    if (r.chunked) args.push('-H', 'Transfer-Encoding: chunked');
    if (r.bodyBytes !== undefined) args.push('--data-binary', `@${bodyFile(r.bodyBytes)}`);
    args.push(`${route.origin}${r.path}`);
  });
  const result = await run('curl', args);
  const lines: string[] = [];
  requests.forEach((r, i) => {
    const headers = join(dir, `h${i}`);
    if (existsSync(headers)) lines.push(...headerDumpLines(readFileSync(headers, 'latin1')));
    const body = join(dir, `b${i}`);
    if (r.method !== 'HEAD' && existsSync(body)) lines.push(bodyLine(readFileSync(body)));
  });
  const connects = [...result.stderr.matchAll(/connects (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return [...lines, `connections opened ${connects}`, `exit ${result.code}`];
}

const PYTHON = `
import hashlib, json, re, sys
import requests, urllib3.util.connection as uc
spec = json.loads(sys.argv[1])
opened = [0]
create = uc.create_connection
def counted(*a, **k):
    opened[0] += 1
    return create(*a, **k)
uc.create_connection = counted
s = requests.Session()
proxies = {"http": spec["proxy"], "https": spec["proxy"]} if spec["proxy"] else {}
out = []
def chunks(n):
    while n > 0:
        yield b"a" * min(n, 65536)
        n -= 65536
try:
    for r in spec["requests"]:
        n = r.get("bodyBytes")
        data = None if n is None else (chunks(n) if r.get("chunked") else b"a" * n)
        resp = s.request(r["method"], spec["origin"] + r["path"], data=data, headers=r.get("headers", {}),
                         proxies=proxies, verify=spec["ca"], allow_redirects=False, timeout=20)
        out.append("HTTP/1.1 %d %s" % (resp.status_code, resp.reason))
        out += ["%s: %s" % kv for kv in resp.raw._original_response.msg.items()]
        out.append("body %d bytes %s" % (len(resp.content), hashlib.sha256(resp.content).hexdigest()[:12]))
    status = "ok"
except Exception as e:
    status = "%s %s" % (type(e).__name__, " ".join(re.findall(r"(\\w+(?:Error|Exception|Reset))\\(", repr(e))))
    if spec.get("debug"): status += repr(e)
out += ["connections opened %d" % opened[0], "python: " + status]
print(json.dumps(out))
`;

export async function pythonView(route: Route, requests: RequestSpec[]): Promise<string[]> {
  const spec = JSON.stringify({ origin: route.origin, proxy: route.proxy, ca: route.caFile, requests, debug: process.env.DBG === "1" });
  const result = await run('/usr/bin/python3', ['-c', PYTHON, spec], cleanEnv());
  if (result.code !== 0) return [`python exited ${result.code}: ${result.stderr.trim().split('\n').at(-1)}`];
  return (JSON.parse(result.stdout.toString()) as string[]).filter(keep);
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['no_proxy', 'NO_PROXY', 'http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete env[name];
  return env;
}

/**
 * Raw HTTP/1.1 over one TCP connection (plain HTTP only): `writes` are sent back to back (so
 * several requests are pipelined) except that `{sleep:MS}` waits; `{path:/x}` targets become
 * absolute-form when proxied. Reads until the connection ends or stays idle for `idleMs`.
 */
export async function rawView(route: Route, writes: string[], idleMs = 1000): Promise<string[]> {
  const url = new URL(route.origin);
  const via = route.proxy ? new URL(route.proxy) : url;
  const target = (path: string): string => (route.proxy ? `${route.origin}${path}` : path);
  const socket: Socket = connect(Number(via.port), via.hostname);
  const chunks: Buffer[] = [];
  const send = async (): Promise<void> => {
    for (const w of writes) {
      const sleep = /^\{sleep:(\d+)\}$/.exec(w);
      if (sleep) await new Promise((r) => setTimeout(r, Number(sleep[1])));
      else socket.write(w.replace(/\{path:([^}]*)\}/g, (_, p: string) => target(p)).replaceAll('{host}', url.host));
    }
  };
  const ending = await new Promise<string>((resolve) => {
    let timer = setTimeout(() => resolve('idle'), idleMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      clearTimeout(timer);
      timer = setTimeout(() => resolve('idle'), idleMs);
    });
    socket.once('end', () => resolve('closed by peer'));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code}`));
    socket.once('connect', () => void send());
  });
  socket.destroy();
  const text = Buffer.concat(chunks).toString('latin1');
  return [...text.split('\r\n').filter(keep), `connection: ${ending}`];
}

export type ClientName = 'curl' | 'python' | 'raw';
