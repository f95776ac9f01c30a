/**
 * What every widget shares: its public properties (`data`, `summary-src`, `.result`, `locale`,
 * `currency`, `theme`, `controls`), its controllers (dataset, queries, size, keyboard), and its frame —
 * header with controls, a body in one of four states (empty, loading, error, ready), a chart or a data
 * table, a footnote with the definition in force, and exports. Each widget adds its parameters, its
 * queries, its chart and its table; the behaviour lives in the controllers, so this class stays thin.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Fetcher } from '../../client/sources.js';
import { csvText } from '../../core/csv.js';
import { retryable, type CrmError } from '../../core/errors.js';
import { formats, localTimeZone, nameList, type Formats } from '../../core/format.js';
import type { QueryResult } from '../../core/results.js';
import type { CreditModel } from '../../core/queries.js';
import { attributionWords } from '../../core/labels.js';
import { pngBlob, svgMarkup } from '../../charts/export.js';
import type { ChartTheme, TooltipHost } from '../../charts/theme.js';
import { createTooltip } from '../../charts/tooltip.js';
import { DatasetController } from '../../controllers/dataset.js';
import { GridNavigationController } from '../../controllers/grid-navigation.js';
import { QueryController, type QueryPlan } from '../../controllers/query.js';
import { ResizeController } from '../../controllers/resize.js';
import { rangeControl } from './controls.js';
import { download, fileName } from './download.js';
import { CrmErrorEvent, CrmParamsChangeEvent, fire } from './events.js';
import { widgetStyles } from './widget.styles.js';

/** A widget's data as a table: for the table view and the CSV export. */
export interface TableData {
  caption: string;
  header: string[];
  /** Raw values (CSV gets them as they are); `format` turns numbers into display text. */
  rows: (string | number)[][];
  format?: (value: number, column: number) => string;
}

/** Which of its states a widget is in. */
export type WidgetState =
  | { kind: 'no-dataset' }
  | { kind: 'empty'; message: string; canLoad: boolean }
  | { kind: 'loading'; label: string; bytes: number; bytesTotal: number | null; rows: number; canCancel: boolean }
  | { kind: 'error'; error: CrmError; retry: () => void }
  | { kind: 'ready'; busy: boolean };

/** What a pre-aggregated payload says about its definition (model and basis, when it has them). */
function payloadDefinition(results: QueryResult[]): string {
  const credited = results.find((r): r is Extract<QueryResult, { model: CreditModel }> => 'model' in r && 'basis' in r);
  return credited === undefined ? '' : attributionWords(credited.model, null, credited.basis);
}

