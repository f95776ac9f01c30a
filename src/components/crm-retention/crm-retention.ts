import { html, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { drawHeatmap, heatmapHeight } from '../../charts/heatmap.js';
import { drawLines, type LineSeries } from '../../charts/lines.js';
import { seriesColor, type ChartTheme, type Tip, type TooltipHost } from '../../charts/theme.js';
import type { QueryPlan } from '../../controllers/query.js';
import { MEASURE_LABELS, PERIOD_LABELS } from '../../core/labels.js';
import type { Period } from '../../core/periods.js';
import { RETENTION_MEASURES, type RetentionMeasure } from '../../core/queries.js';
import { CELL_COMPLETE, CELL_FUTURE, CELL_INCOMPLETE, type RetentionResult } from '../../core/results.js';
import { selectControl, tabs } from '../shared/controls.js';
import { CrmWidget, type TableData } from '../shared/widget.js';

const OFFSET_PREFIX: Record<Period, string> = { day: 'D', week: 'W', month: 'M', quarter: 'Q' };

/**
 * Cohort retention: customers grouped by the period of their first purchase, and what they did in
 * each period after it — as a heatmap triangle with cohort sizes and mean rows, or as curves per cohort
 * with the mean curve on top. Five measures, counts or percentages, classic or rolling retention, and
 * incomplete periods drawn apart (they are left out of the means).
 *
 * @summary Cohort retention heatmap and curves.
 *
 * @tagname crm-retention
 * @csspart tabs - The matrix / curves switch.
 */
export class CrmRetention extends CrmWidget {
  /** Lit's reactive properties (options here, types, defaults and docs on the fields below). */
  static override properties: PropertyDeclarations = {
    period: { reflect: true },
    measure: { reflect: true },
    offsets: { type: Number, reflect: true },
    mode: { reflect: true },
    view: { reflect: true },
    breakdown: { reflect: true },
    group: { state: true },
  };

  /** Cohort period: `day`, `week`, `month` (default) or `quarter`. */
  period: Period = 'month';
  /** `customers`, `rolling`, `revenue`, `cumulative_revenue` or `revenue_retention`. */
  measure: RetentionMeasure = 'customers';
  /** Periods after the first purchase shown. */
  offsets = 12;
  /** Cells as `percent` (of the cohort, default) or `count` (customers or revenue). */
  mode: 'percent' | 'count' = 'percent';
  /** `matrix` (heatmap) or `curves`. */
  view: 'matrix' | 'curves' = 'matrix';
  /** A customers attribute to split the cohorts by (country, plan, ...). */
  breakdown: string | null = null;

  /** With a breakdown, the group shown in the matrix. */
  private group = 0;

  protected readonly heading = 'Cohort retention';
  protected readonly exportName = 'crm-retention';

  protected params(): Record<string, unknown> {
    return { period: this.period, measure: this.measure, offsets: this.offsets, mode: this.mode, view: this.view, breakdown: this.breakdown, from: this.from, to: this.to };
  }

  protected plan(): QueryPlan {
    const offsets = Number.isInteger(this.offsets) && this.offsets >= 1 ? Math.min(this.offsets, 400) : 12;
    return { retention: { kind: 'retention', params: { period: this.period, measure: this.measure, offsets, ...(this.breakdown !== null && this.breakdown !== '' ? { breakdown: this.breakdown } : {}), ...this.rangeParams() } } };
  }

  protected renderControls(): { essential: TemplateResult; more: TemplateResult; view: TemplateResult } {
    const attributes = this.source.handle?.snapshot.report?.tables.customers?.customers?.attributes ?? [];
    return {
      view: selectControl('Show', this.mode, [['percent', this.isMoney() ? 'Per customer' : 'Percent'], ['count', this.isMoney() ? 'Total' : 'Count']], (v) => this.setParam('mode', v as 'percent' | 'count'), 'mode'),
      essential: html`${selectControl('Measure', this.measure, RETENTION_MEASURES.map((m): [string, string] => [m, MEASURE_LABELS[m]]), (v) => this.setParam('measure', v as RetentionMeasure), 'measure')}
      ${selectControl('Cohorts by', this.period, (['day', 'week', 'month', 'quarter'] as Period[]).map((p): [string, string] => [p, PERIOD_LABELS[p]]), (v) => this.setParam('period', v as Period), 'period')}`,
      more: html`${selectControl('Periods', String(this.offsets), ['6', '8', '12', '18', '24'].concat(['6', '8', '12', '18', '24'].includes(String(this.offsets)) ? [] : [String(this.offsets)]).map((o): [string, string] => [o, o]), (v) => this.setParam('offsets', Number(v)), 'offsets')}
          ${attributes.length > 0
            ? selectControl('Split by', this.breakdown ?? '', [['', 'Nothing'], ...attributes.map((a): [string, string] => [a, a])], (v) => {
                this.group = 0;
                this.setParam('breakdown', v === '' ? null : v);
              }, 'breakdown')
            : nothing}
          ${this.rangeControls()}`,
    };
  }

  private get retention(): RetentionResult | undefined {
    return this.results['retention'] as RetentionResult | undefined;
  }

  private isMoney(measure = this.retention?.measure ?? this.measure): boolean {
    return measure === 'revenue' || measure === 'cumulative_revenue';
  }

  protected emptyMessage(): string | null {
    const r = this.retention;
    if (r === undefined) return null;
    if (r.cohortSize.length === 0 || !r.cohortSize.some((n) => n > 0)) return 'No first purchases in this range, so no cohorts.';
    return null;
  }

  /** Rows of the group shown. */
  private rowsOf(group: number): number[] {
    const r = this.retention!;
    const rows: number[] = [];
    for (let row = 0; row < r.cohortGroup.length; row++) if (r.cohortGroup[row] === group) rows.push(row);
    return rows;
  }

  /** A cell as text, per measure and mode. */
  private cellText(value: number, count: number): string {
    const f = this.fmt;
    const measure = this.retention!.measure;
    if (measure === 'revenue_retention') return f.percent(value, 0);
    if (this.isMoney(measure)) return this.mode === 'count' ? f.moneyShort(count) : f.moneyShort(value);
    return this.mode === 'count' ? f.count(count) : f.percent(value, 0);
  }

  protected renderReady(): TemplateResult {
    const r = this.retention!;
    const groupSelect =
      r.groups.length > 1 && this.view === 'matrix'
        ? selectControl(
            r.breakdown ?? 'Group',
            String(this.group),
            r.groups.map((g, i): [string, string] => [String(i), g]),
            (v) => (this.group = Number(v)),
            'group',
          )
        : nothing;
    return html`<div class="controls">
        ${this.queries.fromSummary
          ? nothing
          : tabs('View', this.view, [
              ['matrix', 'Matrix'],
              ['curves', 'Curves'],
            ], (v) => this.setParam('view', v as 'matrix' | 'curves'))}
        ${groupSelect}
      </div>
      ${this.chartArea()}
      <p class="note">
        ${this.view === 'matrix'
          ? 'Faded cells with a dashed border: the period is not over yet (left out of the means).'
          : 'Thin lines: cohorts; thick: the mean weighted by cohort size, over complete periods.'}
      </p>`;
  }

  protected override drawInputs(): unknown[] {
    return [this.view, this.mode, this.group];
  }

  protected drawCharts(theme: ChartTheme, tooltip: TooltipHost): void {
    const svg = this.plot;
    const r = this.retention;
    if (svg === null || r === undefined) return;
    const f = this.fmt;
    const K = r.offsets;
    const prefix = OFFSET_PREFIX[r.period];
    const columns = Array.from({ length: K }, (_, k) => `${prefix}${k}`);
    const width = this.chartWidth;
    const group = Math.min(this.group, r.groups.length - 1);
    if (this.view === 'curves') {
      const series: LineSeries[] = [];
      if (r.groups.length > 1) {
        r.groups.forEach((g, gi) => series.push({ label: g, color: seriesColor(theme, gi), values: r.weightedMean.subarray(gi * K, gi * K + K), emphasis: gi === 0 && r.groups.length === 1 }));
      } else {
        for (const row of this.rowsOf(0)) {
          if (r.cohortSize[row] === 0) continue;
          const values = Float64Array.from({ length: K }, (_, k) => (r.status[row * K + k] === CELL_COMPLETE ? r.values[row * K + k]! : Number.NaN));
          series.push({ label: r.cohortLabels[row]!, color: theme.series[0]!, values, faint: true });
        }
        series.push({ label: 'Weighted mean', color: theme.text, values: r.weightedMean.subarray(0, K), emphasis: true });
      }
      const money = this.isMoney(r.measure);
      drawLines(svg, {
        width,
        height: width < 420 ? 220 : 280,
        points: columns,
        series,
        format: money ? f.money : (v) => f.percent(v),
        formatAxis: money ? f.moneyShort : (v) => f.percent(v, 0),
        label: `${MEASURE_LABELS[r.measure]} by periods since the first purchase, per cohort and on average`,
        theme,
        tooltip,
      });
      return;
    }
    const rows = this.rowsOf(group);
    let hi = 0;
    for (const row of rows) for (let k = 0; k < K; k++) if (r.status[row * K + k] !== CELL_FUTURE && Number.isFinite(r.values[row * K + k]!) && !(r.measure !== 'revenue_retention' && !this.isMoney(r.measure) && k === 0)) hi = Math.max(hi, r.values[row * K + k]!);
    if (hi === 0) hi = 1;
    const tipFor = (row: number, k: number): Tip => {
      const cell = row * K + k;
      const status = r.status[cell] === CELL_INCOMPLETE ? 'Period not over yet' : undefined;
      const rowsOut = [
        { label: MEASURE_LABELS[r.measure], value: this.isMoney(r.measure) ? f.money(r.values[cell]!) : f.percent(r.values[cell]!) },
        { label: this.isMoney(r.measure) || r.measure === 'revenue_retention' ? 'Revenue' : 'Customers', value: this.isMoney(r.measure) || r.measure === 'revenue_retention' ? f.money(r.counts[cell]!) : f.count(r.counts[cell]!) },
        { label: 'Cohort size', value: f.count(r.cohortSize[row]!) },
      ];
      return status !== undefined ? { title: `${f.period(r.cohortStart[row]!, r.period)} cohort, ${columns[k]}`, rows: rowsOut, note: status } : { title: `${f.period(r.cohortStart[row]!, r.period)} cohort, ${columns[k]}`, rows: rowsOut };
    };
    const meanText = (values: Float64Array) => (k: number) => (this.isMoney(r.measure) ? f.moneyShort(values[group * K + k]!) : f.percent(values[group * K + k]!, 0));
    svg.setAttribute('height', String(heatmapHeight(rows.length, 2)));
    drawHeatmap(svg, {
      width,
      rows: rows.map((row) => ({ label: f.period(r.cohortStart[row]!, r.period), size: f.count(r.cohortSize[row]!) })),
      columns,
      sizeHeader: 'Customers',
      value: (i, k) => r.values[rows[i]! * K + k]!,
      text: (i, k) => this.cellText(r.values[rows[i]! * K + k]!, r.counts[rows[i]! * K + k]!),
      status: (i, k) => r.status[rows[i]! * K + k]!,
      tip: (i, k) => tipFor(rows[i]!, k),
      summaries: [
        { label: 'Weighted mean', value: (k) => r.weightedMean[group * K + k]!, text: meanText(r.weightedMean), tip: (k) => ({ title: `Weighted mean, ${columns[k]}`, rows: [{ label: 'Complete cohorts', value: f.count(r.meanCells[group * K + k]!) }, { label: 'Mean', value: meanText(r.weightedMean)(k) }] }) },
        { label: 'Simple mean', value: (k) => r.simpleMean[group * K + k]!, text: meanText(r.simpleMean), tip: (k) => ({ title: `Simple mean, ${columns[k]}`, rows: [{ label: 'Complete cohorts', value: f.count(r.meanCells[group * K + k]!) }, { label: 'Mean', value: meanText(r.simpleMean)(k) }] }) },
      ],
      domain: [0, hi],
      label: `${MEASURE_LABELS[r.measure]} per cohort (rows) and periods since the first purchase (columns)`,
      theme,
      tooltip,
    });
  }

  protected table(): TableData | null {
    const r = this.retention;
    if (r === undefined) return null;
    const K = r.offsets;
    const prefix = OFFSET_PREFIX[r.period];
    const f = this.fmt;
    const money = this.isMoney(r.measure);
    const rows: (string | number)[][] = [];
    for (let row = 0; row < r.cohortGroup.length; row++) {
      const label = r.groups.length > 1 ? `${r.groups[r.cohortGroup[row]!]} · ${r.cohortLabels[row]}` : r.cohortLabels[row]!;
      rows.push([label, r.cohortSize[row]!, ...Array.from({ length: K }, (_, k) => (r.status[row * K + k] === CELL_FUTURE ? Number.NaN : this.mode === 'count' ? r.counts[row * K + k]! : r.values[row * K + k]!))]);
    }
    r.groups.forEach((g, gi) => {
      rows.push([r.groups.length > 1 ? `${g} · weighted mean` : 'Weighted mean', Number.NaN, ...Array.from(r.weightedMean.subarray(gi * K, gi * K + K))]);
      rows.push([r.groups.length > 1 ? `${g} · simple mean` : 'Simple mean', Number.NaN, ...Array.from(r.simpleMean.subarray(gi * K, gi * K + K))]);
    });
    return {
      caption: `${MEASURE_LABELS[r.measure]} per ${r.period} cohort`,
      header: ['Cohort', 'Customers', ...Array.from({ length: K }, (_, k) => `${prefix}${k}`)],
      rows,
      format: (v, c) => (c === 1 ? f.count(v) : this.mode === 'count' && !money && r.measure !== 'revenue_retention' ? f.count(v) : money ? f.money(v) : f.percent(v)),
    };
  }

  protected definition(): string {
    const r = this.retention;
    const measure = r?.measure ?? this.measure;
    const period = (r?.period ?? this.period).toLowerCase();
    return `Cohorts by ${period} of first purchase · ${MEASURE_LABELS[measure].toLowerCase()} · purchases with net revenue above 0 count as activity`;
  }

  protected summary(): string {
    const r = this.retention;
    if (r === undefined) return '';
    const f = this.fmt;
    const K = r.offsets;
    const cohorts = r.cohortSize.filter((n) => n > 0).length;
    const at = Math.min(K - 1, 3);
    return `${cohorts} cohorts by ${r.period}. Weighted mean ${MEASURE_LABELS[r.measure].toLowerCase()} ${at} periods after the first purchase: ${this.isMoney(r.measure) ? f.money(r.weightedMean[at]!) : f.percent(r.weightedMean[at]!)}.`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crm-retention': CrmRetention;
  }
}
