/** `flowscribe site` takes a .har like a capture: the page is named after it, `--nest` applies. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/model/capture.js';
import { renderHar } from '../../src/render/har.js';
import { runCli } from '../helpers/flowscribe-cli.js';
import { IMAGE_CREATE } from '../helpers/interchange-captures.js';
import { writeConfigWithoutGuide } from '../helpers/site-config.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-site-har-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('flowscribe site with a .har', () => {
  it('renders image-create.har as image-create.md with the activation bars of --nest', async () => {
    writeFileSync(join(work, 'image-create.har'), renderHar(await readCapture(IMAGE_CREATE), { secrets: 'mask', version: 'test' }));
    writeConfigWithoutGuide(join(work, 'mkdocs.yml'));
    const run = await runCli(['site', 'image-create.har', '--nest'], { cwd: work });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const page = readFileSync(join(work, 'docs', 'image-create.md'), 'utf8');
    // Two diagrams (summary and full), each with the bars of POST /v2/images and PUT …/file.
    expect(page.match(/^ {2}activate glance$/gm)).toHaveLength(4);
    expect(page.match(/^ {2}deactivate glance$/gm)).toHaveLength(4);
    expect(page).toMatch(/^ {2}osc->>glance: POST \/v2\/images\n {2}activate glance$/m);
  });
});
