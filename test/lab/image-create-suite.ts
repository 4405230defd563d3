/**
 * End to end on a real OpenStack: bring the lab up (Debian's keystone, swift and glance on
 * loopback; installed first on a fresh machine), record `openstack image create` with flowscribe
 * (client and glance-api both routed through the recorder), render it, and compare the diagram with
 * the reference page's 50 steps. The lab is torn down at the end, pass or fail. Used by
 * `openstack-image-create.test.ts` (plain HTTP) and `openstack-image-create-tls.test.ts`
 * (`lab/up --tls`: keystone, glance and swift behind TLS with the lab's own CA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import type { Capture, ExchangeRecord } from '../../src/model/exchange.js';
import { repoRoot, runLabScript } from '../helpers/lab-scripts.js';
import { fullDiagram, pageVariables, type Diagram } from '../helpers/mermaid-arrows.js';

interface ExpectedSteps {
  participants: string[];
  steps: Array<{ from: string; to: string; label: string; reference: string }>;
}

const expected = JSON.parse(
  readFileSync(join(repoRoot, 'test/fixtures/lab/openstack-image-create.steps.json'), 'utf8'),
) as ExpectedSteps;
export const artifacts = join(repoRoot, 'test/artifacts/lab');
export const labState = process.env.LAB_STATE ?? join(repoRoot, 'lab/state');
const imageFile = join(labState, 'images/flowscribe-lab.qcow2');
export const MINUTES = 60_000;

/** Runs `step`; when it fails, adds each service's state and the tail of its logs to the error. */
export function withServiceLogs<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    let status: string;
    try {
      status = runLabScript('status', ['--tail', '25'], MINUTES, 400).output;
    } catch (statusErr) {
      status = (statusErr as Error).message; // status exits 1 when a service is down: still useful
    }
    throw new Error(`${(err as Error).message}\n\nlab/status --tail 25:\n${status}`);
  }
}

export interface LabRecording {
  capture: Capture;
  page: string;
}

/**
 * Brings the lab up (TLS or not), records and renders `openstack image create` into
 * test/artifacts/lab/NAME.{jsonl,md} before the file's tests, and tears the lab down after them.
 */
export function recordImageCreateOnLab(name: string, tls: boolean): LabRecording {
  const env = { LAB_TLS: tls ? '1' : '0' };
  const capturePath = join(artifacts, `${name}.jsonl`);
  const pagePath = join(artifacts, `${name}.md`);
  const recording = {} as LabRecording;
  beforeAll(async () => {
    const up = runLabScript('up', [], 20 * MINUTES, 80, env);
    console.log(`lab/up (LAB_TLS=${env.LAB_TLS}): ${up.seconds.toFixed(1)} s`);
    const rec = withServiceLogs(() => runLabScript('record', ['-o', capturePath, '-p', pagePath, '--',
      'openstack', 'image', 'create', '--disk-format', 'qcow2', '--file', 'flowscribe-lab.qcow2',
      '--public', 'flowscribe-lab'], 5 * MINUTES, 80, env));
    console.log(`lab/record (glance restart + recording + render): ${rec.seconds.toFixed(1)} s`);
    recording.capture = await readCapture(capturePath);
    recording.page = readFileSync(pagePath, 'utf8');
  }, 25 * MINUTES);
  afterAll(() => {
    const down = runLabScript('down', [], 2 * MINUTES, 80, env);
    console.log(`lab/down: ${down.seconds.toFixed(1)} s`);
  }, 3 * MINUTES);
  return recording;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The checks every recording of `openstack image create` on the lab passes, TLS or not. */
export function imageCreateChecks(recording: LabRecording): void {
  let capture: Capture;
  let page: string;
  let diagram: Diagram;
  beforeAll(() => {
    ({ capture, page } = recording);
    diagram = fullDiagram(page);
  });
  const byPath = (pattern: RegExp, method: string): ExchangeRecord[] =>
    capture.exchanges.filter((e) => e.request.method === method && pattern.test(new URL(e.request.url).pathname));

  describe('openstack image create, recorded on the lab', () => {
    it('succeeds and records 25 exchanges, all completed', () => {
      expect(capture.trailer?.exit).toEqual({ kind: 'exited', code: 0 });
      expect(capture.exchanges.map((e) => e.state)).toEqual(Array(25).fill('completed'));
    });

    it('has the reference participants', () => {
      expect(diagram.participants).toEqual(expected.participants);
    });

    it("draws the reference's 50 arrows in order (from → to, method or status, path template)", () => {
      const actual = diagram.arrows.map(({ from, to, label }) => ({ from, to, label }));
      expect(actual).toEqual(expected.steps.map(({ from, to, label }) => ({ from, to, label })));
    });

    it("attributes glance's own calls to glance-api by its recorder listener", () => {
      const fromGlance = capture.exchanges.filter((e) => e.source.kind === 'listener' && e.source.label === 'glance-api');
      expect(fromGlance).toHaveLength(20);
      const fromClient = capture.exchanges.filter((e) => e.source.kind === 'process' && e.source.isClient);
      expect(fromClient).toHaveLength(5);
      const hosts = new Set(fromGlance.map((e) => new URL(e.request.url).port));
      expect(hosts.size).toBe(2); // keystone and swift, never glance itself
    });

    it('names the image, the image endpoint and the Swift account project as variables', () => {
      const vars = pageVariables(page);
      const post = byPath(/^\/v2\/images$/, 'POST')[0];
      const imageId = (JSON.parse(post?.response?.body.data ?? '{}') as { id?: string }).id;
      expect(imageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(vars.get('image_id')).toBe(imageId);
      const endpointCall = byPath(/^\/v3\/endpoints\/[0-9a-f]{32}$/, 'GET')[0];
      expect(vars.get('image_endpoint_id')).toBe(endpointCall?.request.url.split('/').pop());
      const swiftPut = byPath(/^\/v1\/AUTH_[0-9a-f]{32}\/glance\//, 'PUT')[0];
      const account = /AUTH_([0-9a-f]{32})/.exec(swiftPut?.request.url ?? '')?.[1];
      expect(account).toBeDefined();
      expect([...vars.entries()].find(([, value]) => value === account)?.[0]).toBe('service_id');
    });

    it("records the upload's size and SHA-256 on both hops, equal to the file's", () => {
      const size = readFileSync(imageFile).length;
      const hash = sha256(imageFile);
      const toGlance = byPath(/^\/v2\/images\/[0-9a-f-]{36}\/file$/, 'PUT');
      const toSwift = byPath(/^\/v1\/AUTH_[0-9a-f]{32}\/glance\/[0-9a-f-]{36}$/, 'PUT');
      expect(toGlance).toHaveLength(1);
      expect(toSwift).toHaveLength(1);
      for (const hop of [...toGlance, ...toSwift]) {
        expect(hop.request.body.sizeBytes).toBe(size);
        expect(hop.request.body.sha256).toBe(hash);
      }
    });
  });
}
