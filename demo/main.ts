// Demo page for the data layer: loads sample data, files or a URL into a worker-resident dataset and
// renders the load report. DOM is built with textContent only, like everything in the kit.
import { createEngine, CrmError, type ColumnMapping, type CrmEngine, type DatasetReport, type LoadProgress, type TableReport } from '../src/engine.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string | null, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

const number = new Intl.NumberFormat(undefined);
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const bytes = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} kB` : `${n} B`);

let engine: CrmEngine | null = null;
let engineKey = '';
let controller: AbortController | null = null;

function options(): { timezone: string; decimal: '.' | ','; dateFormat: string; columns?: ColumnMapping } {
  const text = $<HTMLTextAreaElement>('columns').value.trim();
  let columns: ColumnMapping | undefined;
  if (text !== '') {
    try {
      columns = JSON.parse(text) as ColumnMapping;
    } catch {
      throw new CrmError('bad-option', 'The column mapping is not valid JSON.', {
        hint: 'Write it as {"orders": {"customer_id": "Your column", ...}}.',
      });
    }
  }
  return {
    timezone: $<HTMLInputElement>('timezone').value.trim() || 'UTC',
    decimal: $<HTMLSelectElement>('decimal').value as '.' | ',',
    dateFormat: $<HTMLSelectElement>('date-format').value,
    ...(columns !== undefined ? { columns } : {}),
  };
}

/** The engine for the current reading options (a new dataset when they change). */
function currentEngine(): CrmEngine {
  const o = options();
  const key = JSON.stringify(o);
  if (engine === null || key !== engineKey) {
    engine?.release();
    engine = createEngine(o);
    engineKey = key;
  }
  return engine;
}

function showError(error: unknown): void {
  const e = error instanceof CrmError ? error : new CrmError('internal', String(error));
  $('status').hidden = true;
  if (e.code === 'aborted') return;
  $('error').hidden = false;
  $('error-title').textContent = e.message;
  $('error-hint').textContent = e.hint ?? '';
}

function showProgress(title: string, p: LoadProgress | null): void {
  $('status').hidden = false;
  $('error').hidden = true;
  $('status-title').textContent = title;
  const bar = $<HTMLProgressElement>('progress');
  if (p === null) {
    bar.removeAttribute('value');
    $('status-detail').textContent = '';
    return;
  }
  if (p.phase === 'build') {
    bar.removeAttribute('value');
    $('status-detail').textContent = `Building tables and indexes from ${number.format(p.totalRowsParsed)} rows…`;
    return;
  }
  if (p.bytesTotal !== null && p.bytesTotal > 0) {
    bar.max = p.bytesTotal;
    bar.value = p.bytesRead;
  } else {
    bar.removeAttribute('value');
  }
  const of = p.bytesTotal !== null ? ` of ${bytes(p.bytesTotal)}` : '';
  $('status-detail').textContent = `${p.source} (${p.sourceIndex + 1}/${p.sourceCount}): ${bytes(p.bytesRead)}${of} read, ${number.format(p.rowsParsed)} rows parsed`;
}

async function run(title: string, load: (engine: CrmEngine, signal: AbortSignal) => Promise<unknown>): Promise<void> {
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  const cancel = $<HTMLButtonElement>('cancel');
  cancel.hidden = false;
  cancel.onclick = () => controller?.abort();
  showProgress(title, null);
  const started = performance.now();
  try {
    const e = currentEngine();
    await load(e, signal);
    const report = await e.report();
    $('status').hidden = true;
    renderReport(report, performance.now() - started);
  } catch (error) {
    showError(error);
  } finally {
    cancel.hidden = true;
  }
}

function loadFiles(files: File[]): void {
  if (files.length === 0) return;
  const delimiter = $<HTMLSelectElement>('delimiter').value as ',' | ';' | '\t' | 'auto';
  const table = $<HTMLSelectElement>('table').value;
  void run(`Loading ${files.length} file${files.length > 1 ? 's' : ''}`, (e, signal) =>
    e.load(table === 'auto' ? files : { [table]: files }, { signal, delimiter, onProgress: (p) => showProgress('Loading your files', p) }),
  );
}

$<HTMLFormElement>('sample-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const orders = Number($<HTMLSelectElement>('sample-size').value);
  const seed = Number($<HTMLInputElement>('sample-seed').value) || 0;
  void run(`Generating ${number.format(orders)} sample order rows`, async (e, signal) => {
    const worker = new Worker(new URL('./sample.worker.ts', import.meta.url), { type: 'module' });
    const files = await new Promise<File[]>((resolve, reject) => {
      worker.onmessage = (m: MessageEvent<File[]>) => resolve(m.data);
      worker.onerror = (err) => reject(new CrmError('internal', `The sample generator failed: ${err.message}`));
      signal.addEventListener('abort', () => reject(new CrmError('aborted', 'Cancelled.')));
      worker.postMessage({ orders, seed });
    }).finally(() => worker.terminate());
    return e.load(
      { orders: files[0]!, touches: files[1]!, costs: files[2]!, customers: files[3]! },
      { signal, onProgress: (p) => showProgress('Loading the sample', p) },
    );
  });
});

$<HTMLInputElement>('files').addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  loadFiles([...(input.files ?? [])]);
  input.value = '';
});

const drop = $('drop');
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  loadFiles([...(event.dataTransfer?.files ?? [])]);
});

$<HTMLFormElement>('url-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const url = $<HTMLInputElement>('url').value;
  void run('Downloading', (e, signal) => e.load(url, { signal, onProgress: (p) => showProgress('Downloading', p) }));
});

$<HTMLSelectElement>('theme').addEventListener('change', (event) => {
  const value = (event.target as HTMLSelectElement).value;
  if (value === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = value;
});

function dateRange(report: { dateRange: { min: number; max: number } | null }, timezone: string): string {
  if (report.dateRange === null) return '—';
  const f = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: timezone });
  return `${f.format(report.dateRange.min)} – ${f.format(report.dateRange.max)}`;
}

function definitionList(pairs: [string, string][]): HTMLDListElement {
  const dl = el('dl', null, 'facts');
  for (const [k, v] of pairs) {
    const item = el('div');
    item.append(el('dt', k), el('dd', v));
    dl.append(item);
  }
  return dl;
}

function table(headers: string[], rows: string[][], caption: string): HTMLElement {
  const wrap = el('div', null, 'table-wrap');
  const t = el('table');
  t.append(el('caption', caption));
  const head = el('tr');
  for (const h of headers) head.append(el('th', h));
  t.append(el('thead'));
  t.tHead!.append(head);
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    for (const c of r) {
      const td = el('td', c.length > 80 ? c.slice(0, 79) + '…' : c);
      if (c.length > 80) td.title = c;
      tr.append(td);
    }
    body.append(tr);
  }
  t.append(body);
  wrap.append(t);
  return wrap;
}

function tableCard(t: TableReport, timezone: string): HTMLElement {
  const card = el('article', null, 'card');
  card.append(el('h3', t.table));
  const sources = t.sources.map((s) => `${s.name} (${s.format}${s.delimiter ? `, "${s.delimiter === '\t' ? 'tab' : s.delimiter}"` : ''}, ${s.encoding}${s.bom ? ' BOM' : ''})`);
  const facts: [string, string][] = [
    ['Rows read', number.format(t.rowsRead)],
    ['Accepted', number.format(t.rowsAccepted)],
    ['Rejected', number.format(t.rowsRejected)],
    ['Date range', dateRange(t, timezone)],
    ['Distinct customers', number.format(t.distinctCustomers)],
    ['Sources', sources.join('; ')],
  ];
  if (t.orders) {
    facts.push(['Orders', `${number.format(t.orders.orders)} (${number.format(t.orders.purchases)} purchases, ${number.format(t.orders.adjustments)} refunds/adjustments)`]);
    facts.push(['Net revenue', money.format(t.orders.netRevenue)]);
  }
  if (t.touches) {
    facts.push(['Channels', t.touches.channels.map((c) => `${c.channel} ${number.format(c.touches)}`).join(', ')]);
    facts.push(['Holdout', `${number.format(t.touches.holdout)} of ${number.format(t.touches.holdout + t.touches.treatment)}`]);
  }
  if (t.costs) facts.push(['Total cost', money.format(t.costs.total)]);
  if (t.customers) facts.push(['Attributes', t.customers.attributes.join(', ') || '—']);
  card.append(definitionList(facts));
  const mapping = t.sources[0]?.mapping ?? [];
  if (mapping.length > 0) {
    card.append(table(['Field', 'Column', 'How'], mapping.map((m) => [m.field, m.column, m.how]), 'Column mapping'));
  }
  for (const w of t.warnings) card.append(el('p', w, 'warning'));
  if (t.rejections.length > 0) {
    const reasons = Object.entries(t.rejectedByReason).map(([r, n]) => `${r}: ${number.format(n)}`).join(', ');
    card.append(el('p', `Rejected by reason — ${reasons}`, 'muted'));
    card.append(
      table(
        ['Line', 'Column', 'Value', 'Why'],
        t.rejections.map((r) => [String(r.line), r.column || '—', r.value, r.message]),
        `First ${t.rejections.length} rejected rows`,
      ),
    );
  }
  return card;
}

function renderReport(report: DatasetReport, ms: number): void {
  $('report').hidden = false;
  const tables = Object.values(report.tables);
  const rows = tables.reduce((n, t) => n + t.rowsRead, 0);
  $('report-summary').textContent = `${number.format(rows)} rows in ${tables.length} table${tables.length === 1 ? '' : 's'}, ${number.format(report.customers)} customers, loaded in ${(ms / 1000).toFixed(2)} s (time zone ${report.timezone}${report.currency ? `, ${report.currency}` : ''}).`;
  const container = $('tables');
  container.replaceChildren(...tables.map((t) => tableCard(t, report.timezone)));
  for (const w of report.warnings) container.append(el('p', w, 'warning'));
}

// Start with the built-in sample, so the page shows data at once.
$<HTMLSelectElement>('sample-size').value = '10000';
$<HTMLFormElement>('sample-form').requestSubmit();
$<HTMLSelectElement>('sample-size').value = '100000';
