/**
 * The recorder never alters the flow: every behaviour of `http-behaviours.ts` is run straight to a
 * real loopback server and through the real recorder, with the same real client (curl, Debian's
 * python3-requests, a raw socket), over HTTP and HTTPS. What the client saw (status lines, headers
 * but Date, body bytes, 1xx, trailers, exit code or exception, connections opened) and how many
 * requests the server got must be the same; the capture must say what happened. The table of
 * results is printed and written to test/artifacts/differential.md.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../../src/model/exchange.js';
import { startBehaviourServer, type ServerCounts } from '../helpers/behaviour-servers.js';
import { curlView, pythonView, rawView, type ClientName, type Route } from '../helpers/differential-clients.js';
import { BEHAVIOURS, type Behaviour } from '../helpers/http-behaviours.js';
import { startRecording } from '../helpers/recording.js';
import { UPSTREAM_CERT_PATH } from '../helpers/loopback-upstream.js';

type Scheme = 'http' | 'https';
interface Run {
  view: string[];
  serverRequests: number;
  counts: ServerCounts;
  capture: Capture | null;
}

async function observe(behaviour: Behaviour, client: ClientName, scheme: Scheme, through: boolean): Promise<Run> {
  const server = await startBehaviourServer(behaviour.handler, scheme === 'https', behaviour.keepAliveMs);
  const rec = through ? await startRecording() : null;
  try {
    const route: Route = { origin: server.origin, proxy: rec?.proxyUrl ?? null, caFile: rec?.recorder.caCertPath ?? UPSTREAM_CERT_PATH };
    const view =
      client === 'curl'
        ? await curlView(route, behaviour.requests)
        : client === 'python'
          ? await pythonView(route, behaviour.requests)
          : await rawView(route, behaviour.raw ?? [], behaviour.keepAliveMs ? 7000 : 1000);
    // The client has exited; give the server and the recorder a moment to see its connection close.
    for (let i = 0; i < 60 && rec && rec.recorder.exchangeCount() < server.counts.requests; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 100));
    const capture = rec ? await rec.finish() : null;
    return { view, serverRequests: server.counts.requests, counts: server.counts, capture };
  } finally {
    await server.close();
  }
}

const rows: string[] = [];
function verdict(direct: Run, through: Run): string {
  const a = [...direct.view, `server got ${direct.serverRequests} requests`];
  const b = [...through.view, `server got ${through.serverRequests} requests`];
  const i = a.findIndex((line, n) => line !== b[n]);
  if (i < 0 && a.length === b.length) return 'same';
  return `different: direct \`${a[i] ?? '(nothing)'}\`, through \`${b[i] ?? '(nothing)'}\``;
}

const cases = BEHAVIOURS.flatMap((b) =>
  (['http', 'https'] as const).flatMap((scheme) =>
    b.clients.filter((c) => scheme === 'http' || (c !== 'raw' && !b.notOverHttps?.includes(c))).map((client) => ({ behaviour: b, client, scheme })),
  ),
);

describe('differential: the client sees the same directly and through the recorder', () => {
  // One retry: an early answer races the client's upload even with no recorder in between (curl may
  // see a send error before the answer on a loaded machine); a difference the recorder makes repeats.
  it.each(cases.map((c) => [`${c.behaviour.name} · ${c.client} · ${c.scheme}`, c] as const))('%s', { timeout: 60_000, retry: 1 }, async (_, { behaviour, client, scheme }) => {
    const direct = await observe(behaviour, client, scheme, false);
    const through = await observe(behaviour, client, scheme, true);
    rows.push(`| ${behaviour.name} | ${client} | ${scheme} | ${verdict(direct, through)} |`);
    expect(through.view).toEqual(direct.view);
    expect(through.serverRequests).toBe(direct.serverRequests);
    const exchanges = through.capture?.exchanges ?? [];
    const recorded = client === 'raw' ? (behaviour.rawRecorded ?? behaviour.recorded) : behaviour.recorded;
    const states = exchanges.map((e) => `${e.state} ${e.response?.statusCode ?? '-'}`);
    expect(states).toHaveLength(recorded.length);
    states.forEach((state, i) => expect(state).toMatch(new RegExp(`^(${recorded[i]})$`)));
    expect(exchanges).toHaveLength(through.serverRequests);
    behaviour.check?.(exchanges, through.counts);
  });
});

afterAll(() => {
  const table = ['| behaviour | client | scheme | result |', '|---|---|---|---|', ...rows].join('\n');
  console.info(table);
  const dir = fileURLToPath(new URL('../artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}differential.md`, `${table}\n`);
});