/**
 * The base of every widget (not an element itself).
 *
 * @fires crm-params-change - The user changed a parameter in the controls; `detail.params` holds all parameters, `detail.changed` the one that changed. Never fired for a programmatic change.
 * @fires crm-error - A query or a payload download failed; `detail.error` says what, where and what to do.
 * @csspart header - Title and controls.
 * @csspart title - The title.
 * @csspart controls - The controls (a fieldset).
 * @csspart control - Each control; also named after its parameter, e.g. `control window`.
 * @csspart body - Everything under the header.
 * @csspart chart-area - The chart or the table, with the legend.
 * @csspart chart - The chart's SVG.
 * @csspart legend - The legend.
 * @csspart table - The data table view.
 * @csspart summary - The text summary for screen readers.
 * @csspart tooltip - The tooltip.
 * @csspart footer - Footnote and export buttons.
 * @csspart footnote - The definition in force: model, window, basis, measure, range, time zone, load time.
 * @csspart state - The empty, loading and error states (also `state empty`, `state loading`, `state error`).
 * @cssproperty --crm-font - Font family.
 * @cssproperty --crm-font-size - Base font size (13px).
 * @cssproperty --crm-background - Background.
 * @cssproperty --crm-surface - Background of panels and KPI tiles.
 * @cssproperty --crm-text - Text colour.
 * @cssproperty --crm-muted - Secondary text.
 * @cssproperty --crm-border - Borders.
 * @cssproperty --crm-grid - Chart gridlines.
 * @cssproperty --crm-accent - Accent: selected buttons, focus rings, the blended ROAS line.
 * @cssproperty --crm-accent-text - Text on the accent colour.
 * @cssproperty --crm-positive - A change up.
 * @cssproperty --crm-negative - A change down.
 * @cssproperty --crm-neutral - Non-CRM revenue and other context series.
 * @cssproperty --crm-sequential-low - Low end of the heatmap and RFM colour scale.
 * @cssproperty --crm-sequential-high - High end of the heatmap and RFM colour scale.
 * @cssproperty --crm-series-1 - Categorical colour 1 (channels, campaigns).
 * @cssproperty --crm-series-2 - Categorical colour 2 (channels, campaigns).
 * @cssproperty --crm-series-3 - Categorical colour 3 (channels, campaigns).
 * @cssproperty --crm-series-4 - Categorical colour 4 (channels, campaigns).
 * @cssproperty --crm-series-5 - Categorical colour 5 (channels, campaigns).
 * @cssproperty --crm-series-6 - Categorical colour 6 (channels, campaigns).
 * @cssproperty --crm-series-7 - Categorical colour 7 (channels, campaigns).
 * @cssproperty --crm-series-8 - Categorical colour 8 (channels, campaigns).
 * @cssproperty --crm-series-9 - Categorical colour 9 (channels, campaigns).
 * @cssproperty --crm-series-10 - Categorical colour 10 (channels, campaigns).
 * @cssproperty --crm-radius - Corner radius.
 */
export abstract class CrmWidget extends LitElement {
  /** Lit's reactive properties (options here, types, defaults and docs on the fields below). */
  static override properties: PropertyDeclarations = {
    data: { reflect: true },
    summarySrc: { attribute: 'summary-src' },
    result: { attribute: false },
    locale: {},
    currency: {},
    theme: { reflect: true },
    controls: { reflect: true },
    fetchOptions: { attribute: false },
    fetcher: { attribute: false },
    from: { reflect: true },
    to: { reflect: true },
    shown: { state: true },
    exportError: { state: true },
  };

  static override styles = [widgetStyles];

  /** Id of the `<crm-data>` to show; without it, the nearest enclosing `<crm-data>`. */
  data: string | null = null;
  /** URL of a pre-aggregated result (a JSON payload of the SQL pack): shown with no worker. */
  summarySrc: string | null = null;
  /** A result (or array of results) to show as is, from the engine or the SQL pack. */
  result: unknown = null;
  /** BCP 47 locale of numbers and dates; default the browser's. */
  locale: string | null = null;
  /** ISO 4217 currency of money; default the dataset's. */
  currency: string | null = null;
  /** `light`, `dark`, or `auto` (follows the system). */
  theme: 'light' | 'dark' | 'auto' = 'auto';
  /** `full` controls, `compact` (the essential ones), or `none` (the host drives the attributes). */
  controls: 'full' | 'compact' | 'none' = 'full';
  /** Options of the `summary-src` request (credentials go here, never in attributes). */
  fetchOptions: RequestInit | undefined = undefined;
  /** A fetch replacement for `summary-src`. */
  fetcher: Fetcher | undefined = undefined;
  /** First day counted (`YYYY-MM-DD`, in the data's time zone); default the data's first. */
  from: string | null = null;
  /** Last day counted, inclusive; default the data's last. */
  to: string | null = null;

  /** Chart or data table (the Table button). */
  protected shown: 'chart' | 'table' = 'chart';
  protected exportError: string | null = null;

  /** The chart area, its SVG and its tooltip, once rendered. */
  protected get chartBox(): HTMLElement | null {
    return this.renderRoot?.querySelector('.chart') ?? null;
  }
  protected get plot(): SVGSVGElement | null {
    return this.renderRoot?.querySelector('svg.plot') ?? null;
  }
  protected get tipElement(): HTMLElement | null {
    return this.renderRoot?.querySelector('.tooltip') ?? null;
  }

