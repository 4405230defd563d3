/**
 * `flowscribe render --nest` drawn by mermaid in real Chromium (`--svg`): glance-api's calls sit
 * inside the activation bars of the two client requests it was serving; without `--nest` no bar.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/flowscribe-cli.js';
import { IMAGE_CREATE } from '../helpers/interchange-captures.js';

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'flowscribe-nest-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Bar {
  top: number;
  bottom: number;
}

function activationBars(svg: string): Bar[] {
  return [...svg.matchAll(/<rect\b[^>]*class="activation\d+"[^>]*>/g)].map(([tag]) => {
    const num = (name: string) => Number(new RegExp(`\\b${name}="([\\d.]+)"`).exec(tag)?.[1]);
    return { top: num('y'), bottom: num('y') + num('height') };
  });
}

function messages(svg: string): Array<{ y: number; text: string }> {
  return [...svg.matchAll(/<text\b[^>]*\by="([\d.]+)"[^>]*class="messageText"[^>]*>([^<]*)/g)].map((m) => ({ y: Number(m[1]), text: m[2] ?? '' }));
}

describe('flowscribe render --nest --svg (mermaid in Chromium)', () => {
  it('draws glance-api\'s 9 and 11 calls inside the bars of POST /v2/images and PUT …/file', async () => {
    const run = await runCli(['render', IMAGE_CREATE, '--nest', '--svg', '-o', join(work, 'nest.md')], { cwd: work });
    expect(run.code).toBe(0);
    const svg = readFileSync(join(work, 'images', 'nest.svg'), 'utf8');
    const bars = activationBars(svg);
    expect(bars).toHaveLength(2);
    const all = messages(svg);
    const inside = (bar: Bar) => all.filter((m) => m.y > bar.top && m.y < bar.bottom);
    const calls = (bar: Bar) => inside(bar).filter((m) => !/\/v2\/images/.test(m.text));
    // Each call is two arrows (request and response); the bar closes at the served request's own
    // response, whose label sits just above its arrow, so inside the bar too.
    expect(calls(bars[0]!)).toHaveLength(2 * 9);
    expect(calls(bars[1]!)).toHaveLength(2 * 11);
    expect(inside(bars[0]!).filter((m) => /\/v2\/images/.test(m.text)).map((m) => m.text)).toEqual(['201 Created /v2/images']);
  }, 120_000);

  it('draws no bar without --nest', async () => {
    const run = await runCli(['render', IMAGE_CREATE, '--svg', '-o', join(work, 'plain.md')], { cwd: work });
    expect(run.code).toBe(0);
    expect(activationBars(readFileSync(join(work, 'images', 'plain.svg'), 'utf8'))).toHaveLength(0);
  }, 120_000);
});
