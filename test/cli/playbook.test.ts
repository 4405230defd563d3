/**
 * `flowscribe playbook` as a user runs it: a real process in a temp project, recording real curl
 * and node commands against a loopback server that remembers what it was asked. Checks the files
 * of the tree, the values passed between steps, failures, --keep-going, --resume, the change
 * report and that unchanged pages are not rewritten.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { readNav } from '../../src/render/mkdocs-config.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const THING_ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
let server: Upstream;
/** Ids handed out by POST /fresh: a new one each time. */
let fresh = 0;
let work: string;
const ca = mkdtempSync(join(tmpdir(), 'flowscribe-playbook-ca-'));

beforeAll(async () => {
  server = await startUpstream((req, res) => {
    res.sendDate = false; // the same answer on every run: a re-run's page is byte-identical
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && req.path === '/fresh') {
      fresh += 1;
      res.statusCode = 201;
      res.end(JSON.stringify({ id: `0000000${fresh}-1111-4222-8333-444444444444` }));
    } else if (req.method === 'POST') {
      res.statusCode = 201;
      res.end(JSON.stringify({ id: THING_ID, name: 'thing' }));
    } else res.end(JSON.stringify({ path: req.path }));
  });
});

afterAll(async () => {
  await server.close();
  rmSync(ca, { recursive: true, force: true });
});

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-playbook-'));
  server.seen.length = 0;
  return () => rmSync(work, { recursive: true, force: true });
});

/** create (save from JSON) → label (save from text) → show (uses both). */
function playbook(labelStep = `run: [node, -e, "console.log('made it\\\\nlabel: L-' + 6 * 7)"]`): string {
  return `tree: demo/api
env:
  BASE: ${server.origin}
steps:
  - name: create
    page: things/create
    description: Creates a thing. Its id is saved for the next steps.
    run: [curl, -s, -X, POST, "\${BASE}/things"]
    save:
      thing_id: { json: id }
  - name: label
    page: things/label
    ${labelStep}
    save:
      label: { regex: 'label: (\\S+)' }
  - name: show
    page: things/show
    title: show a thing
    run: curl -s \${BASE}/things/\${thing_id}?label=\${label}
`;
}

function write(name: string, text: string): void {
  writeFileSync(join(work, name), text);
}

function read(name: string): string {
  return readFileSync(join(work, name), 'utf8');
}

function playbookRun(...args: string[]) {
  return runCli(['playbook', 'pb.yaml', '--ca-dir', ca, ...args], { cwd: work });
}

function seenPaths(): string[] {
  return server.seen.map((r) => `${r.method} ${r.path}`);
}