  protected readonly source = new DatasetController(this, () => this.data);
  protected readonly queries = new QueryController(this, {
    dataset: this.source,
    plan: () => this.plan(),
    summary: () => ({
      src: this.summarySrc,
      result: this.result,
      ...(this.fetchOptions !== undefined ? { fetchOptions: this.fetchOptions } : {}),
      ...(this.fetcher !== undefined ? { fetcher: this.fetcher } : {}),
    }),
    onError: (error) => fire(this, new CrmErrorEvent(error)),
  });
  protected readonly size = new ResizeController(this);
  protected readonly navigation = new GridNavigationController(this, () => this.renderRoot.querySelector('.chart'));
  private drawnWith: unknown[] = [];
  private tooltipHost: TooltipHost | null = null;

  /** The widget's title. */
  protected abstract readonly heading: string;
  /** File name base of exports. */
  protected abstract readonly exportName: string;
  /** The queries for the current parameters (null when they cannot run). */
  protected abstract plan(): QueryPlan | null;
  /**
   * The parameter controls: the essential ones (shown in `compact` mode) and the rest; `view` holds
   * the ones that change only how results are shown (they stay with a pre-aggregated payload).
   */
  protected abstract renderControls(): { essential: TemplateResult; more: TemplateResult | typeof nothing; view?: TemplateResult };
  /** The ready state's content (charts, legends). */
  protected abstract renderReady(): TemplateResult;
  /** Draws the charts (after the ready state rendered). */
  protected abstract drawCharts(theme: ChartTheme, tooltip: TooltipHost): void;
  /** The data as a table. */
  protected abstract table(): TableData | null;
  /** The definition in force, for the footnote (model, window, measure, ...). */
  protected abstract definition(): string;
  /** A sentence or two saying what the chart shows, for screen readers. */
  protected abstract summary(): string;
  /** A message when the results hold nothing to show (no orders in range, say), else null. */
  protected abstract emptyMessage(): string | null;
  /** Values besides the results that change the drawing. */
  protected drawInputs(): unknown[] {
    return [];
  }

  /** Number formats for the widget's locale and currency. */
  protected get fmt(): Formats {
    return formats(this.locale, this.currency ?? this.source.handle?.snapshot.report?.currency ?? null);
  }

  /** The results by name. */
  protected get results(): Record<string, QueryResult> {
    return this.queries.results;
  }

  /** The `range` parameter of a query for `from` / `to` (nothing when both are open). */
  protected rangeParams(): { range?: { from?: string; to?: string } } {
    if (this.from === null && this.to === null) return {};
    return { range: { ...(this.from !== null ? { from: this.from } : {}), ...(this.to !== null ? { to: this.to } : {}) } };
  }

  /** The From / To controls; a user's change sets `from` / `to` and tells the host. */
  protected rangeControls(): TemplateResult {
    return rangeControl(this.from, this.to, (from, to) => {
      this.from = from;
      this.to = to;
      this.userChanged('range');
      this.paramsChanged('range');
    });
  }

  /** Called when the user changes a parameter (a widget may drop state that belonged to the old value). */
  protected userChanged(_param: string): void {}

  /** A user's choice in a control: sets the property and tells the host (nothing when it is unchanged). */
  protected setParam<K extends keyof this>(key: K, value: this[K]): void {
    if (this[key] === value) return;
    this[key] = value;
    this.userChanged(String(key));
    this.paramsChanged(String(key));
  }

  /** Tells the host the user changed a parameter. */
  protected paramsChanged(changed: string): void {
    fire(this, new CrmParamsChangeEvent(this.params(), changed));
  }

  /** The widget's parameters, for `crm-params-change`. */
  protected abstract params(): Record<string, unknown>;

