import { html, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { drawGroupedBars } from '../../charts/grouped-bars.js';
import { drawStackedBars, type StackSeries } from '../../charts/stacked-bars.js';
import { seriesColor, type ChartTheme, type TooltipHost } from '../../charts/theme.js';
import type { QueryPlan } from '../../controllers/query.js';
import { attributionWords, DIMENSION_LABELS, MODEL_LABELS, PERIOD_LABELS } from '../../core/labels.js';
import type { Period } from '../../core/periods.js';
import { CREDIT_MODELS, type Basis, type CreditModel, type Dimension } from '../../core/queries.js';
import type { AttributionResult, IncrementalityResult, KpiResult } from '../../core/results.js';
import { legend, modelControl, selectControl, tabs, windowControl } from '../shared/controls.js';
import { knownSum, marginNote, noMarginNote } from '../shared/margin.js';
import { partialNote } from '../shared/partial.js';
import { CrmWidget, type TableData } from '../shared/widget.js';
import { revenueStyles } from './crm-revenue.styles.js';

/** Panels of the widget. */
export type RevenuePanel = 'time' | 'models' | 'incremental';

/** Campaign breakdowns keep the largest few series; the rest are summed as "Other CRM". */
const MAX_SERIES = 8;

/**
 * CRM revenue: a KPI strip with the change against the previous period of the same length, revenue
 * over time split into CRM channels (or campaigns, or lifecycle stages) and non-CRM revenue, each
 * model's credit per channel side by side, and — where holdouts exist — attributed beside incremental
 * revenue per channel with its 95% interval.
 *
 * @summary KPIs and revenue attributed to CRM, by channel, over time.
 *
 * @tagname crm-revenue
 * @csspart kpis - The KPI strip.
 * @csspart tabs - The panel switch (over time, compare models, attributed vs incremental).
 */
export class CrmRevenue extends CrmWidget {
  /** Lit's reactive properties (options here, types, defaults and docs on the fields below). */
  static override properties: PropertyDeclarations = {
    model: { reflect: true },
    window: { reflect: true },
    basis: { reflect: true },
    money: { reflect: true },
    period: { reflect: true },
    dimension: { reflect: true },
    panel: { reflect: true },
  };

  static override styles = [...CrmWidget.styles, revenueStyles];

  /** Credit model. */
  model: CreditModel = 'last_touch';
  /** Attribution window: one duration (`5d`) for every channel. */
  window = '5d';
  /** Which time of a touch counts: `send`, `open` or `click`. */
  basis: Basis = 'send';
  /** `revenue` or `margin`. */
  money: 'revenue' | 'margin' = 'revenue';
  /** Bars per `day`, `week`, `month` or `quarter`. */
  period: Period = 'month';
  /** Split CRM revenue by `channel`, `campaign` or `stage`. */
  dimension: Dimension = 'channel';
  /** `time`, `models` or `incremental`. */
  panel: RevenuePanel = 'time';

  protected readonly heading = 'CRM revenue';
  protected readonly exportName = 'crm-revenue';

  protected params(): Record<string, unknown> {
    return { model: this.model, window: this.window, basis: this.basis, money: this.money, period: this.period, dimension: this.dimension, from: this.from, to: this.to, panel: this.panel };
  }

  protected plan(): QueryPlan {
    const common = { model: this.model, window: this.window, basis: this.basis, ...this.rangeParams() };
    const plan: QueryPlan = {
      kpis: { kind: 'kpis', params: common },
      attribution: { kind: 'attribution', params: { ...common, period: this.period, dimension: this.dimension } },
      lift: { kind: 'incrementality', params: this.rangeParams() },
    };
    if (this.panel === 'models') {
      for (const model of CREDIT_MODELS) plan[`model:${model}`] = { kind: 'attribution', params: { ...common, model, period: 'quarter', dimension: 'channel' } };
    }
    if (this.panel === 'incremental' && this.dimension !== 'channel') {
      plan['byChannel'] = { kind: 'attribution', params: { ...common, period: 'quarter', dimension: 'channel' } };
    }
    return plan;
  }

  protected renderControls(): { essential: TemplateResult; more: TemplateResult } {
    const periods = (['day', 'week', 'month', 'quarter'] as Period[]).map((p): [string, string] => [p, PERIOD_LABELS[p]]);
    return {
      essential: html`${modelControl(this.model, (v) => this.setParam('model', v))}
      ${windowControl(this.window, (v) => this.setParam('window', v))}
      ${selectControl('Period', this.period, periods, (v) => this.setParam('period', v as Period), 'period')}`,
      more: html`${selectControl(
            'Counted at',
            this.basis,
            (['send', 'open', 'click'] as Basis[]).map((b): [string, string] => [b, b === 'send' ? 'Send' : b === 'open' ? 'Open' : 'Click']),
            (v) => this.setParam('basis', v as Basis),
            'basis',
          )}
          ${selectControl('Money', this.money, [['revenue', 'Revenue'], ['margin', 'Margin']], (v) => this.setParam('money', v as 'revenue' | 'margin'), 'money')}
          ${selectControl('Split by', this.dimension, (['channel', 'campaign', 'stage'] as Dimension[]).map((d): [string, string] => [d, DIMENSION_LABELS[d]]), (v) => this.setParam('dimension', v as Dimension), 'dimension')}
          ${this.rangeControls()}`,
    };
  }

  private get kpis(): KpiResult | undefined {
    return this.results['kpis'] as KpiResult | undefined;
  }

  private get attribution(): AttributionResult | undefined {
    return this.results['attribution'] as AttributionResult | undefined;
  }

  private get lift(): IncrementalityResult | undefined {
    return this.results['lift'] as IncrementalityResult | undefined;
  }

  /** Whether the data has holdouts (so incremental numbers exist or could). */
  private get hasHoldouts(): boolean {
    const lift = this.lift;
    return lift !== undefined && lift.holdout.some((n) => n > 0);
  }

  protected emptyMessage(): string | null {
    const k = this.kpis?.current;
    const a = this.attribution;
    if (k !== undefined && k.purchases === 0 && k.netRevenue === 0) return 'No orders in this range.';
    if (k === undefined && a !== undefined && a.periods.labels.length === 0) return 'No orders in this range.';
    return null;
  }

  protected renderReady(): TemplateResult {
    const panels: [string, string][] = [
      ['time', 'Over time'],
      ['models', 'Compare models'],
    ];
    if (this.hasHoldouts) panels.push(['incremental', 'Attributed vs incremental']);
    const panel = this.panel === 'incremental' && !this.hasHoldouts ? 'time' : this.panel;
    const a = this.attribution;
    const margin = this.money === 'margin' && panel !== 'incremental';
    // margins: no chart when no purchase of the range has one, the note in its place
    const none = margin && a !== undefined && a.purchaseCount.some((n) => n > 0) && !a.purchaseMargin.some((m, p) => m === m && a.purchaseCount[p]! > 0);
    return html`${this.renderKpis()}
      ${this.queries.fromSummary ? nothing : tabs('Chart', panel, panels, (v) => this.setParam('panel', v as RevenuePanel))}
      ${none ? nothing : html`${this.chartArea()}${this.renderLegend(panel)}`}
      ${panel === 'time' && a !== undefined && !none ? this.partialBars(a) : nothing}
      ${none ? noMarginNote('purchase') : margin ? marginNote(this.source.handle?.snapshot.report, this.fmt) : nothing}
      ${panel === 'incremental' ? html`<p class="note">Attributed: revenue credited to each channel. Incremental: revenue its holdout test confirms the channel caused (lift per customer × customers sent), with the 95% interval.</p>` : nothing}`;
  }

  /** The note on faded bars, when a partial period has a bar (the series built at most once for it). */
  private partialBars(a: AttributionResult): TemplateResult | typeof nothing {
    let series: StackSeries[] | undefined;
    return partialNote(a.periods, 'Faded bars', (p) => (series ??= this.stackSeries(null)).some((s) => Number.isFinite(s.values[p]!) && s.values[p] !== 0));
  }

  private renderKpis(): TemplateResult | typeof nothing {
    const k = this.kpis;
    if (k === undefined) return nothing;
    const f = this.fmt;
    const c = k.current;
    const p = k.previous;
    // without orders in the previous period there is nothing to compare with: no change lines
    const comparable = p.purchases > 0 || p.netRevenue !== 0;
    // an unknown value on either side (a margin no purchase has, a rate of nothing) has no change line
    const change = (now: number, before: number): number | null =>
      !comparable || now !== now || before !== before ? null : before !== 0 ? (now - before) / Math.abs(before) : Number.NaN;
    const crmNow = this.money === 'margin' ? c.crmMargin : c.crmRevenue;
    const crmBefore = this.money === 'margin' ? p.crmMargin : p.crmRevenue;
    const tiles: { name: string; value: string; change: number | null; note?: string }[] = [
      { name: 'Total revenue', value: f.moneyRound(c.netRevenue), change: change(c.netRevenue, p.netRevenue) },
      { name: this.money === 'margin' ? 'CRM margin' : 'CRM revenue', value: f.moneyRound(crmNow), change: change(crmNow, crmBefore), note: `${this.money === 'margin' ? 'CRM: ' : ''}${f.percent(c.crmShare)} of revenue` },
    ];
    const lift = this.lift;
    if (lift !== undefined && this.hasHoldouts) {
      const all = lift.scope.indexOf('all');
      const ok = all >= 0 && lift.sufficient[all] === 1;
      tiles.push({ name: 'Incremental revenue', value: ok ? f.moneyRound(lift.incrementalRevenue[all]!) : 'Not enough holdout data', change: null, note: ok ? `${lift.liftWindowDays}-day lift window` : `needs ${lift.minHoldout} holdout customers` });
    }
    tiles.push(
      { name: 'Average order value', value: f.money(c.aov), change: change(c.aov, p.aov) },
      { name: 'Repeat rate', value: f.percent(c.repeatRate), change: change(c.repeatRate, p.repeatRate) },
      { name: 'Revenue per recipient', value: f.money(c.revenuePerRecipient), change: change(c.revenuePerRecipient, p.revenuePerRecipient) },
      { name: 'CRM conversion', value: f.percent(c.conversionRate), change: change(c.conversionRate, p.conversionRate) },
    );
    return html`<ul class="kpis" part="kpis" aria-label=${comparable ? 'Key figures, with the change against the previous period' : 'Key figures'}>
      ${tiles.map(
        (t) => html`<li class="kpi">
          <span class="name">${t.name}</span>
          <span class="value" title=${t.value}>${t.value}</span>
          ${t.change !== null
            ? html`<span class="change ${t.change > 0 ? 'up' : t.change < 0 ? 'down' : ''}">${Number.isFinite(t.change) ? `${f.change(t.change)} vs previous period` : 'no previous period'}</span>`
            : nothing}
          ${t.note !== undefined ? html`<span class="change">${t.note}</span>` : nothing}
        </li>`,
      )}
    </ul>
    ${comparable && (k.partial === 1 || k.previousPartial === 1) ? html`<p class="note">The orders cover this range or the one before only in part: the changes compare unequal spans.</p>` : nothing}`;
  }

  /** A channel's revenue or margin over the range under a model, or NaN before that model's result. */
  private modelTotal(model: CreditModel, k: number): number {
    const r = this.results[`model:${model}`] as AttributionResult | undefined;
    return r === undefined ? Number.NaN : (this.money === 'margin' ? r.keyMargin : r.keyRevenue)[k]!;
  }

  /** The stacked series: CRM keys (the largest few for campaigns), other CRM, non-CRM. */
  private stackSeries(theme: ChartTheme | null): StackSeries[] {
    const a = this.attribution;
    if (a === undefined) return [];
    const nKeys = a.keys.length;
    const nPeriods = a.periods.labels.length;
    const margin = this.money === 'margin';
    const values = margin ? a.margin : a.revenue;
    // a key with something to draw or a gap to name (an unknown margin, NaN) is a series; the largest
    // over the range first, an unknown margin ranking as 0
    const totals = margin ? a.keyMargin : a.keyRevenue;
    let keep = a.keys.map((_, k) => k).filter((k) => a.periods.labels.some((_l, p) => values[p * nKeys + k] !== 0));
    if (keep.length > MAX_SERIES) keep = [...keep].sort((x, y) => (totals[y] || 0) - (totals[x] || 0)).slice(0, MAX_SERIES - 1).sort((x, y) => x - y);
    const kept = new Set(keep);
    const color = (i: number): string => (theme === null ? '' : seriesColor(theme, i));
    const series: StackSeries[] = keep.map((k, i) => ({
      label: this.dimension === 'campaign' ? `${a.keys[k]} (${a.keyChannels[k]})` : a.keys[k]!,
      color: color(i),
      values: Float64Array.from({ length: nPeriods }, (_, p) => values[p * nKeys + k]!),
    }));
    if (kept.size < nKeys && nKeys > 0) {
      // the one sum on the page: the smallest keys' cells folded into one series for display
      const rest = a.keys.map((_, k) => k).filter((k) => !kept.has(k));
      // a cell with credited purchases and a margin of 0 is a known 0, not an empty cell
      const other = Float64Array.from({ length: nPeriods }, (_, p) =>
        knownSum(
          rest.length,
          (i) => values[p * nKeys + rest[i]!]!,
          (i) => a.purchases[p * nKeys + rest[i]!]! > 0,
        ),
      );
      if (other.some((v) => v !== 0)) series.push({ label: 'Other CRM', color: color(MAX_SERIES - 1), values: other });
    }
    series.push({ label: 'Non-CRM', color: theme?.neutral ?? '', values: margin ? a.nonCrmMargin : a.nonCrmRevenue });
    return series;
  }

  private renderLegend(panel: RevenuePanel): TemplateResult {
    const theme = this.chartTheme();
    if (panel === 'models') return legend('Models', CREDIT_MODELS.map((m, i) => ({ label: MODEL_LABELS[m], color: seriesColor(theme, i) })));
    if (panel === 'incremental') {
      return legend('Bars', [
        { label: 'Attributed', color: seriesColor(theme, 0) },
        { label: 'Incremental', color: seriesColor(theme, 3) },
      ]);
    }
    return legend('Series', this.stackSeries(theme));
  }

  protected override drawInputs(): unknown[] {
    return [this.panel, this.money, this.hasHoldouts];
  }

  protected drawCharts(theme: ChartTheme, tooltip: TooltipHost): void {
    const svg = this.plot;
    const a = this.attribution;
    if (svg === null || a === undefined) return;
    const f = this.fmt;
    const width = this.chartWidth;
    const panel = this.panel === 'incremental' && !this.hasHoldouts ? 'time' : this.panel;
    if (panel === 'models') {
      const channels = (this.results['model:last_touch'] as AttributionResult | undefined)?.keys ?? [];
      const series = CREDIT_MODELS.map((model, i) => ({ label: MODEL_LABELS[model], color: seriesColor(theme, i), values: Float64Array.from(channels, (_, k) => this.modelTotal(model, k)) }));
      drawGroupedBars(svg, { width, categories: channels, series, format: f.money, formatAxis: f.moneyShort, label: `CRM ${this.money} credited to each channel by each attribution model`, theme, tooltip });
      return;
    }
    if (panel === 'incremental') {
      const lift = this.lift!;
      const byChannel = (this.results['byChannel'] as AttributionResult | undefined) ?? (this.dimension === 'channel' ? a : undefined);
      const rows = lift.scope.map((s, i) => (s === 'channel' ? i : -1)).filter((i) => i >= 0);
      const categories = rows.map((i) => lift.name[i]!);
      const attributed = Float64Array.from(rows, (i) => {
        if (byChannel === undefined) return Number.NaN;
        const k = byChannel.keys.indexOf(lift.name[i]!);
        return k < 0 ? 0 : byChannel.keyRevenue[k]!;
      });
      const incremental = Float64Array.from(rows, (i) => lift.incrementalRevenue[i]!);
      const low = Float64Array.from(rows, (i) => lift.liftLow[i]! * lift.treatment[i]!);
      const high = Float64Array.from(rows, (i) => lift.liftHigh[i]! * lift.treatment[i]!);
      drawGroupedBars(svg, {
        width,
        categories,
        series: [
          { label: 'Attributed', color: seriesColor(theme, 0), values: attributed },
          { label: 'Incremental', color: seriesColor(theme, 3), values: incremental, low, high },
        ],
        format: f.money,
        formatAxis: f.moneyShort,
        note: `Incremental: lift per customer in a ${lift.liftWindowDays}-day window × treatment customers; whisker: 95% interval. n/a: fewer than ${lift.minHoldout} holdout customers.`,
        label: 'Attributed and incremental revenue per channel',
        theme,
        tooltip,
      });
      return;
    }
    const labels = Array.from(a.periods.start, (d) => f.period(d, a.periods.period));
    drawStackedBars(svg, {
      width,
      height: width < 420 ? 220 : 280,
      periods: labels,
      axisLabels: Array.from(a.periods.start, (d) => f.periodShort(d, a.periods.period)),
      series: this.stackSeries(theme),
      partial: a.periods.partial,
      format: f.money,
      formatAxis: f.moneyShort,
      label: `${this.money === 'margin' ? 'Margin' : 'Revenue'} per ${a.periods.period}, CRM by ${DIMENSION_LABELS[this.dimension].toLowerCase()} and non-CRM`,
      theme,
      tooltip,
    });
  }

  protected table(): TableData | null {
    const a = this.attribution;
    if (a === undefined) return null;
    const f = this.fmt;
    if (this.panel === 'models') {
      const channels = (this.results['model:last_touch'] as AttributionResult | undefined)?.keys ?? [];
      const rows = channels.map((channel, k) => [channel, ...CREDIT_MODELS.map((model) => this.modelTotal(model, k))]);
      return { caption: `CRM ${this.money} per channel by attribution model`, header: ['Channel', ...CREDIT_MODELS.map((m) => MODEL_LABELS[m])], rows, format: f.money };
    }
    if (this.panel === 'incremental' && this.lift !== undefined) {
      const lift = this.lift;
      const rows = lift.scope
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => s !== 'campaign')
        .map(({ i }) => [lift.name[i]!, lift.treatment[i]!, lift.holdout[i]!, lift.revenuePerCustomerTreatment[i]!, lift.revenuePerCustomerHoldout[i]!, lift.incrementalRevenue[i]!, lift.liftLow[i]! * lift.treatment[i]!, lift.liftHigh[i]! * lift.treatment[i]!]);
      return {
        caption: 'Holdout lift per scope',
        header: ['Scope', 'Treatment customers', 'Holdout customers', 'Revenue per customer (treatment)', 'Revenue per customer (holdout)', 'Incremental revenue', 'Interval low', 'Interval high'],
        rows,
        format: (v, c) => (c <= 2 ? f.count(v) : f.money(v)),
      };
    }
    const series = this.stackSeries(null);
    // CRM plus non-CRM is every purchase: the period's total comes from the worker
    const total = this.money === 'margin' ? a.purchaseMargin : a.purchaseRevenue;
    const rows = a.periods.labels.map((label, p) => [label, ...series.map((s) => s.values[p]!), total[p]!]);
    return { caption: `${this.money === 'margin' ? 'Margin' : 'Revenue'} per ${a.periods.period}`, header: [PERIOD_LABELS[a.periods.period], ...series.map((s) => s.label), 'Total'], rows, format: f.money };
  }

  protected definition(): string {
    const a = this.attribution;
    const model = a?.model ?? this.model;
    const basis = a?.basis ?? this.basis;
    return `${attributionWords(model, this.window, basis)} · ${this.money === 'margin' ? 'margin' : 'net revenue'}`;
  }

  protected summary(): string {
    const k = this.kpis?.current;
    const f = this.fmt;
    if (k === undefined) return '';
    const a = this.attribution;
    let top = '';
    if (a !== undefined && a.keys.length > 0) {
      const totals = a.keyRevenue;
      const best = totals.indexOf(Math.max(...totals));
      if (best >= 0 && totals[best]! > 0) top = ` The largest is ${a.keys[best]} with ${f.money(totals[best]!)}.`;
    }
    return `CRM revenue ${f.money(k.crmRevenue)} of ${f.money(k.netRevenue)} total (${f.percent(k.crmShare)}).${top}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crm-revenue': CrmRevenue;
  }
}
