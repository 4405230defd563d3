/**
 * OTLP export: the image-create capture as one trace of 25 spans whose parents are what glance-api
 * was serving; the JSON decodes with the official OTLP protobuf definitions; `--otlp-endpoint`
 * POSTs it to a real loopback receiver.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { toOtlp, type ExportTraceServiceRequest, type OtlpSpan } from '../../src/render/otlp.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { IMAGE_CREATE } from '../helpers/interchange-captures.js';
import { protoRoundTrip, withoutDefaults } from '../helpers/otlp-protos.js';

const options = { config: defaultConfig(), secrets: 'mask' as const, version: '0.0.0-test' };

function spans(request: ExportTraceServiceRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

function attr(span: OtlpSpan, key: string): string | undefined {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v && ('stringValue' in v ? v.stringValue : 'intValue' in v ? v.intValue : String(v.boolValue));
}

describe('OTLP export of the image-create capture', () => {
  it('gives 25 spans in one trace; glance-api calls are children of the two client calls it served', async () => {
    const request = toOtlp(await readCapture(IMAGE_CREATE), options);
    const all = spans(request);
    expect(all).toHaveLength(25);
    expect(new Set(all.map((s) => s.traceId)).size).toBe(1);
    const post = all.find((s) => s.name === 'POST /v2/images');
    const put = all.find((s) => s.name === 'PUT /v2/images/{image_id}/file');
    expect(post && put).toBeTruthy();
    const childrenOf = (id: string | undefined) => all.filter((s) => s.parentSpanId === id);
    expect(childrenOf(post?.spanId)).toHaveLength(9);
    expect(childrenOf(put?.spanId)).toHaveLength(11);
    const glance = request.resourceSpans.find((r) => r.resource.attributes[0]?.value && 'stringValue' in r.resource.attributes[0].value && r.resource.attributes[0].value.stringValue === 'glance-api');
    const glanceSpans = glance?.scopeSpans.flatMap((s) => s.spans) ?? [];
    expect(glanceSpans).toHaveLength(20);
    expect(glanceSpans.every((s) => s.parentSpanId === post?.spanId || s.parentSpanId === put?.spanId)).toBe(true);
    // The client's own calls have no parent.
    expect(all.filter((s) => s.parentSpanId === undefined)).toHaveLength(5);
  });

  it('carries the HTTP semantic-convention attributes and flowscribe.seq/source', async () => {
    const all = spans(toOtlp(await readCapture(IMAGE_CREATE), options));
    const first = all.find((s) => attr(s, 'flowscribe.seq') === '1');
    expect(first && attr(first, 'http.request.method')).toBe('GET');
    expect(first && attr(first, 'url.full')).toBe('http://127.0.0.1:5000/');
    expect(first && attr(first, 'http.response.status_code')).toBe('300');
    expect(first && attr(first, 'server.address')).toBe('127.0.0.1');
    expect(first && attr(first, 'server.port')).toBe('5000');
    expect(first && attr(first, 'user_agent.original')).toMatch(/^openstacksdk\//);
    expect(first && attr(first, 'flowscribe.source')).toMatch(/^process:openstack\[\d+\] client$/);
    expect(first?.kind).toBe(3);
    expect(BigInt(first?.endTimeUnixNano ?? 0) > BigInt(first?.startTimeUnixNano ?? 0)).toBe(true);
  });

  it('decodes with the official OTLP protobuf definitions, every field kept', async () => {
    const json = JSON.parse(JSON.stringify(toOtlp(await readCapture(IMAGE_CREATE), options))) as unknown;
    expect(withoutDefaults(protoRoundTrip(json))).toEqual(withoutDefaults(json));
  });
});

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('flowscribe export --format otlp --otlp-endpoint', () => {
  it('POSTs OTLP/HTTP JSON to /v1/traces of a loopback receiver', async () => {
    const receiver = await startReceiver();
    try {
      const result = await runCli(['export', IMAGE_CREATE, '--format', 'otlp', '--otlp-endpoint', receiver.url]);
      expect(result.stderr).toContain('sent 25 span(s)');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(receiver.received).toHaveLength(1);
      const [post] = receiver.received;
      expect(post?.method).toBe('POST');
      expect(post?.url).toBe('/v1/traces');
      expect(post?.contentType).toBe('application/json');
      const body = JSON.parse(post?.body ?? '') as ExportTraceServiceRequest;
      expect(spans(body)).toHaveLength(25);
      expect(withoutDefaults(protoRoundTrip(body))).toEqual(withoutDefaults(body));
    } finally {
      await receiver.close();
    }
  });

  it('fails with one line and exit 1 when nothing listens there', async () => {
    const receiver = await startReceiver();
    await receiver.close();
    const result = await runCli(['export', IMAGE_CREATE, '--format', 'otlp', '--otlp-endpoint', receiver.url]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--otlp-endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/traces: cannot send \(ECONNREFUSED\)/);
  });
});

describe('OTLP export of a capture with background calls (the lab\'s server delete)', () => {
  it('names background spans METHOD /path and marks them flowscribe.background; the protos keep it', async () => {
    const request = toOtlp(await readCapture(IMAGE_CREATE.replace('image-create', 'server-delete')), options);
    const background = spans(request).filter((s) => s.attributes.some((a) => a.key === 'flowscribe.background'));
    expect(background.length).toBeGreaterThan(0);
    expect(background.every((s) => /^[A-Z]+ \//.test(s.name))).toBe(true);
    const json = JSON.parse(JSON.stringify(request)) as unknown;
    expect(withoutDefaults(protoRoundTrip(json))).toEqual(withoutDefaults(json));
  });
});
