/**
 * The rendered reference fixture against the hand-written reference page, structurally. What must
 * match is asserted exactly; what still differs is listed in DIFFERENCES with its reason, and the
 * last test fails if a difference appears or disappears without this list being updated.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { renderPage } from '../../src/render/capture-page.js';
import { loadTemplates } from '../../src/render/templates.js';
import { pageStructure, type PageStructure } from '../helpers/page-structure.js';

const fixture = (path: string): string => new URL(`../fixtures/${path}`, import.meta.url).pathname;

const PASSWORD = 'default mask mode: the password in the auth request body shows as *** (--secrets raw shows "asdf")';
const IMAGE = 'the page printed Python reprs of the streamed upload; a capture has the bytes, shown as one line (media type, size, SHA-256) in a text fence';

const DIFFERENCES: Record<string, string> = {
  'body (3)': PASSWORD,
  'body (10)': PASSWORD,
  'body (16)': PASSWORD,
  'body (44)': PASSWORD,
  'body (27)': IMAGE,
  'body (48)': IMAGE,
  'heading + ## Sequence Diagram (with limits)':
    'the reference links to #sequence-diagram-with-limits but has no such section; the page has it (full diagram, numbers = sections)',
  'diagrams 1 → 2': 'the summary diagram (limits folded) under "Sequence Diagram", the full one under "(with limits)"',
  'admonition - !!! tip ""': 'hand-written link to the CLI reference: not in a capture',
  'admonition - !!! info': 'hand-written prose summary of the flow: not in a capture',
  'prose - 이미지를 생성하고 업로드한다.': 'hand-written description of the command: not in a capture',
  'prose - 이미지 서비스(`glance`)에 `cirros-0.6.1-x86_64-disk.qcow2` 이미지 파일 생성 요청에 대한 시퀀스 다이어그램 요약본이다. (쿼터 부분 제외)  ':
    'hand-written, names the image; the generated sentence is generic',
  'prose + 시퀀스 다이어그램 요약본이다. (쿼터 부분 제외)  ': 'the generic form of the sentence above',
  'variables order': 'first-seen order in the diagram (image_endpoint_id appears at (20), image_id at (27)); the reference listed image_id first',
  'log block': 'the log is the file render writes (logs/<page>.log), not the reference\'s /var/log/requests-observer path',
  'output title':
    'the title is the recorded argv; the reference\'s title shows a different run (--file …img --format json)',
};

let reference: PageStructure;
let rendered: PageStructure;

beforeAll(async () => {
  reference = pageStructure(readFileSync(fixture('reference/openstack-image-create.md'), 'utf8'));
  const capture = await readCapture(fixture('captures/openstack-image-create-reference.jsonl'));
  const page = renderPage(capture, {
    config: defaultConfig(), secrets: 'mask', include: [], exclude: [], lang: 'ko', launchJson: true,
    templates: loadTemplates(), logInclude: 'logs/openstack-image-create-reference.log', images: { full: null, summary: null },
  });
  rendered = pageStructure(page.markdown);
});

const setDiff = (label: string, ours: string[], theirs: string[]): string[] => [
  ...ours.filter((x) => !theirs.includes(x)).map((x) => `${label} + ${x}`),
  ...theirs.filter((x) => !ours.includes(x)).map((x) => `${label} - ${x}`),
];

function differences(ours: PageStructure, theirs: PageStructure): string[] {
  const found: string[] = [];
  ours.sections.forEach((s, i) => {
    const r = theirs.sections[i];
    if (r && (s.bodyFence !== r.bodyFence || s.body.join('\n') !== r.body.join('\n'))) found.push(`body (${s.n})`);
  });
  found.push(...setDiff('heading', ours.headings, theirs.headings));
  if (ours.diagrams !== theirs.diagrams) found.push(`diagrams ${theirs.diagrams} → ${ours.diagrams}`);
  found.push(...setDiff('admonition', ours.admonitions, theirs.admonitions));
  found.push(...setDiff('prose', ours.prose, theirs.prose));
  if (ours.variables.join() !== theirs.variables.join()) found.push('variables order');
  if (ours.logBlock.join() !== theirs.logBlock.join()) found.push('log block');
  if (ours.outputTitle !== theirs.outputTitle) found.push('output title');
  if (ours.output.join('\n') !== theirs.output.join('\n')) found.push('output');
  return found;
}

describe('the rendered reference fixture vs the reference page', () => {
  it('has the same participants', () => {
    expect(rendered.participants).toEqual(['openstack-client', 'keystone-api', 'glance-api', 'swift-proxy-server']);
    expect(rendered.participants).toEqual(reference.participants);
  });

  it('has the same 50 arrows in order: from, to, method or status, path template', () => {
    expect(reference.arrows).toHaveLength(50);
    expect(rendered.arrows).toEqual(reference.arrows);
  });

  it('has the same section headings and http titles', () => {
    expect(rendered.sections.map((s) => s.heading)).toEqual(reference.sections.map((s) => s.heading));
    expect(rendered.sections.map((s) => s.httpTitle)).toEqual(reference.sections.map((s) => s.httpTitle));
  });

  it('has the same headers, in order, in every section', () => {
    expect(rendered.sections.map((s) => s.headers)).toEqual(reference.sections.map((s) => s.headers));
  });

  it('has the same variables and output', () => {
    expect([...rendered.variables].sort()).toEqual([...reference.variables].sort());
    expect(rendered.output).toEqual(reference.output);
  });

  it('has the reference\'s launch.json configuration, as a valid file pointing at the real program', () => {
    const ours = JSON.parse(rendered.launchJson.join('\n')) as { version: string; configurations: Array<Record<string, unknown>> };
    // The reference's block is one configuration ending in `},`: not valid JSON on its own.
    const theirs = JSON.parse(reference.launchJson.join('\n').replace(/,\s*$/, '')) as Record<string, unknown>;
    expect(ours.version).toBe('0.2.0');
    const [config] = ours.configurations;
    const differs = ['type', 'program', 'env'];
    for (const key of Object.keys(theirs).filter((k) => !differs.includes(k))) expect(config?.[key], key).toEqual(theirs[key]);
    // VS Code's Python debugger is `debugpy` now (`python` is deprecated); the program is what argv[0]
    // resolved to when recorded (the reference pointed at a Windows virtualenv's Scripts/openstack.exe).
    expect(config?.type).toBe('debugpy');
    expect(config?.program).toBe('/usr/bin/openstack');
    // OS_PASSWORD is masked (the reference showed the real password); every other OS_* value is the same.
    expect(config?.env).toEqual({ ...(theirs.env as object), OS_PASSWORD: '***' });
  });

  it('differs only as listed, each difference with its reason', () => {
    expect(differences(rendered, reference).sort()).toEqual(Object.keys(DIFFERENCES).sort());
  });
});
