#!/usr/bin/env node
// Time to render one 50-message sequence diagram to SVG with mermaid-cli in Debian's Chromium:
// first with the browser start (what a one-page `render --svg` pays), then on the reused browser
// (what each further diagram of a `site --svg` run pays). Baselines measured in the same run:
// a bare Chromium start+close, and a 2-message diagram on the same reused browser.
// Run: npm run bench:svg   (builds dist/ first)
import { performance } from 'node:perf_hooks';
import { openDiagramRenderer, DEBIAN_CHROMIUM, CHROMIUM_ARGS } from '../dist/publish/svg.js';

const REUSED_RUNS = 5;

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
const ms = (x) => `${x.toFixed(0)} ms`;

async function time(fn) {
  const t = performance.now();
  const out = await fn();
  return [performance.now() - t, out];
}

async function bareChromium() {
  const { default: puppeteer } = await import('puppeteer');
  const [elapsed] = await time(async () => {
    const browser = await puppeteer.launch({ executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    await browser.close();
  });
  return elapsed;
}

async function main() {
  const big = { definition: diagram(50), page: 'bench-50.md', view: 'full', firstLine: null };
  const tiny = { definition: diagram(2), page: 'bench-2.md', view: 'full', firstLine: null };
  const launchOnly = await bareChromium();
  const [first, renderer] = await time(async () => {
    const r = await openDiagramRenderer({ chromiumPath: DEBIAN_CHROMIUM }, 'bench');
    const svg = await r.render(big, 'svg');
    if (!Buffer.from(svg).toString().includes('sequenceNumber')) throw new Error('no numbered messages in the SVG');
    return r;
  });
  try {
    const reused = [];
    const small = [];
    for (let i = 0; i < REUSED_RUNS; i += 1) {
      reused.push((await time(() => renderer.render(big, 'svg')))[0]);
      small.push((await time(() => renderer.render(tiny, 'svg')))[0]);
    }
    console.log(`50-message diagram → SVG, mermaid-cli ${REUSED_RUNS} runs, Chromium ${DEBIAN_CHROMIUM}`);
    console.log(`  baseline: bare Chromium start+close          ${ms(launchOnly)}`);
    console.log(`  first diagram (browser start + render)       ${ms(first)}   (${(first / launchOnly).toFixed(2)}× bare start)`);
    console.log(`  baseline: 2-message diagram, reused browser  ${ms(median(small))} median`);
    console.log(`  50-message diagram, reused browser           ${ms(median(reused))} median (min ${ms(Math.min(...reused))}, ${(median(reused) / median(small)).toFixed(2)}× the 2-message one)`);
    console.log(`  saving per further diagram vs a fresh browser: ${(first / median(reused)).toFixed(2)}×`);
  } finally {
    await renderer.close();
  }
}

await main();
