// A capture of many exchanges made from a real one: the reference `openstack image create` run
// (test/fixtures/captures/openstack-image-create-reference.jsonl, 25 exchanges) repeated `reps`
// times, each repetition with its own seq numbers, times, image id, service project and token
// prefix, so variables, participants and causality see as many distinct values as a long real run.
import { readFileSync } from 'node:fs';

const FIXTURE = new URL('../test/fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url);
const IMAGE_ID = 'e6167145-7865-4d3d-ad19-2a59fb3f1870';
const SERVICE_PROJECT = '3a16cadd069e4a70b95f71316ec6f3e8';
const TOKEN_PREFIX = 'gAAAAABjoDQ';
const RUN_SPAN_NS = 10_000_000_000;
const RUN_SPAN_MS = RUN_SPAN_NS / 1e6;

/** Shifts an ISO time by `ms`. */
const later = (iso, ms) => new Date(Date.parse(iso) + ms).toISOString();

/** The reference run repeated `reps` times as one capture's text (header, exchanges, trailer). */
export function repeatedCapture(reps) {
  const records = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  const header = records.find((r) => r.type === 'header');
  const trailer = records.find((r) => r.type === 'trailer');
  const exchanges = records.filter((r) => r.type === 'exchange');
  const lines = [JSON.stringify(header)];
  for (let r = 0; r < reps; r += 1) {
    const hex = r.toString(16).padStart(6, '0');
    for (const e of exchanges) {
      const text = JSON.stringify(e)
        .replaceAll(IMAGE_ID, IMAGE_ID.slice(0, -6) + hex)
        .replaceAll(SERVICE_PROJECT, SERVICE_PROJECT.slice(0, -6) + hex)
        .replaceAll(TOKEN_PREFIX, TOKEN_PREFIX + hex);
      const copy = JSON.parse(text);
      copy.seq = e.seq + r * exchanges.length;
      for (const t of Object.values(copy.timings)) {
        if (!t) continue;
        t.ns += r * RUN_SPAN_NS;
        t.at = later(t.at, r * RUN_SPAN_MS);
      }
      lines.push(JSON.stringify(copy));
    }
  }
  if (trailer) lines.push(JSON.stringify({ ...trailer, endedAt: later(trailer.endedAt, reps * RUN_SPAN_MS), exchangeCount: reps * exchanges.length }));
  return { text: lines.join('\n') + '\n', count: reps * exchanges.length };
}
