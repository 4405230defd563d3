/**
 * End to end on the compute lab: `lab/up --compute` (RabbitMQ, placement, neutron-server, nova-api,
 * -conductor, -scheduler and -compute with the fake driver), then `openstack server create --wait`
 * recorded with every service on its own labelled listener, then the delete. Checks that the server
 * became ACTIVE, that every service sending HTTP is a participant under its own name, that the
 * exchange counts per (sender → target) are within the range measured for a first create, that
 * neutron's `os-server-external-events` call reaches nova-api, and that no arrow is drawn from the
 * wrong service. Runs after the image-create test (see the sequencer in vitest.lab.config.ts);
 * the lab is torn down at the end, pass or fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import type { Capture } from '../../src/model/exchange.js';
import { buildTimelines, type Arrow, type Timeline } from '../../src/model/timeline.js';
import { repoRoot, runLabScript } from '../helpers/lab-scripts.js';
import { fullDiagram } from '../helpers/mermaid-arrows.js';

const artifacts = join(repoRoot, 'test/artifacts/lab');
const createCapture = join(artifacts, 'openstack-server-create.jsonl');
const createPage = join(artifacts, 'openstack-server-create.md');
const deleteCapture = join(artifacts, 'openstack-server-delete.jsonl');
const MINUTES = 60_000;

/**
 * Requests per (sender → target) of a first `server create --wait` after `lab/up --compute`:
 * measured 2026-12-01 (issue 14's recipe and this lab). The upper bounds leave room for the
 * client's status polls (each adds nova-api → neutron-server calls) and for one round of
 * nova-compute's periodic tasks (about 11 calls a minute) falling inside the recording.
 */
const RANGES: Record<string, [number, number]> = {
  'openstack-client → keystone-api': [2, 2],
  'openstack-client → glance-api': [3, 5],
  'openstack-client → nova-api': [6, 20],
  'openstack-client → neutron-server': [1, 3],
  'glance-api → keystone-api': [2, 6],
  'nova-api → keystone-api': [1, 8],
  'nova-api → glance-api': [2, 3],
  'nova-api → neutron-server': [9, 40],
  'nova-scheduler → placement-api': [3, 3],
  'placement-api → keystone-api': [1, 4],
  'nova-compute → placement-api': [3, 12],
  'nova-compute → neutron-server': [15, 45],
  'nova-compute → keystone-api': [1, 4],
  'neutron-server → keystone-api': [2, 10],
  'neutron-server → nova-api': [1, 2],
};

