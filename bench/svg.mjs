#!/usr/bin/env node
// Time to render one 50-message sequence diagram to SVG in Debian's Chromium: first with the browser
// start (what a one-page `render --svg` pays), then on the warm renderer — one page with mermaid
// loaded, reused for every diagram of a run (what each further diagram of a `site --svg` run pays).
// Baselines measured in the same run: a bare Chromium start+close; the same diagram through
// mermaid-cli's `renderMermaid` on the same browser (a fresh page and a fresh mermaid per diagram,
// as flowscribe did before issue 13); and a 2-message diagram on the warm page.
// Target (issue 13): the 50-message diagram on a warm browser ≤ 700 ms.
// Run: npm run bench:svg   (builds dist/ first)
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CHROMIUM_ARGS, IMAGE_MERMAID_CONFIG, openDiagramPage, openDiagramRenderer } from '../dist/publish/svg.js';
import { DEBIAN_CHROMIUM } from '../dist/defaults.js';

const RUNS = 5;
const TARGET_MS = 700;

/** A diagram shaped like the reference page: 4 participants, 25 request/response pairs, autonumber. */
function diagram(messages) {
  const parties = [['osc', 'openstack-client'], ['keystone', 'keystone-api'], ['glance', 'glance-api'], ['swift', 'swift-proxy-server']];
  const lines = ['sequenceDiagram', '  autonumber', ...parties.map(([a, n]) => `  participant ${a} as ${n}`), ''];
  for (let i = 0; lines.length - 7 < messages; i += 1) {
    const [from, to] = [parties[i % 3][0], parties[(i % 3) + 1][0]];
    lines.push(`  ${from}->>${to}: GET /identity/v3/limits/model?n=${i}`);
    if (lines.length - 7 < messages) lines.push(`  ${to}-->>${from}: 200 OK /identity/v3/limits/model?n=${i}`);
  }
  return lines.join('\n') + '\n';
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0).padStart(5)} ms`;

async function time(fn) {
  const t = performance.now();
  const out = await fn();
  return [performance.now() - t, out];
}

async function main() {
  const { default: puppeteer } = await import('puppeteer');
  const { renderMermaid } = await import('@mermaid-js/mermaid-cli');
  const load = loadavg()[0];
  const big = { definition: diagram(50), page: 'bench-50.md', view: 'full', firstLine: null };
  const tiny = { definition: diagram(2), page: 'bench-2.md', view: 'full', firstLine: null };
  const [bare] = await time(async () => (await puppeteer.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true })).close());
  const [first] = await time(async () => {
    const r = await openDiagramRenderer({ chromiumPath: DEBIAN_CHROMIUM }, 'bench');
    const svg = await r.render(big, 'svg');
    await r.close();
    if (!Buffer.from(svg).toString().includes('sequenceNumber')) throw new Error('no numbered messages in the SVG');
  });
  const browser = await puppeteer.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await openDiagramPage(browser, 'bench');
    await page.render(big, 'svg'); // warm: mermaid's sequence diagram code loaded and compiled
    const [warm, small, fresh] = [[], [], []];
    for (let i = 0; i < RUNS; i += 1) {
      // Interleaved, so a change of machine load weighs on each alike.
      warm.push((await time(() => page.render(big, 'svg')))[0]);
      small.push((await time(() => page.render(tiny, 'svg')))[0]);
      fresh.push((await time(() => renderMermaid(browser, big.definition, 'svg', { mermaidConfig: IMAGE_MERMAID_CONFIG, backgroundColor: 'white' })))[0]);
    }
    await page.close();
    const w = median(warm);
    console.log(`50-message diagram → SVG, Chromium ${DEBIAN_CHROMIUM}, ${RUNS} interleaved runs (load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
    console.log(`  baseline: bare Chromium start+close                     ${ms(bare)}`);
    console.log(`  first diagram (browser start, page set-up, render)      ${ms(first)}   (${(first / bare).toFixed(2)}× bare start)`);
    console.log(`  baseline: mermaid-cli, fresh page per diagram (before)   ${ms(median(fresh))} median`);
    console.log(`  baseline: 2-message diagram on the warm page            ${ms(median(small))} median`);
    console.log(`  50-message diagram on the warm page                     ${ms(w)} median (min ${ms(Math.min(...warm)).trim()}; ${(median(fresh) / w).toFixed(1)}× faster than a fresh page, ${(w / median(small)).toFixed(2)}× the 2-message one)`);
    console.log(`50-message SVG, warm browser: ${w.toFixed(0)} ms vs target ≤ ${TARGET_MS} ms (${w <= TARGET_MS ? 'met' : 'NOT met'})`);
    if (load > 1) console.log(`  (load average ${load.toFixed(1)}: other work shared the CPUs; these times are upper bounds)`);
  } finally {
    await browser.close();
  }
}

await main();