  /** The state the widget is in. */
  protected state(): WidgetState {
    const summaryMode = (this.summarySrc !== null && this.summarySrc !== '') || (this.result !== null && this.result !== undefined);
    const q = this.queries;
    if (summaryMode) {
      if (q.status === 'error' && q.error !== null) return { kind: 'error', error: q.error, retry: () => q.retry() };
      if (q.status !== 'ready') return { kind: 'loading', label: 'Loading the summary…', bytes: 0, bytesTotal: null, rows: 0, canCancel: false };
      const empty = this.emptyMessage();
      return empty !== null ? { kind: 'empty', message: empty, canLoad: false } : { kind: 'ready', busy: false };
    }
    const handle = this.source.handle;
    if (handle === null) return { kind: 'no-dataset' };
    const snapshot = handle.snapshot;
    if (snapshot.status === 'error' && snapshot.error !== null) return { kind: 'error', error: snapshot.error, retry: () => void handle.retry().catch(() => undefined) };
    if (snapshot.report === null) {
      if (snapshot.status === 'loading') {
        const p = snapshot.progress;
        const label = p === null ? 'Starting…' : p.phase === 'build' ? 'Building tables and indexes…' : `Reading ${p.reading.length > 1 ? nameList(p.reading) : p.source}…`;
        return { kind: 'loading', label, bytes: p?.totalBytesRead ?? 0, bytesTotal: p !== null && p.sourceCount === 1 ? p.bytesTotal : null, rows: p?.totalRowsParsed ?? 0, canCancel: p?.phase !== 'build' };
      }
      return { kind: 'empty', message: 'No data loaded yet.', canLoad: true };
    }
    if (q.status === 'error' && q.error !== null) return { kind: 'error', error: q.error, retry: () => q.retry() };
    if (Object.keys(q.results).length === 0) {
      return { kind: 'loading', label: 'Computing…', bytes: 0, bytesTotal: null, rows: 0, canCancel: false };
    }
    const empty = this.emptyMessage();
    if (empty !== null) return { kind: 'empty', message: empty, canLoad: false };
    return { kind: 'ready', busy: q.status === 'pending' || snapshot.status === 'loading' };
  }

  protected override render(): TemplateResult {
    const state = this.state();
    return html`
      <div class="header" part="header">
        <h2 part="title">${this.heading}</h2>
        ${this.renderControlBar()}
      </div>
      <div class="body" part="body" aria-busy=${state.kind === 'loading' || (state.kind === 'ready' && state.busy) ? 'true' : 'false'}>
        ${state.kind === 'ready' && state.busy ? html`<div class="busy" role="presentation"></div>` : nothing} ${this.renderState(state)}
      </div>
      ${state.kind === 'ready' ? this.renderFooter() : nothing}
    `;
  }

  /** Controls: all of them; at narrow widths the secondary ones behind "More"; in compact mode the essential ones. */
  private renderControlBar(): TemplateResult | typeof nothing {
    if (this.controls === 'none') return nothing;
    const { view, essential: query, more } = this.renderControls();
    // a pre-aggregated payload fixes the parameters: only the controls of how it is shown remain
    if (this.queries.fromSummary) {
      return html`<div class="controls" part="controls">
        ${view ?? nothing}
        <p class="note fixed">Computed elsewhere with fixed settings: this view shows the pre-aggregated data as it is.</p>
      </div>`;
    }
    const essential = html`${query}${view ?? nothing}`;
    const bar = (content: TemplateResult): TemplateResult =>
      html`<fieldset class="controls" part="controls">
        <legend class="visually-hidden">Settings</legend>${content}
      </fieldset>`;
    if (this.controls === 'compact' || more === nothing) return bar(essential);
    if (this.size.width > 0 && this.size.width < 560) {
      return bar(html`${essential}
        <details class="more">
          <summary>More settings</summary>
          <div class="controls">${more}</div>
        </details>`);
    }
    return bar(html`${essential}${more}`);
  }