describe('flowscribe playbook', () => {
  it('records each step into the tree and passes saved values (JSON and text) to later steps', async () => {
    write('pb.yaml', playbook());
    const run = await playbookRun();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(seenPaths()).toEqual(['POST /things', `GET /things/${THING_ID}?label=L-42`]);
    expect(run.stdout).toMatch(/^\[1\/3\] things\/create … 1 exchange, \d+\.\d s, new$/m);
    expect(run.stdout).toMatch(/^\[2\/3\] things\/label … 0 exchanges, \d+\.\d s, new$/m);
    expect(run.stdout).toMatch(/^show +things\/show +recorded +1 +\d+\.\d s +new$/m);
    for (const f of ['create', 'label', 'show']) {
      expect(existsSync(join(work, `captures/demo/api/things/${f}.jsonl`))).toBe(true);
      expect(existsSync(join(work, `docs/demo/api/things/${f}.md`))).toBe(true);
    }
    const show = read('docs/demo/api/things/show.md');
    expect(show).toMatch(/^# show a thing\n/);
    expect(show).toContain(`\`thing_id\`: \`${THING_ID}\``);
    expect(read('docs/demo/api/things/create.md')).toMatch(/^# curl -s -X POST \{BASE\}\/things\n\nCreates a thing\. Its id is saved/);
    const index = read('docs/demo/api/things/index.md');
    expect(index).toContain(`| [show a thing](show.md)<br>\`curl -s '${server.origin}/things/${THING_ID}?label=L-42'\` |  | \`curl-client\`, \`127.0.0.1:${server.port}\` | 1 |`);
    expect(index).toContain('| Creates a thing. |');
    expect(read('docs/demo/api/index.md')).toContain('## [things](things/index.md)');
    expect(readNav(read('mkdocs.yml'))).toEqual([
      {
        kind: 'section',
        title: 'demo/api',
        items: [
          { kind: 'page', title: 'Overview', path: 'demo/api/index.md' },
          {
            kind: 'section',
            title: 'things',
            items: [
              { kind: 'page', title: 'Overview', path: 'demo/api/things/index.md' },
              { kind: 'page', title: 'curl -s -X POST {BASE}/things', path: 'demo/api/things/create.md' },
              { kind: 'page', title: 'node -e console.log(\'made it\\nlabel: L-\' + 6 * 7)', path: 'demo/api/things/label.md' },
              { kind: 'page', title: 'show a thing', path: 'demo/api/things/show.md' },
            ],
          },
        ],
      },
    ]);
  });

  it('re-run: reports unchanged and leaves the pages untouched; a changed flow is counted in arrows', async () => {
    write('pb.yaml', playbook());
    expect((await playbookRun()).code).toBe(0);
    const pages = ['create', 'label', 'show'].map((f) => join(work, `docs/demo/api/things/${f}.md`));
    const before = pages.map((p) => statSync(p).mtimeMs);
    const again = await playbookRun();
    expect(again.code).toBe(0);
    expect(again.stdout.match(/… .*, unchanged$/gm) ?? []).toHaveLength(3);
    expect(pages.map((p) => statSync(p).mtimeMs)).toEqual(before);
    // The label step now also asks the server something: two more arrows.
    write('pb.yaml', playbook(`run: [sh, -c, 'curl -s "$BASE/extra" >/dev/null; echo "label: L-42"']`));
    const changed = await playbookRun();
    expect(changed.stdout).toMatch(/^\[2\/3\] things\/label … 1 exchange, .*, changed: \+2 −0 arrows$/m);
    expect(changed.stdout).toMatch(/^\[3\/3\] things\/show … .*, unchanged$/m);
  });

  it('re-run with fresh ids: each side names its ids by its own run\'s saved values, so the flow is unchanged', async () => {
    write('pb.yaml', `env:
  BASE: ${server.origin}
steps:
  - name: make
    page: make
    run: [curl, -s, -X, POST, "\${BASE}/fresh"]
    save: { widget: { json: id } }
  - name: get
    page: get
    run: [curl, -s, "\${BASE}/things/\${widget}"]
`);
    expect((await playbookRun()).code).toBe(0);
    const again = await playbookRun();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^\[2\/2\] get … 1 exchange, .*, unchanged \(page text updated\)$/m);
    expect(read('docs/playbook/get.md')).toContain('GET /things/{widget}');
  });

  it('stops at a failing step, showing its stderr; --keep-going runs the rest', async () => {
    write('pb.yaml', playbook(`run: [node, -e, "process.stderr.write('boom: no label today\\\\n'); process.exit(3)"]`));
    const stopped = await playbookRun();
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/^\[2\/3\] things\/label … FAILED in run: exit 3 \(expected 0\), \d+\.\d s$/m);
    expect(stopped.stderr).toContain('    | boom: no label today\n');
    expect(stopped.stderr).toMatch(/capture of the failed run: captures\/demo\/api\/things\/label\.failed\.jsonl/);
    expect(stopped.stdout).toMatch(/^\[3\/3\] things\/show … not run/m);
    expect(seenPaths()).toEqual(['POST /things']);
    expect(existsSync(join(work, 'docs/demo/api/things/label.md'))).toBe(false);

    server.seen.length = 0;
    const going = await playbookRun('--keep-going');
    expect(going.code).toBe(1);
    // show needs ${label}, which the failed step did not save: skipped, saying why.
    expect(going.stdout).toMatch(/^\[3\/3\] things\/show … skipped: needs \$\{label\}, step label failed$/m);
    expect(seenPaths()).toEqual(['POST /things']);
  });

  it('--keep-going runs a later step that does not depend on the failed one', async () => {
    write('pb.yaml', `${playbook(`run: [node, -e, "process.exit(2)"]`)}  - name: after
    page: after
    run: [curl, -s, "\${BASE}/after"]
`);
    const going = await playbookRun('--keep-going');
    expect(going.code).toBe(1);
    expect(going.stdout).toMatch(/^\[4\/4\] after … 1 exchange, .*, new$/m);
    expect(seenPaths()).toEqual(['POST /things', 'GET /after']);
  });

  it('--resume skips steps whose capture is newer than the playbook, reusing their saved values', async () => {
    // The label step fails until the file `ok` exists.
    write('pb.yaml', playbook(`run: [node, -e, "if (!require('fs').existsSync('ok')) process.exit(1); console.log('label: L-7')"]`));
    expect((await playbookRun()).code).toBe(1);
    write('ok', '');
    server.seen.length = 0;
    const resumed = await playbookRun('--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^\[1\/3\] things\/create … kept \(--resume/m);
    // create did not run again, yet show got its id (read back from create's capture).
    expect(seenPaths()).toEqual([`GET /things/${THING_ID}?label=L-7`]);
    // An edited playbook is newer than the captures: everything runs again.
    const later = new Date(Date.now() + 5000);
    utimesSync(join(work, 'pb.yaml'), later, later);
    server.seen.length = 0;
    expect((await playbookRun('--resume')).code).toBe(0);
    expect(seenPaths()).toHaveLength(2);
  });

  it('only/skip_if skip a step; setup runs before and teardown after the step, also when it failed', async () => {
    write('skipme', '');
    write('pb.yaml', `env:
  BASE: ${server.origin}
steps:
  - name: gated
    page: gated
    only: { env: FLOWSCRIBE_TEST_UNSET }
    run: [curl, -s, "\${BASE}/gated"]
  - name: skipped
    page: skipped
    skip_if: [test, -e, skipme]
    run: [curl, -s, "\${BASE}/skipped"]
  - name: around
    page: around
    setup: [[sh, -c, 'echo set > marker']]
    run: [sh, -c, 'cat marker; exit 5']
    teardown: [[sh, -c, 'echo torn >> marker']]
`);
    const run = await playbookRun();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[1\/3\] gated … skipped: its only: condition does not hold$/m);
    expect(run.stdout).toMatch(/^\[2\/3\] skipped … skipped: its skip_if: condition holds$/m);
    expect(run.stdout).toMatch(/^\[3\/3\] around … FAILED in run: exit 5 \(expected 0\)/m);
    expect(read('marker')).toBe('set\ntorn\n');
    expect(seenPaths()).toEqual([]);
  });

  it('--only and --from choose steps; --dry-run prints the plan and writes nothing', async () => {
    write('pb.yaml', playbook());
    const dry = await playbookRun('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('[3/3] things/show (show)\n    run:      curl -s ${BASE}/things/${thing_id}?label=${label}\n');
    expect(dry.stdout).toContain('    save:     thing_id ← json id\n');
    expect(existsSync(join(work, 'captures'))).toBe(false);
    expect(existsSync(join(work, 'mkdocs.yml'))).toBe(false);
    expect(seenPaths()).toEqual([]);
    expect((await playbookRun()).code).toBe(0);
    server.seen.length = 0;
    const only = await playbookRun('--only', 'show');
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(/^\[1\/3\] things\/create … not selected$/m);
    expect(seenPaths()).toEqual([`GET /things/${THING_ID}?label=L-42`]);
    server.seen.length = 0;
    expect((await playbookRun('--from', 'label')).code).toBe(0);
    expect(seenPaths()).toEqual([`GET /things/${THING_ID}?label=L-42`]);
    const bad = await playbookRun('--only', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('flowscribe: playbook: no step named nope in pb.yaml (steps: create, label, show)\n');
  });

  it("keeps the user's mkdocs.yml (comments, a !!python/name tag) byte-identical outside nav:", async () => {
    const config = `# team docs
site_name: Team  # ours
docs_dir: docs
theme:
  name: material
  language: en
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
nav:
  - Guide: guide/intro.md
# below the nav
extra: { team: platform }
`;
    write('mkdocs.yml', config);
    write('pb.yaml', playbook());
    expect((await playbookRun()).code).toBe(0);
    const after = read('mkdocs.yml');
    const navStart = config.indexOf('nav:');
    const tail = config.indexOf('# below the nav');
    expect(after.slice(0, navStart)).toBe(config.slice(0, navStart));
    expect(after.endsWith(config.slice(tail))).toBe(true);
    const nav = readNav(after);
    expect(nav[0]).toEqual({ kind: 'page', title: 'Guide', path: 'guide/intro.md' });
    expect(nav[1]).toMatchObject({ kind: 'section', title: 'demo/api' });
  });

  it('refuses to overwrite a page it did not record, before running anything', async () => {
    write('pb.yaml', playbook());
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(work, 'docs/demo/api/things'), { recursive: true });
    write('docs/demo/api/things/show.md', '# my own page\n');
    const run = await playbookRun();
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/^flowscribe: .*docs\/demo\/api\/things\/show\.md: exists but was not recorded by this playbook/);
    expect(seenPaths()).toEqual([]);
    expect(read('docs/demo/api/things/show.md')).toBe('# my own page\n');
  });

  it('a playbook YAML error is one line naming file:line:column, exit 1', async () => {
    write('pb.yaml', 'steps:\n  - name: a\n    page: a\n    run: echo\n    sav: {}\n');
    const run = await playbookRun();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^flowscribe: pb\.yaml:5:5: steps\[0\]: unknown key "sav" \(keys: name, page, .*\)\n$/);
  });
});

describe('the capture of a failed run', () => {
  it('is kept beside the good one and is a valid capture', async () => {
    write('pb.yaml', playbook(`run: [node, -e, "process.exit(4)"]`));
    await playbookRun();
    const failed = await readCapture(join(work, 'captures/demo/api/things/label.failed.jsonl'));
    expect(failed.trailer?.exit).toEqual({ kind: 'exited', code: 4 });
  });
});
