/**
 * The capture's fields come in the order the schema lists them (the capture format is the
 * contract: people read and diff these lines). The recorder builds its records by hand for speed,
 * so the order is checked on real lines: a completed exchange and a failed one.
 */
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { startRecording } from '../helpers/recording.js';

interface SchemaObject {
  properties: Record<string, unknown>;
}
const schema = JSON.parse(readFileSync(new URL('../../schema/capture.schema.json', import.meta.url), 'utf8')) as { definitions: Record<string, SchemaObject> };

/** The schema's order of an object's properties, for those present in `value`. */
function schemaOrder(definition: string, value: object): string[] {
  const keys = Object.keys(schema.definitions[definition]?.properties ?? {});
  expect(keys.length).toBeGreaterThan(0);
  return keys.filter((k) => k in value);
}

/** POSTs `body` to `url` through the proxy; resolves with the status code. */
function post(proxyPort: number, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, method: 'POST', path: url, headers: { Host: new URL(url).host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('capture field order', () => {
  it('writes exchange, request, response and body fields in the schema order', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"ok":"é\\u0001"}'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const recording = await startRecording();
    const proxyPort = Number(new URL(recording.proxyUrl).port);
    expect(await post(proxyPort, `${origin}/ok`, '{"a":"ü\\n"}')).toBe(200);
    expect(await post(proxyPort, `${closedOrigin}/gone`, 'x')).toBe(502);
    await recording.finish();
    server.close();

    const lines = readFileSync(recording.capturePath, 'utf8').trimEnd().split('\n');
    const exchanges = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.type === 'exchange');
    expect(exchanges.map((e) => e.state).sort()).toEqual(['completed', 'failed']);
    for (const exchange of exchanges) {
      expect(Object.keys(exchange)).toEqual(schemaOrder('exchange', exchange));
      const request = exchange.request as Record<string, object>;
      expect(Object.keys(request)).toEqual(schemaOrder('request', request));
      expect(Object.keys(request.body!)).toEqual(schemaOrder('body', request.body!));
      if (exchange.state === 'failed') expect(Object.keys(exchange)).toContain('error');
      const response = exchange.response as Record<string, object> | null;
      if (exchange.state === 'completed') {
        expect(Object.keys(response!)).toEqual(schemaOrder('response', response!));
        expect(Object.keys(response!.body!)).toEqual(schemaOrder('body', response!.body!));
      }
    }
  });
});
