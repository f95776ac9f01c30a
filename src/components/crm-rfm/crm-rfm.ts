import { css, html, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { drawRfmGrid } from '../../charts/rfm-grid.js';
import type { ChartTheme, TooltipHost } from '../../charts/theme.js';
import type { QueryPlan } from '../../controllers/query.js';
import { csvText } from '../../core/csv.js';
import { CrmError } from '../../core/errors.js';
import { SCORING_LABELS } from '../../core/labels.js';
import type { CustomerSortKey, RfmThresholds, Scoring, SegmentRule } from '../../core/queries.js';
import type { RfmCustomersResult, RfmResult } from '../../core/results.js';
import { selectControl } from '../shared/controls.js';
import { download, fileName } from '../shared/download.js';
import { CrmSelectEvent, fire } from '../shared/events.js';
import { CrmWidget, type TableData } from '../shared/widget.js';

/** What colours the grid. */
export type RfmColorBy = 'customers' | 'revenue' | 'monetary';

const PAGE = 25;

/**
 * The RFM grid: customers scored 1–B on recency and frequency (and monetary), the R × F grid with
 * segment regions and names, coloured by customers, revenue or mean monetary value; a legend of
 * segments with their shares. Clicking a cell or a segment lists its customers (paged, sortable,
 * exportable as CSV) and fires `crm-select` with a way to fetch every matching id.
 *
 * @summary RFM grid with segments and customer lists.
 *
 * @tagname crm-rfm
 * @fires crm-select - The user opened a cell or a segment: `detail.cell`, `detail.segment`, `detail.count`, and `detail.customerIds()` for every matching id.
 * @csspart customers - The customer list of the opened cell or segment.
 */
export class CrmRfm extends CrmWidget {
  /** Lit's reactive properties (options here, types, defaults and docs on the fields below). */
  static override properties: PropertyDeclarations = {
    bins: { type: Number, reflect: true },
    scoring: { reflect: true },
    monetary: { reflect: true },
    colorBy: { reflect: true, attribute: 'color-by' },
    asOf: { reflect: true, attribute: 'as-of' },
    segments: { attribute: false },
    thresholds: { attribute: false },
    selection: { state: true },
    offset: { state: true },
    sort: { state: true },
  };

  static override styles = [
    ...CrmWidget.styles,
    css`
      .layout {
        display: flex;
        flex-wrap: wrap;
        gap: 16px 24px;
        align-items: flex-start;
      }
      .layout > .chart {
        flex: 0 1 auto;
      }
      .segments {
        flex: 1 1 240px;
        min-width: 0;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .segments li + li {
        margin-top: 2px;
      }
      .segments button {
        display: grid;
        grid-template-columns: 1fr auto auto;
        gap: 10px;
        width: 100%;
        text-align: left;
        background: transparent;
        border-color: transparent;
        font-variant-numeric: tabular-nums;
      }
      .segments button[aria-pressed='true'] {
        background: var(--_surface);
        border-color: var(--_accent);
        color: var(--_text);
      }
      .segments .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .segments .share {
        color: var(--_muted);
      }
      @container (max-width: 480px) {
        .segments button {
          grid-template-columns: 1fr 1fr;
          gap: 0 10px;
        }
        .segments .name {
          grid-column: 1 / -1;
          font-weight: 600;
        }
      }
      .customers {
        margin-top: 16px;
        border-top: 1px solid var(--_border);
        padding-top: 12px;
      }
      .customers header {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        margin-bottom: 8px;
      }
      .customers h3 {
        margin: 0;
        font-size: 1em;
      }
      th button {
        font: inherit;
        border: none;
        background: none;
        padding: 0;
        min-height: auto;
        color: inherit;
        cursor: pointer;
      }
      .pager {
        display: flex;
        gap: 8px;
        align-items: center;
        margin-top: 8px;
      }
    `,
  ];

  /** Scores per dimension: 3, 4 or 5. */
  bins = 5;
  /** `percentile` (ties share a score), `ntile` (equal groups) or `thresholds` (needs `.thresholds`). */
  scoring: Scoring = 'percentile';
  /** Monetary as `net` revenue or `aov` (average purchase value). */
  monetary: 'net' | 'aov' = 'net';
  /** Colour cells by `customers`, `revenue` or `monetary` (mean). */
  colorBy: RfmColorBy = 'customers';
  /** As-of day or instant (default: the day after the latest purchase); orders after it are left out. */
  asOf: string | null = null;
  /** A segment map replacing the default one (every cell covered once). */
  segments: SegmentRule[] | null = null;
  /** Cut points for `thresholds` scoring. */
  thresholds: RfmThresholds | null = null;

  private selection: { cell: { r: number; f: number } | null; segment: string | null } | null = null;
  private offset = 0;
  private sort: { by: CustomerSortKey; direction: 'asc' | 'desc' } = { by: 'monetary', direction: 'desc' };

  protected readonly heading = 'RFM segments';
  protected readonly exportName = 'crm-rfm';

  protected params(): Record<string, unknown> {
    return { bins: this.bins, scoring: this.scoring, monetary: this.monetary, colorBy: this.colorBy, asOf: this.asOf, from: this.from, to: this.to };
  }

  private rfmParams() {
    return {
      bins: this.bins,
      scoring: this.scoring,
      monetary: this.monetary,
      ...(this.asOf !== null ? { asOf: this.asOf } : {}),
      ...(this.segments !== null ? { segments: this.segments } : {}),
      ...(this.thresholds !== null ? { thresholds: this.thresholds } : {}),
      ...this.rangeParams(),
    };
  }

  protected plan(): QueryPlan {
    const plan: QueryPlan = { rfm: { kind: 'rfm', params: this.rfmParams() } };
    const s = this.selection;
    if (s !== null) {
      plan['customers'] = {
        kind: 'rfm-customers',
        params: { ...this.rfmParams(), ...(s.cell !== null ? { cell: s.cell } : {}), ...(s.segment !== null ? { segment: s.segment } : {}), sort: this.sort, offset: this.offset, limit: PAGE },
      };
    }
    return plan;
  }

  /** New scores or a new range score customers anew: an open cell or segment list belonged to the old ones. */
  protected override userChanged(): void {
    this.selection = null;
  }

  protected renderControls(): { essential: TemplateResult; more: TemplateResult; view: TemplateResult } {
    return {
      view: selectControl('Colour by', this.colorBy, [['customers', 'Customers'], ['revenue', 'Revenue'], ['monetary', 'Mean monetary']], (v) => {
        this.colorBy = v as RfmColorBy;
        this.paramsChanged('colorBy');
      }, 'color-by'),
      essential: html``,
      more: html`${selectControl('Scores', String(this.bins), [['5', '1–5'], ['4', '1–4'], ['3', '1–3']], (v) => this.setParam('bins', Number(v)), 'bins')}
          ${selectControl('Scoring', this.scoring, (['percentile', 'ntile', ...(this.thresholds !== null ? ['thresholds'] : [])] as Scoring[]).map((s): [string, string] => [s, SCORING_LABELS[s]]), (v) => this.setParam('scoring', v as Scoring), 'scoring')}
          ${selectControl('Monetary', this.monetary, [['net', 'Net revenue'], ['aov', 'Average order value']], (v) => this.setParam('monetary', v as 'net' | 'aov'), 'monetary')}
          ${this.rangeControls()}`,
    };
  }

  private get rfm(): RfmResult | undefined {
    return this.results['rfm'] as RfmResult | undefined;
  }

  private get page(): RfmCustomersResult | undefined {
    return this.results['customers'] as RfmCustomersResult | undefined;
  }

  protected emptyMessage(): string | null {
    const r = this.rfm;
    if (r !== undefined && r.customers === 0) return 'No customers with a purchase in this range.';
    return null;
  }

  /** The grid value of a cell under the colour measure. */
  private cellValue(r: RfmResult, cell: number): number {
    return this.colorBy === 'revenue' ? r.cellRevenue[cell]! : this.colorBy === 'monetary' ? r.cellMeanMonetary[cell]! : r.cellCustomers[cell]!;
  }

  protected renderReady(): TemplateResult {
    const r = this.rfm!;
    const f = this.fmt;
    return html`<div class="layout">
        ${this.chartArea()}
        <ul class="segments" part="legend" aria-label="Segments">
          ${r.segments.map(
            (name, s) => html`<li>
              <button aria-pressed=${this.selection?.segment === name && this.selection.cell === null ? 'true' : 'false'} @click=${() => this.select(null, name)}>
                <span class="name" title=${name}>${name}</span>
                <span>${f.percent(r.segmentCustomerShare[s]!, 0)} <span class="share">of customers</span></span>
                <span>${f.percent(r.segmentRevenueShare[s]!, 0)} <span class="share">of revenue</span></span>
              </button>
            </li>`,
          )}
        </ul>
      </div>
      ${this.renderCustomers()}`;
  }

  private renderCustomers(): TemplateResult | typeof nothing {
    const s = this.selection;
    if (s === null) return nothing;
    const page = this.page;
    const f = this.fmt;
    const title = s.cell !== null ? `Customers in R${s.cell.r} F${s.cell.f}` : `Customers in ${s.segment}`;
    const header = (label: string, by: CustomerSortKey) => {
      const active = this.sort.by === by;
      const sortState = active ? (this.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
      return html`<th scope="col" aria-sort=${sortState}><button @click=${() => this.sortBy(by)}>${label}${active ? (this.sort.direction === 'asc' ? ' ↑' : ' ↓') : ''}</button></th>`;
    };
    return html`<section class="customers" part="customers" aria-label=${title}>
      <header>
        <h3>${title}${page !== undefined ? ` (${f.count(page.total)})` : ''}</h3>
        <div class="actions">
          <button @click=${this.exportCustomers}>Export CSV</button>
          <button @click=${() => (this.selection = null)}>Close</button>
        </div>
      </header>
      ${page === undefined
        ? html`<p role="status">Loading…</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${`${title}, table`}>
              <table>
                <thead>
                  <tr>
                    ${header('Customer', 'customer')} ${header('Recency (days)', 'recency')} ${header('Frequency', 'frequency')} ${header('Monetary', 'monetary')}
                    ${header('R', 'r')} ${header('F', 'f')} ${header('M', 'm')}
                    <th scope="col">Segment</th>
                  </tr>
                </thead>
                <tbody>
                  ${page.ids.map(
                    (id, i) => html`<tr>
                      <th scope="row" title=${id}>${id}</th>
                      <td>${f.count(page.recency[i]!)}</td>
                      <td>${f.count(page.frequency[i]!)}</td>
                      <td>${f.money(page.monetary[i]!)}</td>
                      <td>${page.r[i]}</td>
                      <td>${page.f[i]}</td>
                      <td>${page.m[i]}</td>
                      <td>${page.segment[i]}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <div class="pager">
              <button ?disabled=${this.offset === 0} @click=${() => (this.offset = Math.max(0, this.offset - PAGE))}>Previous</button>
              <span>${f.count(Math.min(page.total, this.offset + 1))}–${f.count(Math.min(page.total, this.offset + PAGE))} of ${f.count(page.total)}</span>
              <button ?disabled=${this.offset + PAGE >= page.total} @click=${() => (this.offset += PAGE)}>Next</button>
            </div>`}
    </section>`;
  }

  private sortBy(by: CustomerSortKey): void {
    const direction = this.sort.by === by ? (this.sort.direction === 'asc' ? 'desc' : 'asc') : by === 'recency' || by === 'customer' ? 'asc' : 'desc';
    this.sort = { by, direction };
    this.offset = 0;
  }

  /** Selects a cell or a segment (a user action: fires `crm-select`). */
  private select(cell: { r: number; f: number } | null, segment: string | null): void {
    const r = this.rfm;
    if (r === undefined) return;
    this.selection = { cell, segment };
    this.offset = 0;
    const count = cell !== null ? r.cellCustomers[(cell.r - 1) * r.bins + (cell.f - 1)]! : r.segmentCustomers[r.segments.indexOf(segment!)]!;
    const params = { ...this.rfmParams(), ...(cell !== null ? { cell } : {}), ...(segment !== null ? { segment } : {}) };
    fire(
      this,
      new CrmSelectEvent({
        cell,
        segment,
        count,
        customerIds: async () => {
          const engine = this.source.handle?.engine;
          if (engine === null || engine === undefined || this.queries.fromSummary) {
            throw new CrmError('bad-option', 'Customer ids need the data: this widget shows a pre-aggregated summary.', { hint: 'Point the widget at a <crm-data> to list customers.' });
          }
          const all = await engine.query({ kind: 'rfm-customers', params: { ...params, limit: Number.POSITIVE_INFINITY, sort: { by: 'customer' } } });
          return all.ids;
        },
      }),
    );
  }

  private async exportCustomers(): Promise<void> {
    const s = this.selection;
    const engine = this.source.handle?.engine;
    if (s === null || engine === null || engine === undefined) {
      // a pre-aggregated summary has no customer rows: export the page shown
      const page = this.page;
      if (page !== undefined) {
        download(
          fileName(this.exportName + '-customers', 'csv'),
          csvText(['customer_id', 'recency_days', 'frequency', 'monetary', 'r', 'f', 'm', 'segment'], page.ids.map((id, i) => [id, page.recency[i]!, page.frequency[i]!, page.monetary[i]!, page.r[i]!, page.f[i]!, page.m[i]!, page.segment[i]!])),
          'text/csv',
        );
      }
      return;
    }
    const all = await engine.query({
      kind: 'rfm-customers',
      params: { ...this.rfmParams(), ...(s.cell !== null ? { cell: s.cell } : {}), ...(s.segment !== null ? { segment: s.segment } : {}), sort: this.sort, limit: 0, csv: true },
    });
    if (all.csv !== null) download(fileName(this.exportName + '-customers', 'csv'), all.csv, 'text/csv');
  }

  protected override drawInputs(): unknown[] {
    return [this.colorBy, this.selection];
  }

  protected drawCharts(theme: ChartTheme, tooltip: TooltipHost): void {
    const svg = this.plot;
    const r = this.rfm;
    if (svg === null || r === undefined) return;
    const f = this.fmt;
    const B = r.bins;
    let hi = 0;
    for (let c = 0; c < B * B; c++) if (Number.isFinite(this.cellValue(r, c))) hi = Math.max(hi, this.cellValue(r, c));
    const cellOf = (rr: number, ff: number): number => (rr - 1) * B + (ff - 1);
    const text = (rr: number, ff: number): string => {
      const cell = cellOf(rr, ff);
      return this.colorBy === 'revenue' ? f.moneyShort(r.cellRevenue[cell]!) : this.colorBy === 'monetary' ? f.moneyShort(r.cellMeanMonetary[cell]!) : f.count(r.cellCustomers[cell]!);
    };
    drawRfmGrid(svg, {
      width: Math.min(this.chartWidth, 520),
      bins: B,
      value: (rr, ff) => this.cellValue(r, cellOf(rr, ff)),
      text,
      detail: (rr, ff) => f.percent(this.colorBy === 'revenue' ? r.cellRevenueShare[cellOf(rr, ff)]! : r.cellCustomerShare[cellOf(rr, ff)]!, 0),
      segment: (rr, ff) => r.cellSegment[cellOf(rr, ff)]!,
      segments: r.segments,
      domain: [0, hi || 1],
      tip: (rr, ff) => {
        const cell = cellOf(rr, ff);
        const s = r.cellSegment[cell]!;
        return {
          title: `R${rr} F${ff}${s >= 0 ? ` · ${r.segments[s]}` : ''}`,
          rows: [
            { label: 'Customers', value: `${f.count(r.cellCustomers[cell]!)} (${f.percent(r.cellCustomerShare[cell]!)})` },
            { label: 'Revenue', value: `${f.money(r.cellRevenue[cell]!)} (${f.percent(r.cellRevenueShare[cell]!)})` },
            { label: r.monetary === 'aov' ? 'Mean order value' : 'Mean monetary', value: f.money(r.cellMeanMonetary[cell]!) },
          ],
          note: 'Click to list these customers',
        };
      },
      onSelect: (rr, ff) => this.select({ r: rr, f: ff }, null),
      selected: this.selection?.cell ?? null,
      label: `RFM grid: recency score (rows) by frequency score (columns), coloured by ${this.colorBy}`,
      theme,
      tooltip,
    });
  }

  protected table(): TableData | null {
    const r = this.rfm;
    if (r === undefined) return null;
    const f = this.fmt;
    const rows: (string | number)[][] = [];
    for (let rr = r.bins; rr >= 1; rr--) {
      for (let ff = 1; ff <= r.bins; ff++) {
        const cell = (rr - 1) * r.bins + (ff - 1);
        const s = r.cellSegment[cell]!;
        rows.push([`R${rr} F${ff}`, s >= 0 ? r.segments[s]! : 'several', r.cellCustomers[cell]!, r.cellCustomerShare[cell]!, r.cellRevenue[cell]!, r.cellRevenueShare[cell]!, r.cellMeanMonetary[cell]!]);
      }
    }
    return {
      caption: 'RFM grid cells',
      header: ['Cell', 'Segment', 'Customers', 'Share of customers', 'Revenue', 'Share of revenue', 'Mean monetary'],
      rows,
      format: (v, c) => (c === 2 ? f.count(v) : c === 3 || c === 5 ? f.percent(v) : f.money(v)),
    };
  }

  protected definition(): string {
    const r = this.rfm;
    const scoring = r?.scoring ?? this.scoring;
    const asOf = r?.asOfLabel ?? '';
    return `Scores 1–${r?.bins ?? this.bins} by ${SCORING_LABELS[scoring].toLowerCase()} · monetary = ${(r?.monetary ?? this.monetary) === 'aov' ? 'average order value' : 'net revenue'}${asOf !== '' ? ` · recency as of ${asOf}` : ''}`;
  }

  protected summary(): string {
    const r = this.rfm;
    if (r === undefined) return '';
    const f = this.fmt;
    const largest = r.segments.map((_, s) => s).sort((a, b) => r.segmentCustomers[b]! - r.segmentCustomers[a]!)[0];
    return `${f.count(r.customers)} customers in ${r.segments.length} segments.${largest !== undefined ? ` The largest is ${r.segments[largest]} with ${f.percent(r.segmentCustomerShare[largest]!)} of customers and ${f.percent(r.segmentRevenueShare[largest]!)} of revenue.` : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crm-rfm': CrmRfm;
  }
}