  private renderState(state: WidgetState): TemplateResult {
    switch (state.kind) {
      case 'no-dataset':
        return html`<div class="state" part="state empty">
          <p class="what">No data connected.</p>
          <p class="detail">Put this widget inside a &lt;crm-data&gt; element, or give it data="…" with the id of one.</p>
        </div>`;
      case 'empty':
        return html`<div class="state" part="state empty">
          <p class="what">${state.message}</p>
          ${state.canLoad
            ? html`<p class="detail">Load orders (and touches, costs, customers) as CSV or JSON to see the numbers.</p>
                <div class="actions">
                  <button class="primary" @click=${this.pickFiles}>Load files…</button>
                  <input class="sr-only" type="file" multiple accept=".csv,.tsv,.txt,.json,.ndjson" aria-label="Data files" tabindex="-1" @change=${this.filesPicked} />
                </div>`
            : nothing}
        </div>`;
      case 'loading': {
        const f = this.fmt;
        const bytes = state.bytes > 0 ? `${(state.bytes / 1e6).toFixed(1)} MB${state.bytesTotal !== null ? ` of ${(state.bytesTotal / 1e6).toFixed(1)} MB` : ''}` : '';
        const rows = state.rows > 0 ? `${f.count(state.rows)} rows` : '';
        return html`<div class="state" part="state loading" role="status">
          <p class="what">${state.label}</p>
          <progress aria-label="Loading progress" max=${state.bytesTotal ?? 1} value=${ifDefined(state.bytesTotal !== null ? state.bytes : undefined)}></progress>
          ${bytes !== '' || rows !== '' ? html`<p class="detail">${[bytes, rows].filter((s) => s !== '').join(' · ')}</p>` : nothing}
          ${state.canCancel ? html`<div class="actions"><button @click=${() => this.source.handle?.cancel()}>Cancel</button></div>` : nothing}
        </div>`;
      }
      case 'error': {
        const e = state.error;
        const where = [e.source, e.table, e.column !== undefined ? `column ${e.column}` : undefined, e.line !== undefined ? `line ${e.line}` : undefined].filter((s) => s !== undefined).join(', ');
        return html`<div class="state" part="state error" role="alert">
          <p class="what">${e.message}</p>
          ${where !== '' ? html`<p class="where">In ${where}.</p>` : nothing} ${e.hint !== undefined ? html`<p class="detail">${e.hint}</p>` : nothing}
          ${retryable(e) ? html`<div class="actions"><button class="primary" @click=${state.retry}>Retry</button></div>` : nothing}
        </div>`;
      }
      case 'ready':
        return html`${this.shown === 'table' ? this.renderTable() : this.renderReady()}
          <p class="sr-only" part="summary">${this.summary()}</p>`;
    }
  }

  /** A chart area: the SVG the charts draw into and the tooltip. */
  protected chartArea(extraClass = ''): TemplateResult {
    return html`<div class="chart ${extraClass}" part="chart-area">
      <svg class="plot" part="chart"></svg>
      <div class="tooltip" part="tooltip" role="presentation" hidden></div>
    </div>`;
  }

