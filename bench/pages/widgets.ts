// Benchmark page: <crm-revenue> and <crm-roas> on one <crm-data>; a user changes the attribution
// window in <crm-revenue>, the host passes it on to <crm-roas> (as an embedding page would, from
// crm-params-change), and the page measures the time from the input to the frame that shows both
// widgets' new results, plus the main thread's long tasks.
import '../../src/index.js';
import type { CrmData, CrmRevenue, CrmRoas } from '../../src/index.js';

/** One window change. */
export interface WindowChange {
  window: string;
  /** From the change event to the first frame showing both widgets' new results. */
  inputToPaintMs: number;
}

export interface WidgetsRun {
  loadMs: number;
  firstRenderMs: number;
  changes: WindowChange[];
  longTasks: LongTask[];
}

/** A main-thread task over 50 ms and the window change it happened during. */
export interface LongTask {
  ms: number;
  during: string;
}

declare global {
  interface Window {
    runWidgets(urls: Record<string, string>, windows: string[]): Promise<WidgetsRun>;
    loadWidgets(urls: Record<string, string>): Promise<{ loadMs: number; firstRenderMs: number }>;
    changeWindows(windows: string[]): Promise<{ changes: WindowChange[]; longTasks: LongTask[] }>;
  }
}

const data = document.querySelector<CrmData>('crm-data')!;
const revenue = document.querySelector<CrmRevenue>('crm-revenue')!;
const roas = document.querySelector<CrmRoas>('crm-roas')!;
const others = [document.querySelector('crm-retention')!, document.querySelector('crm-rfm')!];

/** Whether a widget shows results: its footnote is there, nothing is pending, its chart has marks. */
function drawn(widget: Element): boolean {
  const root = widget.shadowRoot;
  return root !== null && root.querySelector('[aria-busy=true], [part~=state]') === null && root.querySelector('[part=footnote]') !== null && root.querySelector('svg [data-nav-row]') !== null;
}
revenue.addEventListener('crm-params-change', (event) => {
  const window = (event as CustomEvent).detail.params.window as string;
  if (roas.window !== window) roas.window = window;
});

/** Whether a widget shows results for `window` (footnote says so, nothing pending). */
function shows(widget: HTMLElement, window: string): boolean {
  const note = widget.shadowRoot?.querySelector('[part=footnote]')?.textContent ?? '';
  return drawn(widget) && note.includes(`${window.replace('d', '-day')} window`);
}

/** What the widgets show, for the error when a wait times out. */
function describe(): string {
  return [revenue, roas]
    .map((w) => `${w.localName}: busy=${w.shadowRoot?.querySelector('[aria-busy=true]') !== null} footnote="${w.shadowRoot?.querySelector('[part=footnote]')?.textContent?.trim() ?? ''}"`)
    .join('; ');
}

/** Resolves at the first animation frame in which `condition` holds, with that frame's time. */
function frameWhen(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const check = (): void => {
      if (condition()) resolve(performance.now());
      else if (performance.now() > deadline) reject(new Error(`timed out waiting for ${what}: ${describe()}`));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

/** Loads the dataset from `urls` and waits for the first render of all four widgets. */
async function load(urls: Record<string, string>): Promise<{ loadMs: number; firstRenderMs: number }> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    data.addEventListener('crm-load', () => resolve(), { once: true });
    data.addEventListener('crm-error', (event) => reject(new Error(`load failed: ${(event as CustomEvent).detail.error.message}`)), { once: true });
    for (const [table, url] of Object.entries(urls)) data.setAttribute(table, url);
  });
  const loaded = performance.now();
  const firstRender = await frameWhen(() => shows(revenue, '5d') && shows(roas, '5d') && others.every(drawn), 'the first render of all four widgets');
  return { loadMs: loaded - started, firstRenderMs: firstRender - loaded };
}

/** Changes the window through <crm-revenue>'s menu, one value after the other, like a user. */
async function change(windows: string[]): Promise<{ changes: WindowChange[]; longTasks: LongTask[] }> {
  const longTasks: LongTask[] = [];
  const changes: WindowChange[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const during = changes.length < windows.length ? windows[changes.length]! : 'after';
      longTasks.push({ ms: Math.round(entry.duration), during });
    }
  });
  // settle: whatever the first render left queued is not part of a change
  await new Promise((resolve) => setTimeout(resolve, 500));
  observer.observe({ type: 'longtask' });
  for (const window of windows) {
    const select = revenue.shadowRoot!.querySelector<HTMLSelectElement>('[part~=window] select')!;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t0 = performance.now();
    select.value = window;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const t1 = await frameWhen(() => shows(revenue, window) && shows(roas, window), `the ${window} window`);
    changes.push({ window, inputToPaintMs: t1 - t0 });
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return { changes, longTasks };
}

window.loadWidgets = load;
window.changeWindows = change;
window.runWidgets = async (urls, windows) => ({ ...(await load(urls)), ...(await change(windows)) });
document.getElementById('status')!.textContent = 'loaded';
