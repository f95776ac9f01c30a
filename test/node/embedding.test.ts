// Embedding tests: the built kit in host pages it does not control, in Debian's headless Chromium.
// - a page with a strict Content-Security-Policy renders all four widgets with no violation;
// - a page on one loopback origin loading the CDN file from another renders them, worker included;
// - a page that loads the kit twice does not throw and still renders;
// - a consumer project installs the packed tarball, type-checks against its types and builds with Vite,
//   and the built page renders the widgets; a second page of it imports only `crm-widgets/data` and
//   `crm-widgets/revenue`, defines no other element and ships less code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../bench/lib/browser.js';
import { csvFiles, DATA_DIR } from '../../bench/lib/data.js';
import { serveStatic, type StaticServer } from '../../bench/lib/server.js';
import { hostPage, readWidgets, type DataUrls, type WidgetReading } from '../embedding/pages.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CSP = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self'";
const node = process.execPath;

function run(args: string[], cwd = root): void {
  execFileSync(args[0]!, args.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
}

let browser: Browser;
let data: DataUrls;
const servers: StaticServer[] = [];

/** A server for host pages: `/` answers with `page`, `/probe.js`, the built CDN kit under `/kit/`, data under `/data/`. */
async function pageServer(page: (origin: string) => string, headers: Record<string, string> = {}, requested: string[] = []): Promise<StaticServer> {
  let origin = '';
  const server = await serveStatic(
    { '/kit/': `${root}dist/cdn`, '/data/': DATA_DIR, '/probe.js': `${root}test/embedding/probe.js` },
    {
      headers,
      handlers: [
        (req, res, path) => {
          requested.push(req.url ?? '');
          if (path === '/favicon.ico') {
            res.writeHead(204).end();
            return true;
          }
          if (path !== '/') return false;
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(page(origin));
          return true;
        },
      ],
    },
  );
  origin = server.origin;
  servers.push(server);
  return server;
}

/** Opens `url`, waits until the four widgets are ready (or 60 s), and returns what the page saw. */
async function visit(url: string): Promise<{ widgets: WidgetReading[]; violations: string[]; errors: string[]; console: string[] }> {
  const page: Page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  try {
    await page.goto(url);
    // polled from here: waitForFunction would evaluate strings in the page, which the CSP refuses
    const read = (): Promise<WidgetReading[]> => page.evaluate(readWidgets);
    const deadline = Date.now() + 60_000;
    let widgets = await read();
    while (!(widgets.length > 0 && widgets.every((w) => w.ready)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      widgets = await read();
    }
    const ready = widgets.length > 0 && widgets.every((w) => w.ready);
    const violations = (await page.evaluate('window.__violations ?? []')) as string[];
    const errors = (await page.evaluate('window.__errors ?? []')) as string[];
    if (!ready) assert.fail(`widgets not ready after 60 s: ${JSON.stringify(widgets.map((w) => ({ tag: w.tag, marks: w.marks, text: w.text.slice(0, 200) })))}; console: ${consoleErrors.join(' | ')}`);
    return { widgets, violations, errors, console: consoleErrors };
  } finally {
    await page.close();
  }
}

/** The numbers a user would read are there: money in the revenue KPIs, percentages in retention, counts in RFM, multiples in ROAS. */
function assertNumbers(widgets: WidgetReading[]): void {
  const byTag = Object.fromEntries(widgets.map((w) => [w.tag, w]));
  assert.match(byTag['crm-revenue']!.text, /Total revenue\s*€[\d,]+/);
  assert.match(byTag['crm-retention']!.text, /\d+%/);
  assert.match(byTag['crm-rfm']!.text, /Champions\s*\d+% of customers/);
  assert.match(byTag['crm-roas']!.text, /[\d.]+×/);
  for (const w of widgets) assert.ok(w.marks > 0, `${w.tag} drew no marks`);
}

describe('embedding the built kit', { timeout: 600_000 }, () => {
  before(async () => {
    // the package as published: library, types, manifest, and the CDN file
    run([node, 'node_modules/vite/bin/vite.js', 'build', '--mode', 'lib', '--logLevel', 'warn']);
    run([node, 'node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
    run([node, 'node_modules/vite/bin/vite.js', 'build', '--mode', 'cdn', '--logLevel', 'warn']);
    const files = await csvFiles('small', ['orders', 'touches', 'costs', 'customers']);
    data = { orders: `/data/${files.orders}`, touches: `/data/${files.touches}`, costs: `/data/${files.costs}`, customers: `/data/${files.customers}` };
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  test(`a page served with "${CSP}" renders all four widgets with no CSP violation`, async () => {
    const server = await pageServer(() => hostPage(['/kit/crm-widgets.js'], data), { 'content-security-policy': CSP });
    const seen = await visit(`${server.origin}/`);
    assert.deepEqual(seen.violations, [], 'CSP violations reported on the page');
    assert.deepEqual(seen.console.filter((m) => /Content Security Policy|Refused to/i.test(m)), [], 'CSP refusals in the console');
    assert.deepEqual(seen.errors, []);
    assertNumbers(seen.widgets);
  });

  test('a page on one origin loading the CDN file from another origin renders all four widgets, worker included', async () => {
    const requested: string[] = [];
    const log = (req: { url?: string | undefined }): boolean => (requested.push(req.url ?? ''), false);
    const cdn = await serveStatic({ '/kit/': `${root}dist/cdn` }, { headers: { 'access-control-allow-origin': '*' }, handlers: [log] });
    servers.push(cdn);
    const server = await pageServer(() => hostPage([`${cdn.origin}/kit/crm-widgets.js`], data));
    assert.notEqual(new URL(cdn.origin).origin, new URL(server.origin).origin);
    const seen = await visit(`${server.origin}/`);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.console, []);
    assertNumbers(seen.widgets);
    // the worker script came from the CDN origin (through the same-origin blob loader), once for the
    // engine's worker and, with more than one core, once more for the helper that parses a second file
    const workers = requested.filter((url) => url === '/kit/crm.worker.js').length;
    assert.deepEqual([...new Set(requested)].sort(), ['/kit/crm-widgets.js', '/kit/crm.worker.js']);
    assert.equal(workers, os.availableParallelism() > 1 ? 2 : 1);
  });

  test('a page that loads the kit twice does not throw and renders', async () => {
    // two URLs: two module instances, each trying to define the five elements
    const requested: string[] = [];
    const server = await pageServer(() => hostPage(['/kit/crm-widgets.js', '/kit/crm-widgets.js?copy=2'], data), {}, requested);
    const seen = await visit(`${server.origin}/`);
    assert.deepEqual(requested.filter((u) => u.startsWith('/kit/crm-widgets.js')).sort(), ['/kit/crm-widgets.js', '/kit/crm-widgets.js?copy=2']);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.console, []);
    assertNumbers(seen.widgets);
  });

  test('a consumer project installs the packed tarball, type-checks against its types, builds with Vite and renders', async () => {
    const work = `${root}.test-results/consumer`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(`${work}/app/src`, { recursive: true });
    run(['npm', 'pack', '--silent', '--ignore-scripts', '--pack-destination', work]); // built in before()
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(`${work}/app/package.json`, JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'crm-widgets': `file:../${tarball}` } }, null, 2));
    run(['npm', 'install', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', '--loglevel=error'], `${work}/app`);
    writeFileSync(
      `${work}/app/tsconfig.json`,
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, lib: ['ES2022', 'DOM', 'DOM.Iterable'], skipLibCheck: false, types: [] }, include: ['src'] }, null, 2),
    );
    // typed use of the public API: elements by tag name, the headless engine, events
    writeFileSync(
      `${work}/app/src/main.ts`,
      `import 'crm-widgets';
import type { CrmSelectEvent } from 'crm-widgets';
import { createEngine, type KpiResult } from 'crm-widgets/engine';

const data = document.createElement('crm-data');
data.id = 'shop';
data.timezone = 'UTC';
data.currency = 'EUR';
const rfm = document.createElement('crm-rfm');
rfm.bins = 4;
rfm.addEventListener('crm-select', (event: CrmSelectEvent) => void event.detail.customerIds());
const revenue: HTMLElementTagNameMap['crm-revenue'] = document.createElement('crm-revenue');
revenue.window = '7d';
for (const tag of ['crm-retention', 'crm-roas'] as const) document.body.append(document.createElement(tag));
document.body.prepend(data, revenue, rfm);
for (const el of document.querySelectorAll('crm-revenue, crm-retention, crm-rfm, crm-roas')) el.setAttribute('data', 'shop');
const files = ['orders', 'touches', 'costs', 'customers'] as const;
data.orders = '/data/' + new URLSearchParams(location.search).get(files[0]);
for (const t of files) data.setAttribute(t, '/data/' + new URLSearchParams(location.search).get(t));
export async function kpis(): Promise<number> {
  const engine = createEngine({ timezone: 'UTC' });
  const result: KpiResult = await engine.query({ kind: 'kpis', params: {} });
  engine.release();
  return result.kind === 'kpis' ? 1 : 0;
}
`,
    );
    writeFileSync(`${work}/app/index.html`, `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><script src="/probe.js"></script><script type="module" src="/src/main.ts"></script></head><body></body></html>`);
    run([node, `${root}node_modules/typescript/bin/tsc`, '-p', `${work}/app/tsconfig.json`]);
    run([node, `${root}node_modules/vite/bin/vite.js`, 'build', `${work}/app`, '--logLevel', 'warn']);
    const built = readdirSync(`${work}/app/dist/assets`);
    assert.ok(built.some((f) => /^crm\.worker.*\.js$/.test(f)), `the worker was not emitted: ${built.join(', ')}`);
    // the consumer's built page, served with its own data
    const server = await serveStatic({ '/data/': DATA_DIR, '/probe.js': `${root}test/embedding/probe.js`, '/': `${work}/app/dist` });
    servers.push(server);
    const query = new URLSearchParams(Object.entries(data).map(([t, path]) => [t, path.slice('/data/'.length)])).toString();
    const seen = await visit(`${server.origin}/?${query}`);
    assert.deepEqual(seen.errors, []);
    assertNumbers(seen.widgets);

    // a page that imports only <crm-data> and <crm-revenue> through their one-element entries
    mkdirSync(`${work}/app/one`, { recursive: true });
    writeFileSync(
      `${work}/app/one/main.ts`,
      `import 'crm-widgets/data';
import 'crm-widgets/revenue';
import type { CrmData } from 'crm-widgets/data';

for (const tag of ['crm-retention', 'crm-rfm', 'crm-roas']) if (customElements.get(tag) !== undefined) console.error(tag + ' is defined');
const data: CrmData = document.createElement('crm-data');
data.id = 'shop';
data.timezone = 'UTC';
data.currency = 'EUR';
const revenue = document.createElement('crm-revenue');
revenue.setAttribute('data', 'shop');
document.body.append(data, revenue);
for (const t of ['orders', 'touches', 'costs', 'customers']) data.setAttribute(t, '/data/' + new URLSearchParams(location.search).get(t));
`,
    );
    writeFileSync(`${work}/app/one/index.html`, `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><script src="/probe.js"></script><script type="module" src="./main.ts"></script></head><body></body></html>`);
    const tsconfig = JSON.parse(readFileSync(`${work}/app/tsconfig.json`, 'utf8')) as { include: string[] };
    writeFileSync(`${work}/app/tsconfig.json`, JSON.stringify({ ...tsconfig, include: [...tsconfig.include, 'one'] }, null, 2));
    run([node, `${root}node_modules/typescript/bin/tsc`, '-p', `${work}/app/tsconfig.json`]);
    // without Vite's module-preload polyfill (about 0.3 kB gzip of the host's build setting, not the
    // kit's code, and of no use to a page of one chunk): what is measured below is the kit's share
    writeFileSync(`${work}/app/vite.one.config.mjs`, 'export default { build: { modulePreload: { polyfill: false } } };\n');
    run([node, `${root}node_modules/vite/bin/vite.js`, 'build', `${work}/app/one`, '--config', `${work}/app/vite.one.config.mjs`, '--outDir', `${work}/app/dist-one`, '--logLevel', 'warn']);
    const oneServer = await serveStatic({ '/data/': DATA_DIR, '/probe.js': `${root}test/embedding/probe.js`, '/': `${work}/app/dist-one` });
    servers.push(oneServer);
    const one = await visit(`${oneServer.origin}/?${query}`);
    assert.deepEqual(one.console, []);
    assert.deepEqual(one.widgets.map((w) => w.tag), ['crm-revenue']);
    assert.match(one.widgets[0]!.text, /Total revenue\s*€[\d,]+/);
    // the page's own code, gzip -9, the worker aside: all five elements against two
    const pageKb = (dir: string): number =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.js') && !f.startsWith('crm.worker'))
        .reduce((sum, f) => sum + gzipSync(readFileSync(`${dir}/${f}`), { level: 9 }).length / 1000, 0);
    const [all, two] = [pageKb(`${work}/app/dist/assets`), pageKb(`${work}/app/dist-one/assets`)];
    console.log(`consumer page code, gzip -9: all five elements ${all.toFixed(1)} kB; crm-data and crm-revenue alone ${two.toFixed(2)} kB (no module-preload polyfill)`);
    assert.ok(two < all - 5, `one widget's page (${two.toFixed(1)} kB) should be well under all five's (${all.toFixed(1)} kB)`);
    // performance.md's main-thread budget (elements, Lit, d3 parts, comlink), held by a page with
    // <crm-data> and one widget (the five elements together are over it: README, "Performance")
    assert.ok(two <= 40, `a page with <crm-data> and <crm-revenue> ships ${two.toFixed(2)} kB gzip of code, over the 40 kB budget`);
  });

  test('the built demo site: every page renders its widgets (gallery pages, warehouse payloads, plain HTML, React, Vue)', async () => {
    run([node, 'node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
    const server = await serveStatic({ '/': `${root}dist-demo` });
    servers.push(server);
    const expected: Record<string, string[]> = {
      summary: ['crm-revenue', 'crm-roas', 'crm-retention', 'crm-rfm'],
      theming: ['crm-revenue', 'crm-roas', 'crm-retention'],
      plain: ['crm-revenue', 'crm-retention', 'crm-rfm', 'crm-roas'],
      react: ['crm-revenue', 'crm-roas', 'crm-rfm'],
      vue: ['crm-revenue', 'crm-roas'],
    };
    for (const [page, tags] of Object.entries(expected)) {
      const seen = await visit(`${server.origin}/${page}.html`);
      assert.deepEqual(seen.widgets.map((w) => w.tag), tags, page);
      assert.deepEqual(seen.console, [], page);
      assert.match(seen.widgets[0]!.text, /Total revenue\s*€[\d,]+/, page);
    }
  });
});
