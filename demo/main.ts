// Demo page: the four widgets on one <crm-data>, fed with seeded sample data generated in a worker,
// plus theme and locale switches. It uses only the kit's public entry.
import '../src/index.js';
import type { ColumnMapping, CrmData } from '../src/index.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const data = $<CrmData>('shop');
const widgets = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('crm-data, crm-revenue, crm-retention, crm-rfm, crm-roas')];

/** Generates the sample in a worker (a million rows take a few seconds) and loads it. */
async function loadSample(orders: number): Promise<void> {
  const worker = new Worker(new URL('./sample.worker.ts', import.meta.url), { type: 'module' });
  try {
    const files = await new Promise<File[]>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<File[]>) => resolve(event.data);
      worker.onerror = (error) => reject(new Error(`The sample generator failed: ${error.message}`));
      worker.postMessage({ orders, seed: 42 });
    });
    await data.load({ orders: files[0]!, touches: files[1]!, costs: files[2]!, customers: files[3]! });
  } finally {
    worker.terminate();
  }
}

$<HTMLFormElement>('sample-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadSample(Number($<HTMLSelectElement>('sample-size').value));
});

$<HTMLFormElement>('url-form').addEventListener('submit', (event) => {
  event.preventDefault();
  data.src = $<HTMLInputElement>('url').value.trim();
});

$<HTMLTextAreaElement>('columns').addEventListener('change', (event) => {
  const text = (event.target as HTMLTextAreaElement).value.trim();
  const error = $('columns-error');
  error.hidden = true;
  if (text === '') {
    data.columns = null;
    return;
  }
  try {
    data.columns = JSON.parse(text) as ColumnMapping;
  } catch {
    error.hidden = false;
    error.textContent = 'The mapping is not valid JSON. Write it as {"orders": {"customer_id": "Your column", ...}}.';
  }
});

function applyTheme(theme: string): void {
  document.documentElement.dataset['theme'] = theme;
  for (const w of widgets()) w.setAttribute('theme', theme);
}

$<HTMLSelectElement>('theme').addEventListener('change', (event) => applyTheme((event.target as HTMLSelectElement).value));
$<HTMLSelectElement>('locale').addEventListener('change', (event) => {
  const locale = (event.target as HTMLSelectElement).value;
  for (const w of widgets()) {
    if (locale === '') w.removeAttribute('locale');
    else w.setAttribute('locale', locale);
  }
});

// ?theme=dark&size=10000&width=360 for screenshots and links
const query = new URLSearchParams(location.search);
if (query.has('theme')) {
  $<HTMLSelectElement>('theme').value = query.get('theme')!;
  applyTheme(query.get('theme')!);
}
const size = Number(query.get('size') ?? '100000');
$<HTMLSelectElement>('sample-size').value = String(size);
void loadSample(size);
