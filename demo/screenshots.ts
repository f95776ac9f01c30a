// npm run screenshots: every widget of the demo, light and dark, at 1200 px and 360 px, into
// docs/screenshots/ (headless Chromium from Debian, the demo served by Vite on loopback).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}docs/screenshots`;
const WIDGETS = ['crm-data', 'crm-revenue', 'crm-roas', 'crm-retention', 'crm-rfm'];
/** Other views: element, attribute, value. */
const VARIANTS: [string, string, string][] = [
  ['crm-revenue', 'panel', 'models'],
  ['crm-revenue', 'panel', 'incremental'],
  ['crm-roas', 'metric', 'incremental'],
  ['crm-retention', 'view', 'curves'],
];
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const server = await createServer({ configFile: `${root}vite.config.ts`, server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer!.address();
  const port = typeof address === 'object' && address !== null ? address.port : 5173;
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    for (const theme of ['light', 'dark']) {
      for (const width of [1200, 360]) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: theme === 'dark' ? 'dark' : 'light', deviceScaleFactor: 1 });
        page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') console.error(`console ${message.type()}: ${message.text()}`);
        });
        await page.goto(`http://127.0.0.1:${port}/?theme=${theme}&size=20000`);
        // ready: every widget shows its footnote (or an empty/error state)
        await page.waitForFunction(
          (names) => names.every((n) => {
            const el = document.querySelector(n);
            if (el === null || customElements.get(n) === undefined) return true;
            if (n === 'crm-data') return el.shadowRoot?.querySelector('[part=report]') !== null;
            return el.shadowRoot?.querySelector('.footer, [part~=state][part~=error]') !== null && el.shadowRoot?.querySelector('[aria-busy=true]') === null;
          }),
          WIDGETS,
          { timeout: 120_000 },
        );
        await page.waitForTimeout(300);
        for (const name of WIDGETS) {
          if (only.length > 0 && !only.includes(name)) continue;
          // <crm-data> is display: contents; its visible part is the upload area
          const element = page.locator(name === 'crm-data' ? 'crm-data section.upload' : name).first();
          if ((await element.count()) === 0) continue;
          await element.screenshot({ path: `${out}/${name}-${theme}-${width}.png` });
        }
        // other views of the widgets, at full width
        if (width === 1200) {
          for (const [name, attribute, value] of VARIANTS) {
            if (only.length > 0 && !only.includes(name)) continue;
            await page.evaluate(([n, a, v]) => document.querySelector(n)!.setAttribute(a, v), [name, attribute, value] as const);
            await page.waitForFunction((n) => {
              const root = document.querySelector(n)!.shadowRoot!;
              return root.querySelector('.footer') !== null && root.querySelector('[aria-busy=true]') === null;
            }, name);
            await page.waitForTimeout(300);
            await page.locator(name).first().screenshot({ path: `${out}/${name}-${value}-${theme}-${width}.png` });
          }
          // an RFM cell clicked: the customer list
          if (only.length === 0 || only.includes('crm-rfm')) {
            await page.locator('crm-rfm svg.plot rect[data-nav-row]').first().click();
            await page.waitForFunction(() => document.querySelector('crm-rfm')!.shadowRoot!.querySelector('[part=customers] tbody') !== null);
            await page.waitForTimeout(200);
            await page.locator('crm-rfm').first().screenshot({ path: `${out}/crm-rfm-customers-${theme}-${width}.png` });
          }
        }
        await page.close();
        console.log(`${theme} ${width}px done`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
