/**
 * Real clients (curl, Node fetch through undici's ProxyAgent, Python requests) through the real
 * recorder to real loopback upstreams, plain HTTP and HTTPS via CONNECT. Each capture is read back
 * with readCapture (schema-validated) and compared field by field with what the upstream saw and sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { fetch, ProxyAgent } from 'undici';
import type { RawHeaders } from '../../src/model/exchange.js';
import { curl, python } from '../helpers/clients.js';
import { expectRequestAsSeen, expectResponseAsSent, only } from '../helpers/expect-exchange.js';
import { startRecording } from '../helpers/recording.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const SENT_HEADERS: RawHeaders = [
  ['Content-Type', 'application/json; charset=UTF-8'],
  ['X-Subject-Token', 'gAAAAAB-token'],
  ['Vary', 'X-Auth-Token'],
  ['x-openstack-request-id', 'req-1'],
  ['X-Multi', 'one'],
  ['X-Multi', 'two'],
];
const SENT_BODY = Buffer.from('{"token": {"methods": ["password"], "name": "\u00e9t\u00e9"}}');
const REQUEST_BODY = '{"auth": {"identity": {"methods": ["password"]}}}';
const PATH = '/identity/v3/auth/tokens?nocatalog=1';

let plain: Upstream;
let tls: Upstream;
const reply = (_req: unknown, res: ServerResponse): void => {
  res.writeHead(300, 'MULTIPLE CHOICES', SENT_HEADERS.flat());
  res.end(SENT_BODY);
};

beforeAll(async () => {
  plain = await startUpstream(reply);
  tls = await startUpstream(reply, { tls: true });
});
afterAll(async () => {
  await plain.close();
  await tls.close();
});

const sent = { status: 300, reason: 'MULTIPLE CHOICES', headers: SENT_HEADERS, body: SENT_BODY };

describe.each([
  ['http', () => plain],
  ['https', () => tls],
])('over %s', (scheme, upstream) => {
  it('curl: capture matches what the server saw and sent; the client gets the same status line', async () => {
    const rec = await startRecording();
    const seenBefore = upstream().seen.length;
    const result = await curl(rec.proxyUrl, [
      '-i', '--cacert', rec.recorder.caCertPath,
      '-H', 'X-Auth-Token: abc', '-H', 'content-type: application/json', '-H', 'ACCEPT: application/json',
      '--data-binary', REQUEST_BODY, `${upstream().origin}${PATH}`,
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout.toString()).toMatch(/^(HTTP\/1\.1 200 [^\r]*\r\n\r\n)?HTTP\/1\.1 300 MULTIPLE CHOICES\r\n/i);
    expect(result.stdout.subarray(result.stdout.length - SENT_BODY.length).equals(SENT_BODY)).toBe(true);
    const capture = await rec.finish();
    const ex = only(capture.exchanges);
    expect(ex.request.url).toBe(`${upstream().origin}${PATH}`);
    expect(ex.request.headers.map(([n]) => n)).toEqual(['Host', 'User-Agent', 'X-Auth-Token', 'content-type', 'ACCEPT', 'Content-Length']);
    expectRequestAsSeen(ex, only(upstream().seen.slice(seenBefore)));
    expectResponseAsSent(ex, sent);
    expect(ex.request.body.mediaType).toBe('application/json');
    expect(ex.response?.body.mediaType).toBe('application/json');
    expect(capture.trailer?.exchangeCount).toBe(1);
  });

  it('Node fetch through undici ProxyAgent', async () => {
    const rec = await startRecording();
    const seenBefore = upstream().seen.length;
    const dispatcher = new ProxyAgent({ uri: rec.proxyUrl, requestTls: { ca: rec.caPem } });
    const res = await fetch(`${upstream().origin}${PATH}`, {
      method: 'POST',
      headers: { 'X-Auth-Token': 'abc', 'Content-Type': 'application/json' },
      body: REQUEST_BODY,
      dispatcher,
    });
    expect(res.status).toBe(300);
    expect(res.statusText).toBe('MULTIPLE CHOICES');
    expect(Buffer.from(await res.arrayBuffer()).equals(SENT_BODY)).toBe(true);
    await dispatcher.close();
    const ex = only((await rec.finish()).exchanges);
    expectRequestAsSeen(ex, only(upstream().seen.slice(seenBefore)));
    expectResponseAsSent(ex, sent);
  });

  it('Python requests (Debian python3-requests) with the recorder CA', async () => {
    const rec = await startRecording();
    const seenBefore = upstream().seen.length;
    const script = [
      'import requests, sys',
      `p = ${JSON.stringify(rec.proxyUrl)}`,
      `r = requests.post(${JSON.stringify(upstream().origin + PATH)}, data=${JSON.stringify(REQUEST_BODY)},`,
      `  headers={"X-Auth-Token": "abc", "Content-Type": "application/json"},`,
      `  proxies={"http": p, "https": p}, verify=${JSON.stringify(rec.recorder.caCertPath)}, allow_redirects=False)`,
      'sys.stdout.write("%d %s\\n" % (r.status_code, r.reason))',
      'sys.stdout.flush()',
      'sys.stdout.buffer.write(r.content)',
    ].join('\n');
    const result = await python(script);
    expect(result.stderr).toBe('');
    const out = result.stdout;
    const newline = out.indexOf(10);
    expect(out.subarray(0, newline).toString()).toBe('300 MULTIPLE CHOICES');
    expect(out.subarray(newline + 1).equals(SENT_BODY)).toBe(true);
    const ex = only((await rec.finish()).exchanges);
    expect(ex.source).toEqual({ kind: 'user-agent', userAgent: expect.stringMatching(/^python-requests\//) });
    expectRequestAsSeen(ex, only(upstream().seen.slice(seenBefore)));
    expectResponseAsSent(ex, sent);
    expect(ex.request.url.startsWith(`${scheme}://`)).toBe(true);
  });
});

describe('a request the recorder cannot place', () => {
  it('HTTP/1.0 in origin form without a Host header: 400 from the recorder, nothing forwarded or recorded', async () => {
    const rec = await startRecording();
    const socket = connect(Number(new URL(rec.proxyUrl).port), '127.0.0.1');
    socket.end('GET /no-host HTTP/1.0\r\n\r\n'); // HTTP/1.1 without Host is Node's own 400
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const answer = Buffer.concat(chunks).toString('latin1');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nContent-Type: text\/html; charset=utf-8\r\n/i);
    expect(answer.endsWith('Bad request: Host missing...')).toBe(true);
    expect((await rec.finish()).exchanges).toEqual([]);
  });
});