  private renderTable(): TemplateResult {
    const t = this.table();
    if (t === null) return html``;
    const show = (v: string | number, c: number): string => (typeof v === 'number' ? (t.format !== undefined ? t.format(v, c) : this.fmt.number(v)) : v);
    return html`<div class="table-wrap" part="table" tabindex="0" role="region" aria-label=${t.caption}>
      <table>
        <caption>
          ${t.caption}
        </caption>
        <thead>
          <tr>
            ${t.header.map((h) => html`<th scope="col">${h}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${t.rows.map((row) => html`<tr>${row.map((v, c) => (c === 0 ? html`<th scope="row" title=${String(v)}>${show(v, c)}</th>` : html`<td>${show(v, c)}</td>`))}</tr>`)}
        </tbody>
      </table>
    </div>`;
  }

  private renderFooter(): TemplateResult {
    return html`<div class="footer" part="footer">
      <p class="footnote" part="footnote">${this.footnote()}</p>
      <div class="exports" role="group" aria-label="View and export">
        <button aria-pressed=${this.shown === 'table' ? 'true' : 'false'} @click=${this.toggleView}>Table</button>
        <button @click=${this.exportCsv}>CSV</button>
        ${this.shown === 'chart' ? html`<button @click=${this.exportSvg}>SVG</button><button @click=${this.exportPng}>PNG</button>` : nothing}
      </div>
      ${this.exportError !== null ? html`<p class="note" role="alert">${this.exportError}</p>` : nothing}
    </div>`;
  }

  /** The footnote: the widget's definition, then time zone, range and when the data was loaded. */
  protected footnote(): string {
    const first = Object.values(this.results)[0] as { range?: { from: string | null; to: string | null } } | undefined;
    // a payload was computed elsewhere: only what it says about itself is stated, not this element's settings
    const parts = [this.queries.fromSummary ? payloadDefinition(Object.values(this.results)) : this.definition()];
    const range = first?.range;
    if (range !== undefined && range.from !== null && range.to !== null) parts.push(`${range.from} to ${range.to}`);
    const report = this.source.handle?.snapshot.report ?? null;
    if (this.queries.fromSummary) parts.push('pre-aggregated data');
    else if (report !== null) {
      parts.push(`times in ${report.timezone}`);
      parts.push(`loaded ${this.fmt.dateTime(report.loadedAt, localTimeZone())}`);
    }
    return parts.filter((p) => p !== '').join(' · ');
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.state().kind !== 'ready' || this.shown !== 'chart' || this.chartBox === null) return;
    // the chart element itself: an error or loading state in between replaces it, and the new one is empty
    const inputs = [this.chartBox, this.results, this.size.width, this.theme, this.locale, this.currency, this.shown, ...this.drawInputs()];
    if (inputs.length === this.drawnWith.length && inputs.every((v, i) => v === this.drawnWith[i])) return;
    this.drawnWith = inputs;
    if (this.tooltipHost === null || !this.chartBox.contains(this.tipElement)) this.tooltipHost = createTooltip(this.chartBox, this.tipElement!);
    // the marks under the pointer or focus are about to be replaced: their tooltip goes with them
    this.tooltipHost.hide();
    this.drawCharts(this.chartTheme(), this.tooltipHost);
    this.navigation.refresh();
  }

  /** Width available to charts. */
  protected get chartWidth(): number {
    return Math.max(280, this.size.width || this.clientWidth || 640);
  }

  /** The chart colours and font, resolved from the widget's custom properties. */
  protected chartTheme(): ChartTheme {
    const style = getComputedStyle(this);
    const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    return {
      series: Array.from({ length: 10 }, (_, i) => v(`--_s${i + 1}`, '#4269d0')),
      neutral: v('--_neutral', '#b8bfca'),
      text: v('--_text', '#1f2430'),
      muted: v('--_muted', '#5b6472'),
      grid: v('--_grid', '#e6e9ee'),
      background: v('--_bg', '#ffffff'),
      accent: v('--_accent', '#2f5fd0'),
      sequentialLow: v('--_seq-low', '#eef3fc'),
      sequentialHigh: v('--_seq-high', '#1f4fa8'),
      fontFamily: style.fontFamily || 'system-ui, sans-serif',
      fontSize: Math.max(10, Math.min(16, parseFloat(style.fontSize) || 13)),
    };
  }

  private toggleView(): void {
    this.shown = this.shown === 'chart' ? 'table' : 'chart';
    this.drawnWith = [];
  }

  private exportCsv(): void {
    const t = this.table();
    if (t !== null) download(fileName(this.exportName, 'csv'), csvText(t.header, t.rows), 'text/csv');
  }

  private exportSvg(): void {
    if (this.plot === null) return;
    download(fileName(this.exportName, 'svg'), svgMarkup(this.plot, this.chartTheme().background), 'image/svg+xml');
  }

  private async exportPng(): Promise<void> {
    if (this.plot === null) return;
    try {
      this.exportError = null;
      download(fileName(this.exportName, 'png'), await pngBlob(this.plot, this.chartTheme().background));
    } catch (error) {
      this.exportError = error instanceof Error ? error.message : String(error);
    }
  }

  private pickFiles(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private filesPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) void this.source.handle?.load(files).catch(() => undefined);
  }
}