/** Services whose User-Agent names them (`nova-compute keystoneauth1/…`, `glance/25.1.0 …`). */
const UA_NAMES: Array<[RegExp, string]> = [
  [/^nova-api /, 'nova-api'],
  [/^nova-scheduler /, 'nova-scheduler'],
  [/^nova-compute /, 'nova-compute'],
  [/^nova-conductor /, 'nova-conductor'],
  [/^neutron-server /, 'neutron-server'],
  [/^placement-api /, 'placement-api'],
  [/^glance\//, 'glance-api'],
];

/** Calls only one service makes in this flow. */
const ONLY_FROM: Array<[string, RegExp, string]> = [
  ['POST', /\/os-server-external-events$/, 'neutron-server'],
  ['GET', /\/allocation_candidates$/, 'nova-scheduler'],
  ['PUT', /^\/allocations\/[^/]+$/, 'nova-scheduler'],
  ['POST', /^\/v2\.0\/ports$/, 'nova-compute'],
  ['POST', /\/servers$/, 'openstack-client'],
];

let capture: Capture;
let full: Timeline;

function timeline(c: Capture): Timeline {
  return buildTimelines(c, { config: defaultConfig(), secrets: 'mask', include: [], exclude: [] }).full;
}

const requests = (t: Timeline): Arrow[] => t.arrows.filter((a) => a.kind === 'request');
const userAgent = (a: Arrow): string => a.exchange.request.headers.find(([n]) => n.toLowerCase() === 'user-agent')?.[1] ?? '';
const path = (a: Arrow): string => new URL(a.exchange.request.url).pathname;

beforeAll(async () => {
  const up = runLabScript('up', ['--compute'], 40 * MINUTES);
  console.log(`lab/up --compute: ${up.seconds.toFixed(1)} s`);
  const rec = runLabScript('record', ['-o', createCapture, '-p', createPage, '--', 'openstack', 'server', 'create',
    '--flavor', 'tiny', '--image', 'demo-image', '--network', 'demo-net', '--wait', 'demo'], 10 * MINUTES);
  console.log(`lab/record server create: ${rec.seconds.toFixed(1)} s`);
  capture = await readCapture(createCapture);
  full = timeline(capture);
}, 50 * MINUTES);

afterAll(() => {
  runLabScript('down', [], 3 * MINUTES);
}, 4 * MINUTES);

describe('openstack server create, recorded on the compute lab', () => {
  it('makes the server ACTIVE, the command\'s exchanges all completed, none failed', () => {
    expect(capture.trailer?.exit).toEqual({ kind: 'exited', code: 0 });
    expect(capture.trailer?.stdout?.data).toMatch(/\|\s*status\s*\|\s*ACTIVE\s*\|/);
    // The command's own calls all completed; a service's periodic call may still be in flight when
    // the recording ends (recorded as incomplete), but none failed.
    const own = requests(full).filter((a) => a.from.name === 'openstack-client').map((a) => a.exchange.state);
    expect(new Set(own)).toEqual(new Set(['completed']));
    expect(capture.exchanges.filter((e) => e.state === 'failed' || e.state === 'aborted')).toEqual([]);
  });

  it('names every service that sends HTTP as a participant, also in the rendered diagram', () => {
    const senders = new Set(requests(full).map((a) => a.from.name));
    for (const name of ['openstack-client', 'nova-api', 'nova-scheduler', 'nova-compute', 'neutron-server', 'placement-api', 'glance-api']) {
      expect(senders, name).toContain(name);
    }
    const listened = capture.exchanges.flatMap((e) => (e.source.kind === 'listener' && e.source.label !== 'default' ? [e.source.label] : []));
    for (const label of listened) expect(senders).toContain(label);
    const diagram = fullDiagram(readFileSync(createPage, 'utf8'));
    expect(diagram.participants).toEqual(full.participants.map((p) => p.name));
  });

  it('has the exchange counts of a first create per sender and target', () => {
    const counts: Record<string, number> = {};
    for (const a of requests(full)) counts[`${a.from.name} → ${a.to.name}`] = (counts[`${a.from.name} → ${a.to.name}`] ?? 0) + 1;
    console.log('server create, requests by sender → target:', counts);
    expect(Object.keys(counts).sort()).toEqual(Object.keys(RANGES).sort());
    for (const [pair, [min, max]] of Object.entries(RANGES)) {
      expect(counts[pair], pair).toBeGreaterThanOrEqual(min);
      expect(counts[pair], pair).toBeLessThanOrEqual(max);
    }
  });

  it('records neutron-server telling nova-api about the new port (os-server-external-events)', () => {
    const events = requests(full).filter((a) => path(a).endsWith('/os-server-external-events'));
    expect(events.map((a) => `${a.from.name} → ${a.to.name}`)).toContain('neutron-server → nova-api');
    const server = capture.exchanges.find((e) => e.request.method === 'POST' && /\/servers$/.test(e.request.url));
    const serverId = (JSON.parse(server?.response?.body.data ?? '{}') as { server?: { id?: string } }).server?.id;
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.some((a) => a.exchange.request.body.data.includes('network-changed') && a.exchange.request.body.data.includes(serverId ?? '?'))).toBe(true);
  });

  it('draws no arrow from the wrong service', () => {
    for (const a of requests(full)) {
      const ua = userAgent(a);
      const named = UA_NAMES.find(([re]) => re.test(ua));
      if (named) expect(`${a.from.name}: ${ua}`).toBe(`${named[1]}: ${ua}`);
      // The CLI's own User-Agents never come from a service, and services' never from the CLI.
      expect(`${a.from.name}: ${ua}`).toMatch(a.from.name === 'openstack-client' ? /: (openstacksdk|python-novaclient)/ : /^(?!openstack-client).*: (?!openstacksdk)/);
      for (const [method, re, only] of ONLY_FROM) {
        if (a.exchange.request.method === method && re.test(path(a))) expect(`${method} ${path(a)} from ${a.from.name}`).toBe(`${method} ${path(a)} from ${only}`);
      }
      expect(a.from.name).not.toBe(a.to.name);
    }
  });

  it('deletes the server, recorded with nova-compute releasing port and allocations', async () => {
    runLabScript('record', ['-o', deleteCapture, '--no-render', '--warm', '--', 'openstack', 'server', 'delete', '--wait', 'demo'], 10 * MINUTES);
    const del = timeline(await readCapture(deleteCapture));
    expect(del.arrows.length).toBeGreaterThan(0);
    const lines = requests(del).map((a) => `${a.from.name} ${a.exchange.request.method} ${path(a)}`);
    expect(lines).toContainEqual(expect.stringMatching(/^nova-compute DELETE \/v2\.0\/ports\/[0-9a-f-]{36}$/));
    expect(lines).toContainEqual(expect.stringMatching(/^nova-compute DELETE \/allocations\/[0-9a-f-]{36}$/));
    expect(lines).toContain('neutron-server POST /v2.1/os-server-external-events');
  });
});
