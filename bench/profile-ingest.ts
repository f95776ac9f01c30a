// npm run bench:profile-ingest [-- --size 1m] [--all] [--files]: one ingest run (the orders file, or with --all every table; with
// --files handed over as Blobs, as dropped files are) with the DevTools profiler attached to the
// engine's worker in headless Chromium. Prints the functions with the most self time and writes the
// .cpuprofile to bench/results (open it in Chrome DevTools' Performance panel).
import { mkdirSync, writeFileSync } from 'node:fs';
import puppeteer, { type CDPSession } from 'puppeteer-core';
import { CHROMIUM_ARGS } from './lib/browser.js';
import { csvFiles, DATA_DIR } from './lib/data.js';
import { buildPage, ROOT } from './lib/run.js';
import { serveStatic } from './lib/server.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const size = process.argv.includes('--size') ? process.argv[process.argv.indexOf('--size') + 1]! : '1m';

function topSelf(profile: Profile, limit: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
}

async function main(): Promise<void> {
  // --all: every table of the dataset, as the peers bench loads them; else the orders file
  const all = process.argv.includes('--all');
  const files = await csvFiles(size, all ? ['orders', 'touches', 'costs', 'customers'] : ['orders']);
  const outDir = await buildPage('ingest', 'ingest-profile', false);
  const server = await serveStatic({ '/data/': DATA_DIR, '/': outDir });
  const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    let client: CDPSession | null = null;
    const started = new Promise<void>((resolve) => {
      page.on('workercreated', (worker) => {
        // the engine's worker is the first; a helper it starts for another file closes after the load
        if (client !== null) return;
        client = worker.client;
        void client.send('Profiler.enable').then(() => client!.send('Profiler.setSamplingInterval', { interval: 200 })).then(() => client!.send('Profiler.start')).then(() => resolve());
      });
    });
    await page.goto(`${server.origin}/ingest.html`);
    await page.waitForFunction(() => typeof window.runIngest === 'function');
    const urls = Object.fromEntries(Object.entries(files).map(([table, name]) => [table, `${server.origin}/data/${name}`]));
    const asFiles = process.argv.includes('--files');
    const running = page.evaluate(([u, f]) => window.runIngest(u, true, f), [urls, asFiles] as const);
    await started;
    const result = await running;
    const { profile } = (await client!.send('Profiler.stop')) as unknown as { profile: Profile };
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(`${ROOT}bench/results/ingest-${size}.cpuprofile`, JSON.stringify(profile));
    console.log(`parse ${result.parseMs.toFixed(0)} ms, build ${result.buildMs.toFixed(0)} ms, wall ${result.wallMs.toFixed(0)} ms`);
    for (const line of topSelf(profile, 25)) console.log(line);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
