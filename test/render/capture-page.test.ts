import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { defaultConfig } from '../../src/model/config.js';
import { buildTimelines } from '../../src/model/timeline.js';
import { renderPage } from '../../src/render/capture-page.js';
import { loadTemplates } from '../../src/publish/template-files.js';
import { makeBody } from '../helpers/exchanges.js';
import { openstackCapture, PASSWORD, TOKENS } from '../helpers/openstack-capture.js';

describe('renderPage views', () => {
  it('folds away the 24 unified-limits arrows of the reference in the summary', async () => {
    const capture = await readCapture(new URL('../fixtures/captures/openstack-image-create-reference.jsonl', import.meta.url).pathname);
    const { full, summary } = buildTimelines(capture, { config: defaultConfig(), secrets: 'mask', include: [], exclude: [] });
    expect(full.arrows).toHaveLength(50);
    expect(summary.arrows).toHaveLength(26);
  });
});

describe('renderPage secrets', () => {
  // The command line, launch.json environment and Output section come from the header and trailer,
  // not from the arrows: they must be redacted under the same mode.
  const capture = () => {
    const c = openstackCapture();
    const header = { ...c.header, argv: ['openstack', 'image', 'list', '--os-token', TOKENS.admin] };
    const stdout = makeBody(`token ${TOKENS.glance} password=${PASSWORD}\n`, null);
    return { ...c, header, trailer: c.trailer && { ...c.trailer, stdout } };
  };
  const render = (secrets: 'mask' | 'label' | 'raw') =>
    renderPage(capture(), {
      config: defaultConfig(), secrets, include: [], exclude: [], lang: 'en', launchJson: true,
      templates: loadTemplates(), logInclude: 'logs/x.log', images: { full: null, summary: null },
    }).markdown;

  it('label mode labels tokens in the command, its environment and its output, not only in arrows', () => {
    const page = render('label');
    expect(page).not.toContain(TOKENS.admin);
    expect(page).not.toContain(TOKENS.glance);
    expect(page).not.toContain(PASSWORD);
    expect(page).toContain('--os-token \'{token: admin@admin}\'');
    expect(page).toContain('"{token: admin@admin}"'); // launch.json args
    expect(page).toContain('token {token: glance@service} password=***');
  });

  it('mask mode masks the environment and output passwords; raw shows everything as recorded', () => {
    const masked = render('mask');
    expect(masked).toContain('"OS_PASSWORD": "***"');
    expect(masked).toContain('password=***');
    expect(masked).not.toContain(PASSWORD);
    const raw = render('raw');
    expect(raw).toContain(TOKENS.admin);
    expect(raw).toContain(`"OS_PASSWORD": "${PASSWORD}"`);
    expect(raw).toContain(`token ${TOKENS.glance} password=${PASSWORD}`);
  });
});
