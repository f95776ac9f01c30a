import { html, LitElement, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DatasetModel, type DatasetHandle } from '../../client/dataset-model.js';
import type { LoadInput } from '../../client/engine-client.js';
import type { DataSource, Fetcher } from '../../client/sources.js';
import { CrmError, retryable, toCrmError } from '../../core/errors.js';
import { formats, nameList } from '../../core/format.js';
import type { ColumnMapping, DecimalSeparator } from '../../core/options.js';
import type { LoadProgress } from '../../core/report.js';
import type { TableName } from '../../core/schema.js';
import { DATASET_CONNECTED } from '../../controllers/dataset.js';
import { CrmErrorEvent, CrmLoadEvent, fire } from '../shared/events.js';
import { crmDataStyles } from './crm-data.styles.js';

const TABLES: TableName[] = ['orders', 'touches', 'costs', 'customers'];

/**
 * A dataset: the rows of orders, touches, costs and customers, held in one Web Worker that every widget
 * pointing at it shares. Widgets join it by nesting inside it or with `data="its id"`.
 *
 * @summary A dataset for the CRM widgets, loaded from URLs, a JSON document, arrays or uploaded files.
 *
 * @tagname crm-data
 * @fires crm-load - Data finished loading; `detail.report` is the load report.
 * @fires crm-error - A load failed; `detail.error` says what, where and what to do.
 * @csspart upload - The upload area (with `upload`).
 * @csspart zone - The drop zone.
 * @csspart report - The summary of what was loaded.
 * @csspart state - The loading and error messages.
 * @cssproperty --crm-accent - Accent colour of buttons and focus rings.
 * @cssproperty --crm-border - Border colour of the upload area.
 * @cssproperty --crm-surface - Background of the upload area.
 * @cssproperty --crm-text - Text colour.
 * @cssproperty --crm-muted - Colour of secondary text.
 */
export class CrmData extends LitElement {
  /** Lit's reactive properties (options here, types, defaults and docs on the fields below). */
  static override properties: PropertyDeclarations = {
    orders: {},
    touches: {},
    costs: {},
    customers: {},
    src: {},
    timezone: {},
    currency: {},
    decimal: {},
    dateFormat: { attribute: 'date-format' },
    columns: {
      converter: {
        fromAttribute: (value: string | null): ColumnMapping | null => {
          if (value === null || value.trim() === '') return null;
          try {
            return JSON.parse(value) as ColumnMapping;
          } catch {
            return { __invalid: {} } as unknown as ColumnMapping;
          }
        },
      },
    },
    refresh: { type: Number },
    upload: { type: Boolean, reflect: true },
    theme: { reflect: true },
    data: { attribute: false },
    fetchOptions: { attribute: false },
    fetcher: { attribute: false },
    workerUrl: { attribute: 'worker-url' },
    dragOver: { state: true },
  };

  static override styles = [crmDataStyles];

  /** URL of the orders table (CSV, JSON or NDJSON). */
  orders: string | null = null;
  /** URL of the touches table. */
  touches: string | null = null;
  /** URL of the costs table. */
  costs: string | null = null;
  /** URL of the customers table. */
  customers: string | null = null;
  /** URL of one JSON document holding several tables (`{"orders": [...], "touches": [...]}`). */
  src: string | null = null;
  /** IANA time zone for values without an offset and for periods. Default `UTC`. */
  timezone: string | null = null;
  /** ISO 4217 currency of the data. */
  currency: string | null = null;
  /** Decimal separator of numbers in text files: `.` (default) or `,`. */
  decimal: DecimalSeparator | null = null;
  /** How slashed dates read: `DD/MM/YYYY`, `MM/DD/YYYY` or `auto`. */
  dateFormat: string | null = null;
  /** Column mapping per table, as JSON in the attribute or an object in the property. */
  columns: ColumnMapping | null = null;
  /** Reload the URLs every this many seconds (while the page is visible). 0: never. */
  refresh = 0;
  /** Show an upload area (drop zone and file picker) with the load report. */
  upload = false;
  /** `light`, `dark`, or `auto`, for the upload area. */
  theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Rows given directly: `{ orders: [{...}, ...], touches: [...] }`. */
  data: Partial<Record<TableName, Record<string, unknown>[]>> | null = null;
  /** Options of URL requests (headers, credentials). Credentials never go in attributes. */
  fetchOptions: RequestInit | undefined = undefined;
  /** A fetch replacement, for hosts with their own HTTP client. */
  fetcher: Fetcher | undefined = undefined;
  /**
   * URL of the kit's worker script (`crm.worker.js`) when the host serves it itself, for example from
   * its own origin under a CSP without `blob:` workers. Default: next to the kit's script.
   */
  workerUrl: string | null = null;

