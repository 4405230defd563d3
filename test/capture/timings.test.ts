/** The instants a recording gives each exchange: wall time (`at`) and monotonic time (`ns`) agree. */
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { Instant } from '../../src/model/exchange.js';
import { startRecording } from '../helpers/recording.js';

/** GET `url` through the proxy at `proxyPort` (absolute form), on one keep-alive agent. */
function get(proxyPort: number, url: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, agent, headers: { Host: new URL(url).host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('exchange timings', () => {
  it('stamps each step with the wall clock of that moment, consistent with the monotonic clock', async () => {
    // Answers after `wait` ms, so that an exchange spans several milliseconds.
    const server = http.createServer((req, res) => setTimeout(() => res.end('ok'), Number(new URL(req.url ?? '/', 'http://x').searchParams.get('wait'))));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const recording = await startRecording();
    const proxyPort = Number(new URL(recording.proxyUrl).port);
    const agent = new http.Agent({ keepAlive: true });
    const before = Date.now();
    for (const wait of [0, 40, 0, 25, 0, 0]) expect(await get(proxyPort, `${origin}/t?wait=${wait}`, agent)).toBe('ok');
    const after = Date.now();
    agent.destroy();
    const capture = await recording.finish();
    server.close();

    const instants: Instant[] = capture.exchanges.flatMap((e) => [e.timings.requestStart, e.timings.requestEnd, e.timings.responseStart, e.timings.responseEnd].filter((i): i is Instant => i !== null));
    expect(instants).toHaveLength(24);
    const first = instants[0]!;
    for (const [i, instant] of instants.entries()) {
      const at = Date.parse(instant.at);
      expect(instant.at).toBe(new Date(at).toISOString());
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
      if (i > 0) expect(instant.ns).toBeGreaterThanOrEqual(instants[i - 1]!.ns);
      // Wall and monotonic clocks advance together (generously: `at` has millisecond steps, and a busy machine may pause between the two reads).
      const wall = at - Date.parse(first.at);
      const mono = (instant.ns - first.ns) / 1e6;
      expect(Math.abs(wall - mono)).toBeLessThan(20);
    }
    const spans = capture.exchanges.map((e) => Date.parse(e.timings.responseStart!.at) - Date.parse(e.timings.requestStart.at));
    expect(spans[1]).toBeGreaterThanOrEqual(39);
    expect(spans[3]).toBeGreaterThanOrEqual(24);
  });
});
