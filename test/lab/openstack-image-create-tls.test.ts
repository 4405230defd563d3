/**
 * The lab behind TLS (`lab/up --tls`: keystone, glance and swift behind stunnel with the lab's own
 * CA, as devstack's tls-proxy does). `openstack image create` records the same 50 steps as on plain
 * HTTP, every call over https://, the recorder trusting the lab CA because the client's openrc
 * says `OS_CACERT`. Then the quota case: an upload glance stops with 413 after a few MB must end
 * the same through the recorder as directly (the same 413, one PUT, no retry, no extra DELETE).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../../src/model/capture.js';
import type { Capture } from '../../src/model/exchange.js';
import { repoRoot, runLabScript } from '../helpers/lab-scripts.js';
import { artifacts, imageCreateChecks, labState, MINUTES, recordImageCreateOnLab, withServiceLogs } from './image-create-suite.js';

const recording = recordImageCreateOnLab('openstack-image-create-tls', true);
imageCreateChecks(recording);

describe('the same recording behind TLS', () => {
  it('went over https:// everywhere: the client, glance, the catalog and the page', () => {
    const { capture, page } = recording;
    expect(capture.exchanges.map((e) => new URL(e.request.url).protocol)).toEqual(Array(25).fill('https:'));
    const titles = [...page.matchAll(/``` http title="([^"]*)"/g)].map((m) => m[1]!);
    expect(titles).toHaveLength(50);
    for (const title of titles) expect(title).toMatch(/ https:\/\/127\.0\.0\.1:\d+\//);
    const catalog = capture.exchanges.find((e) => e.request.method === 'POST' && e.request.url.endsWith('/v3/auth/tokens'));
    expect(catalog?.state === 'completed' && catalog.response.body.data).toMatch(/"url": ?"https:\/\/127\.0\.0\.1:9292"/);
  });

  it("trusted the lab CA upstream because the client's openrc names it (OS_CACERT)", () => {
    const caFiles = recording.capture.header.upstreamTls?.caFiles ?? [];
    expect(caFiles).toContainEqual({ path: join(labState, 'tls/ca.pem'), from: 'OS_CACERT' });
    expect(recording.capture.header.upstreamTls?.verify).toBe(true);
  });
});

interface Run {
  code: number | null;
  stderr: string;
  output: string;
}

/** Runs `argv` in the lab's environment (openrc loaded, in the images folder), as a user would. */
function inLab(argv: string[], env: NodeJS.ProcessEnv = {}): Run {
  const script = 'source lab/lib.sh && load_openrc && cd "$LAB_STATE/images" && "$@"';
  const r = spawnSync('bash', ['-c', script, 'lab', ...argv], {
    cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 5 * MINUTES, maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stderr: r.stderr, output: r.stdout };
}

/** flowscribe's own stderr lines: its messages and the routing lines of the glance-api listener. */
const FLOWSCRIBE_LINE = /^(flowscribe:|# |export |unset |Environment=|UnsetEnvironment=)/;

/** The client's error lines, ids and flowscribe's own lines left out. */
function clientErrors(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() && !FLOWSCRIBE_LINE.test(l))
    .map((l) => l.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}').replace(/req-\{id\}/g, 'req-{id}'));
}

/** What glance's own log says it received for one image: `METHOD path` per request, in order. */
function glanceSaw(imageId: string): string[] {
  const log = readFileSync(join(labState, 'log/glance-api-app.log'), 'utf8');
  return [...log.matchAll(new RegExp(`"(\\w+) (/v2/images/${imageId}[^ "]*) HTTP/1\\.1" (\\d+)`, 'g'))].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
}

function imageIdIn(text: string): string {
  const id = /\/v2\/images\/([0-9a-f-]{36})\/file/.exec(text)?.[1];
  if (!id) throw new Error(`no image id in:\n${text}`);
  return id;
}

describe('an upload over the quota (413 after a few MB of 50 MB): the same through the recorder as direct', () => {
  const cap = { LAB_TLS: '1', LAB_GLANCE_IMAGE_SIZE_CAP: String(4 * 1024 * 1024) };
  const create = ['openstack', 'image', 'create', '--disk-format', 'raw', '--container-format', 'bare',
    '--file', 'flowscribe-quota-50m.raw', 'flowscribe-quota'];
  const capturePath = join(artifacts, 'image-create-over-quota.jsonl');
  let direct: Run;
  let recorded: Run;
  let capture: Capture;

  beforeAll(async () => {
    runLabScript('up', [], 10 * MINUTES, 80, cap); // renders glance's config with the small image_size_cap
    const image = join(labState, 'images/flowscribe-quota-50m.raw');
    if (!existsSync(image)) writeFileSync(image, Buffer.alloc(50 * 1024 * 1024, 7));
    withServiceLogs(() => runLabScript('restart-glance', ['--direct'], 5 * MINUTES, 80, cap));
    direct = inLab(create);
    withServiceLogs(() => runLabScript('restart-glance', [], 5 * MINUTES, 80, cap));
    const flowscribe = [process.execPath, join(repoRoot, 'bin/flowscribe')];
    // glance's http_proxy is the lab's relay (LAB_RECORDER_PORT); it hands glance's requests to a
    // recorder listening LAB_RECORDER_SHIFT ports above it (lab/routes.sh).
    const listener = Number(process.env.LAB_RECORDER_PORT ?? 3129) + Number(process.env.LAB_RECORDER_SHIFT ?? 100);
    recorded = inLab([...flowscribe, 'record', '--listen', `glance-api=${listener}`, '-o', capturePath, '--', ...create]);
    capture = await readCapture(capturePath);
  }, 15 * MINUTES);

  // openstacksdk deletes the image itself when an upload fails (openstack/image/v2/_proxy.py,
  // `_upload_image_put`): one DELETE directly too. Through the recorder must be the same, not more.
  it('direct: the client prints the 413, glance got one PUT (413) and the client cleaned up once', () => {
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toMatch(/413: Client Error for url: https:\/\/[^ ]+\/file, Request Entity Too Large/);
    const id = imageIdIn(direct.stderr);
    expect(glanceSaw(id).sort()).toEqual([`DELETE /v2/images/${id} 204`, `PUT /v2/images/${id}/file 413`]);
  });

  it('through the recorder: the same exit code and the same 413 on the client', () => {
    expect(recorded.code).toBe(direct.code);
    expect(clientErrors(recorded.stderr)).toEqual(clientErrors(direct.stderr));
  });

  it("through the recorder: glance saw what it saw directly; the capture has one PUT answered 413", () => {
    const client = capture.exchanges.filter((e) => e.source.kind === 'process' && e.source.isClient);
    const puts = client.filter((e) => e.request.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ state: 'completed', response: { statusCode: 413 } });
    expect(client.filter((e) => e.request.method === 'DELETE')).toHaveLength(1);
    const id = imageIdIn(puts[0]!.request.url);
    const directId = imageIdIn(direct.stderr);
    expect(glanceSaw(id).sort()).toEqual(glanceSaw(directId).sort().map((r) => r.replace(directId, id)));
  });
});