  private dragOver = false;
  private model = new DatasetModel();
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private disposeTimer: ReturnType<typeof setTimeout> | null = null;
  private sourceKey = '';
  private announcedVersion = 0;
  private announcedError: CrmError | null = null;

  /** The dataset, for widgets. */
  get datasetHandle(): DatasetHandle {
    return this.model;
  }

  /** The load report of the current data (null before the first load). */
  get report() {
    return this.model.snapshot.report;
  }

  /** The analytics engine holding the data (for headless queries alongside the widgets). */
  get engine() {
    return this.model.engine;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.disposeTimer !== null) {
      // moved within the page: keep the data
      clearTimeout(this.disposeTimer);
      this.disposeTimer = null;
    }
    this.unsubscribe ??= this.model.subscribe(() => this.changed());
    document.dispatchEvent(new CustomEvent(DATASET_CONNECTED));
    this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopRefresh();
    // only when it stays out of the page: a move is a disconnect followed by a connect
    this.disposeTimer = setTimeout(() => {
      this.disposeTimer = null;
      if (this.isConnected) return;
      this.unsubscribe?.();
      this.unsubscribe = null;
      this.model.dispose();
      this.model = new DatasetModel();
      this.sourceKey = '';
      this.announcedVersion = 0;
    }, 0);
  }

  protected override willUpdate(changed: PropertyValues): void {
    const options = ['timezone', 'currency', 'decimal', 'dateFormat', 'columns', 'fetchOptions', 'fetcher', 'workerUrl'];
    const sources = ['orders', 'touches', 'costs', 'customers', 'src', 'data'];
    let reset = false;
    let resumed = false;
    if (options.some((k) => changed.has(k)) || this.sourceKey === '') {
      try {
        resumed = this.model.refused;
        reset = this.model.configure(this.engineOptions());
      } catch (error) {
        // shown as the dataset's error (changed() announces it) until the options are fixed; then the
        // sources declared by then load (below), whatever was asked for meanwhile
        this.model.reject(toCrmError(error));
        return;
      }
    }
    const key = this.currentSourceKey();
    const newSources = resumed || (key !== this.sourceKey && (this.sourceKey === '' || sources.some((k) => changed.has(k))));
    if (newSources) this.sourceKey = key;
    // new options read every load again (uploads included); new sources that come with them load in
    // place of the ones they replace, which are not read again
    if (reset) void this.run(() => this.model.reread((newSources ? this.declared() : null) ?? undefined));
    else if (newSources) void this.loadDeclared();
    if (changed.has('refresh')) this.schedule();
  }

  /**
   * Loads files (an upload, say) or other sources into the dataset: a `File` list whose tables are
   * detected from their columns and names, or `{ orders: file, touches: url, ... }`.
   */
  async load(input: FileList | File[] | LoadInput): Promise<void> {
    // options set as attributes apply first (a load right after creating the element would miss them)
    await this.updateComplete;
    const normalized: LoadInput = typeof FileList !== 'undefined' && input instanceof FileList ? [...input] : (input as LoadInput);
    await this.run(() => this.model.load(normalized));
  }

  /** Cancels the load in flight while its files are read; the dataset keeps its previous data. Once its tables are being built, the load completes. */
  cancel(): void {
    this.model.cancel();
  }

  /** Loads the declared sources again. */
  async reload(): Promise<void> {
    await this.loadDeclared();
  }

  /** Runs the latest load again. */
  async retry(): Promise<void> {
    await this.run(() => this.model.retry());
  }

  private engineOptions() {
    const columns = this.columns;
    if (columns !== null && '__invalid' in columns) {
      throw new CrmError('bad-option', 'The columns attribute is not valid JSON.', { hint: 'Write it as {"orders": {"customer_id": "Customer", ...}}, or set the columns property.' });
    }
    return {
      ...(this.timezone !== null ? { timezone: this.timezone } : {}),
      ...(this.currency !== null ? { currency: this.currency } : {}),
      ...(this.decimal !== null ? { decimal: this.decimal } : {}),
      ...(this.dateFormat !== null ? { dateFormat: this.dateFormat } : {}),
      ...(columns !== null ? { columns } : {}),
      ...(this.workerUrl !== null && this.workerUrl !== '' ? { workerUrl: this.workerUrl } : {}),
      ...(this.fetchOptions !== undefined ? { fetchOptions: this.fetchOptions } : {}),
      ...(this.fetcher !== undefined ? { fetcher: this.fetcher } : {}),
    };
  }

  private declared(): LoadInput | null {
    const input: Partial<Record<TableName | 'src', DataSource>> = {};
    if (this.src !== null && this.src !== '') input.src = this.src;
    for (const table of TABLES) {
      const url = this[table];
      if (url !== null && url !== '') input[table] = url;
      const rows = this.data?.[table];
      if (rows !== undefined) input[table] = rows;
    }
    return Object.keys(input).length > 0 ? input : null;
  }

  private currentSourceKey(): string {
    return JSON.stringify([this.src, ...TABLES.map((t) => this[t])]) + (this.data !== null ? `|data:${dataStamp(this.data)}` : '');
  }

  private async loadDeclared(): Promise<void> {
    const input = this.declared();
    if (input === null) return;
    await this.run(() => this.model.load(input));
  }

  private async run(load: () => Promise<unknown>): Promise<void> {
    try {
      await load();
    } catch {
      // the model's state holds the error; changed() announces it
    }
  }

  /** Re-renders, and announces finished and failed loads (whoever started them: attributes, upload, a widget). */
  private changed(): void {
    const snapshot = this.model.snapshot;
    if (snapshot.version !== this.announcedVersion && snapshot.report !== null) {
      this.announcedVersion = snapshot.version;
      fire(this, new CrmLoadEvent(snapshot.report));
    }
    if (snapshot.status === 'error' && snapshot.error !== null && snapshot.error !== this.announcedError) {
      this.announcedError = snapshot.error;
      fire(this, new CrmErrorEvent(snapshot.error));
    }
    this.requestUpdate();
  }

  private schedule(): void {
    this.stopRefresh();
    if (!this.isConnected || !(this.refresh > 0)) return;
    this.timer = setInterval(
      () => {
        if (document.visibilityState === 'visible' && this.model.snapshot.status !== 'loading') void this.loadDeclared();
      },
      Math.max(5, this.refresh) * 1000,
    );
  }

  private stopRefresh(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  protected override render(): TemplateResult {
    return html`${this.upload ? this.renderUpload() : nothing}<slot></slot>`;
  }

  /**
   * The bar and line of a load in progress: one file's share and figures, or, while several files are
   * read at once (their events alternate; dropped files all stream at once), their names, the load's
   * totals and an indeterminate bar.
   */
  private renderProgress(p: LoadProgress | null, f: ReturnType<typeof formats>): TemplateResult {
    const several = p !== null && p.reading.length > 1;
    const share = p !== null && !several && p.bytesTotal !== null;
    let text: string;
    if (p === null) text = 'Starting…';
    else if (p.phase === 'build') text = 'Building tables…';
    else if (several) text = `${nameList(p.reading)}: ${(p.totalBytesRead / 1e6).toFixed(1)} MB, ${f.count(p.totalRowsParsed)} rows`;
    else text = `${p.source}: ${(p.bytesRead / 1e6).toFixed(1)} MB, ${f.count(p.rowsParsed)} rows`;
    return html`<progress aria-label="Loading progress" max=${share ? p.bytesTotal! : 1} value=${ifDefined(share ? p.bytesRead : undefined)}></progress>
      <span class="muted">${text}</span>`;
  }

  private renderUpload(): TemplateResult {
    const snapshot = this.model.snapshot;
    const f = formats();
    const p = snapshot.progress;
    return html`<section class="upload" part="upload" aria-label="Data upload">
      <div
        class="zone ${this.dragOver ? 'over' : ''}"
        part="zone"
        @dragover=${this.onDragOver}
        @dragleave=${() => (this.dragOver = false)}
        @drop=${this.onDrop}
      >
        <p>Drop CSV, JSON or NDJSON files of orders, touches, costs and customers here. They stay in this browser.</p>
        <button class="primary" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()}>Choose files…</button>
        <input class="sr-only" type="file" multiple accept=".csv,.tsv,.txt,.json,.ndjson" aria-label="Data files" tabindex="-1" @change=${this.onPicked} />
      </div>
      ${snapshot.status === 'loading'
        ? html`<div class="status" role="status">
            ${this.renderProgress(p, f)}
            ${p?.phase !== 'build' ? html`<button @click=${() => this.cancel()}>Cancel</button>` : nothing}
          </div>`
        : nothing}
      ${snapshot.status === 'error' && snapshot.error !== null
        ? html`<div class="status" role="alert">
            <p class="error">${snapshot.error.message}</p>
            ${snapshot.error.hint !== undefined ? html`<p class="muted">${snapshot.error.hint}</p>` : nothing}
            ${retryable(snapshot.error) ? html`<button @click=${() => void this.retry()}>Retry</button>` : nothing}
          </div>`
        : nothing}
      ${snapshot.report !== null ? this.renderReport() : nothing}
    </section>`;
  }

  private renderReport(): TemplateResult {
    const report = this.model.snapshot.report!;
    const f = formats();
    const tables = TABLES.filter((t) => report.tables[t] !== undefined).map((t) => report.tables[t]!);
    const rejections = tables.flatMap((t) => t.rejections.map((r) => ({ ...r, table: t.table })));
    return html`<div part="report">
      <ul class="tables" aria-label="Loaded tables">
        ${tables.map(
          (t) => html`<li>
            <strong>${t.table}</strong>
            <span>${f.count(t.rowsAccepted)} rows${t.rowsRejected > 0 ? html`, <span class="error">${f.count(t.rowsRejected)} rejected</span>` : nothing}</span>
            ${t.sources.map((s) => html`<div class="source" title=${s.name}>${s.name}</div>`)}
          </li>`,
        )}
      </ul>
      ${rejections.length > 0
        ? html`<details>
            <summary>Rejected rows (first ${rejections.length})</summary>
            <div class="rejections">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Table</th>
                    <th scope="col">Line</th>
                    <th scope="col">Column</th>
                    <th scope="col">Value</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  ${rejections.map(
                    (r) => html`<tr>
                      <td>${r.table}</td>
                      <td>${r.line}</td>
                      <td>${r.column}</td>
                      <td class="value" title=${r.value}>${r.value}</td>
                      <td>${r.message}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
          </details>`
        : nothing}
      <p class="muted">
        ${report.dateRange !== null ? `Data from ${f.date(report.dateRange.min, report.timezone)} to ${f.date(report.dateRange.max, report.timezone)} · ` : ''}${f.count(report.customers)}
        customers · times in ${report.timezone}
      </p>
      ${report.warnings.length > 0 ? html`<ul class="muted">${report.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
    </div>`;
  }

  private onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragOver = true;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragOver = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) void this.load(files);
  }

  private onPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) void this.load(files);
  }
}

/** A cheap identity of row arrays: a new array or a changed length reloads. */
const stamps = new WeakMap<object, number>();
let nextStamp = 1;
function dataStamp(data: Partial<Record<TableName, Record<string, unknown>[]>>): string {
  return TABLES.map((t) => {
    const rows = data[t];
    if (rows === undefined) return '-';
    let stamp = stamps.get(rows);
    if (stamp === undefined) {
      stamp = nextStamp++;
      stamps.set(rows, stamp);
    }
    return `${stamp}:${rows.length}`;
  }).join(',');
}

declare global {
  interface HTMLElementTagNameMap {
    'crm-data': CrmData;
  }
}
