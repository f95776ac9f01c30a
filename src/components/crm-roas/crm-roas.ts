import { html, nothing, type TemplateResult, type PropertyDeclarations } from 'lit';
import { drawGroupedBars } from '../../charts/grouped-bars.js';
import { drawLines, type LineSeries } from '../../charts/lines.js';
import { seriesColor, type ChartTheme, type TooltipHost } from '../../charts/theme.js';
import type { QueryPlan } from '../../controllers/query.js';
import { attributionWords, PERIOD_LABELS } from '../../core/labels.js';
import type { Period } from '../../core/periods.js';
import type { Basis, CreditModel } from '../../core/queries.js';
import type { IncrementalityResult, RoasResult } from '../../core/results.js';
import { legend, modelControl, selectControl, tabs, windowControl } from '../shared/controls.js';
import { marginNote, noMarginNote } from '../shared/margin.js';
import { partialNote } from '../shared/partial.js';
import { CrmWidget, type TableData } from '../shared/widget.js';

/** Which return is shown. */
export type RoasMetric = 'attributed' | 'margin' | 'incremental';

/** Lines beyond this many keys (campaigns) are folded away: the largest by cost stay. */
const MAX_LINES = 8;

/**
 * ROAS per period and channel (or campaign): attributed revenue over cost, margin over cost, with the
 * blended line over all channels, a break-even line at 1.0 and an optional target; cost and revenue
 * bars on demand; incremental ROAS from holdout tests per channel. A period without cost is a gap.
 *
 * @summary Return on CRM spend per channel over time.
 *
 * @tagname crm-roas
 * @csspart tabs - The attributed / margin / incremental switch.
 */
export class CrmRoas extends CrmWidget {
  /** Lit's reactive properties (options here, types, defaults and docs on the fields below). */
  static override properties: PropertyDeclarations = {
    model: { reflect: true },
    window: { reflect: true },
    basis: { reflect: true },
    period: { reflect: true },
    metric: { reflect: true },
    byCampaign: { type: Boolean, reflect: true, attribute: 'by-campaign' },
    bars: { type: Boolean, reflect: true },
    target: { type: Number, reflect: true },
  };

  /** Credit model of the attributed revenue. */
  model: CreditModel = 'last_touch';
  /** Attribution window. */
  window = '5d';
  /** `send`, `open` or `click`. */
  basis: Basis = 'send';
  /** Points per `day`, `week` or `month` (default; weekly ROAS per channel is mostly noise at CRM volumes). */
  period: Period = 'month';
  /** `attributed` (revenue / cost), `margin` (margin / cost) or `incremental` (holdout lift / cost). */
  metric: RoasMetric = 'attributed';
  /** One line per campaign instead of per channel. */
  byCampaign = false;
  /** Show blended cost and revenue as bars behind the lines. */
  bars = false;
  /** A target ROAS drawn as a line (e.g. 4). */
  target: number | null = null;

  protected readonly heading = 'Return on CRM spend';
  protected readonly exportName = 'crm-roas';

  protected params(): Record<string, unknown> {
    return { model: this.model, window: this.window, basis: this.basis, period: this.period, metric: this.metric, byCampaign: this.byCampaign, bars: this.bars, target: this.target, from: this.from, to: this.to };
  }

  protected plan(): QueryPlan {
    const plan: QueryPlan = {
      roas: { kind: 'roas', params: { model: this.model, window: this.window, basis: this.basis, period: this.period, byCampaign: this.byCampaign, ...this.rangeParams() } },
    };
    if (this.metric === 'incremental') plan['lift'] = { kind: 'incrementality', params: this.rangeParams() };
    return plan;
  }

  protected renderControls(): { essential: TemplateResult; more: TemplateResult } {
    return {
      essential: html`${windowControl(this.window, (v) => this.setParam('window', v))}
      ${selectControl('Period', this.period, (['day', 'week', 'month'] as Period[]).map((p): [string, string] => [p, PERIOD_LABELS[p]]), (v) => this.setParam('period', v as Period), 'period')}`,
      more: html`${modelControl(this.model, (v) => this.setParam('model', v))}
          ${selectControl('Lines', this.byCampaign ? 'campaign' : 'channel', [['channel', 'Channels'], ['campaign', 'Campaigns']], (v) => this.setParam('byCampaign', v === 'campaign'), 'lines')}
          <label part="control bars"><input type="checkbox" .checked=${this.bars} @change=${(e: Event) => this.setParam('bars', (e.target as HTMLInputElement).checked)} /> Cost and revenue bars</label>
          ${this.rangeControls()}`,
    };
  }

  private get roas(): RoasResult | undefined {
    return this.results['roas'] as RoasResult | undefined;
  }

  private get lift(): IncrementalityResult | undefined {
    return this.results['lift'] as IncrementalityResult | undefined;
  }

  protected emptyMessage(): string | null {
    const r = this.roas;
    if (r === undefined) return null;
    if (r.periods.labels.length === 0) return 'No data in this range.';
    if (!r.blendedCost.some((c) => c > 0)) return 'No CRM costs in this range: ROAS needs a costs table or per-touch costs on the touches.';
    return null;
  }

  /** The keys drawn as lines: all channels, or the largest campaigns by cost. */
  private lineKeys(): number[] {
    const r = this.roas!;
    const cost = r.keyCost;
    const keys = r.keys.map((_, k) => k).filter((k) => cost[k]! > 0);
    return keys.length > MAX_LINES ? [...keys].sort((a, b) => cost[b]! - cost[a]!).slice(0, MAX_LINES).sort((a, b) => a - b) : keys;
  }

  private keyLabel(k: number): string {
    const r = this.roas!;
    return this.byCampaign ? `${r.keys[k]} (${r.keyChannels[k]})` : r.keys[k]!;
  }

  private lines(theme: ChartTheme | null): LineSeries[] {
    const r = this.roas!;
    const nKeys = r.keys.length;
    const nPeriods = r.periods.labels.length;
    const values = this.metric === 'margin' ? r.marginRoas : r.roas;
    const series: LineSeries[] = this.lineKeys().map((k, i) => ({
      label: this.keyLabel(k),
      color: theme === null ? '' : seriesColor(theme, i),
      values: Float64Array.from({ length: nPeriods }, (_, p) => values[p * nKeys + k]!),
    }));
    series.push({ label: 'Blended', color: theme?.text ?? '', values: this.metric === 'margin' ? r.blendedMarginRoas : r.blendedRoas, emphasis: true });
    return series;
  }

  protected renderReady(): TemplateResult {
    const metrics: [string, string][] = [
      ['attributed', 'Attributed'],
      ['margin', 'Margin'],
      ['incremental', 'Incremental'],
    ];
    const theme = this.chartTheme();
    const r = this.roas;
    const margin = this.metric === 'margin';
    // margin ROAS: no chart when no credited purchase of the range has a margin, the note in its place
    const none = margin && r !== undefined && r.rangeMargin !== r.rangeMargin;
    return html`${this.queries.fromSummary ? nothing : tabs('Return on', this.metric, metrics, (v) => this.setParam('metric', v as RoasMetric))} ${none ? nothing : this.chartArea()}
      ${this.metric !== 'incremental'
        ? html`${none ? nothing : legend('Lines', this.lines(theme))}${r !== undefined && !none ? partialNote(r.periods, 'Hollow points', (p) => Number.isFinite((margin ? r.blendedMarginRoas : r.blendedRoas)[p]!)) : nothing}${none ? noMarginNote('credited purchase') : margin ? marginNote(this.source.handle?.snapshot.report, this.fmt) : nothing}`
        : html`${legend('Bars', [
              { label: 'Attributed ROAS', color: seriesColor(theme, 0) },
              { label: 'Incremental ROAS', color: seriesColor(theme, 3) },
            ])}
            <p class="note">Incremental ROAS: revenue the holdout test shows each channel caused (lift per customer × customers sent), divided by the channel's cost, over the whole range.</p>`}`;
  }

  protected override drawInputs(): unknown[] {
    return [this.metric, this.bars, this.target];
  }

  protected drawCharts(theme: ChartTheme, tooltip: TooltipHost): void {
    const svg = this.plot;
    const r = this.roas;
    if (svg === null || r === undefined) return;
    const f = this.fmt;
    const width = this.chartWidth;
    if (this.metric === 'incremental') {
      const lift = this.lift;
      if (lift === undefined) return;
      const rows = lift.scope.map((s, i) => (s === 'channel' ? i : -1)).filter((i) => i >= 0);
      const attributed = Float64Array.from(rows, (i) => {
        const k = r.keys.indexOf(lift.name[i]!);
        return k < 0 || this.byCampaign ? Number.NaN : r.keyRoas[k]!;
      });
      drawGroupedBars(svg, {
        width,
        categories: rows.map((i) => lift.name[i]!),
        series: [
          { label: 'Attributed ROAS', color: seriesColor(theme, 0), values: attributed },
          { label: 'Incremental ROAS', color: seriesColor(theme, 3), values: Float64Array.from(rows, (i) => lift.incrementalRoas[i]!) },
        ],
        format: f.multiple,
        formatAxis: f.multipleShort,
        note: `n/a: no cost, or fewer than ${lift.minHoldout} holdout customers.`,
        label: 'Attributed and incremental ROAS per channel over the range',
        theme,
        tooltip,
      });
      return;
    }
    const references = [{ value: 1, label: 'Break-even', color: theme.muted }];
    if (this.target !== null && Number.isFinite(this.target)) references.push({ value: this.target, label: `Target ${f.multiple(this.target)}`, color: theme.accent });
    drawLines(svg, {
      width,
      height: width < 420 ? 220 : 280,
      points: Array.from(r.periods.start, (d) => f.period(d, r.periods.period)),
      axisLabels: Array.from(r.periods.start, (d) => f.periodShort(d, r.periods.period)),
      series: this.lines(theme),
      format: f.multiple,
      formatAxis: f.multipleShort,
      bars: this.bars
        ? {
            series: [
              { label: 'Cost', color: theme.series[2]!, values: r.blendedCost },
              { label: this.metric === 'margin' ? 'Attributed margin' : 'Attributed revenue', color: theme.series[0]!, values: this.metric === 'margin' ? r.blendedMargin : r.blendedRevenue },
            ],
            format: f.money,
          }
        : null,
      references,
      partial: r.periods.partial,
      label: `${this.metric === 'margin' ? 'Margin' : 'Revenue'} ROAS per ${r.periods.period} and ${this.byCampaign ? 'campaign' : 'channel'}, with the blended line`,
      theme,
      tooltip,
    });
  }

  protected table(): TableData | null {
    const r = this.roas;
    if (r === undefined) return null;
    const f = this.fmt;
    if (this.metric === 'incremental' && this.lift !== undefined) {
      const lift = this.lift;
      const rows = lift.scope
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => s !== 'campaign')
        .map(({ i }) => [lift.name[i]!, lift.cost[i]!, lift.incrementalRevenue[i]!, lift.incrementalRoas[i]!]);
      return { caption: 'Incremental ROAS per scope', header: ['Scope', 'Cost', 'Incremental revenue', 'Incremental ROAS'], rows, format: (v, c) => (c === 3 ? f.multiple(v) : f.money(v)) };
    }
    const nKeys = r.keys.length;
    const keys = this.lineKeys();
    const margin = this.metric === 'margin';
    const values = margin ? r.marginRoas : r.roas;
    const rows = r.periods.labels.map((label, p) => [label, ...keys.map((k) => values[p * nKeys + k]!), r.blendedCost[p]!, (margin ? r.blendedMargin : r.blendedRevenue)[p]!, (margin ? r.blendedMarginRoas : r.blendedRoas)[p]!]);
    return {
      caption: `${margin ? 'Margin' : 'Revenue'} ROAS per ${r.periods.period}`,
      header: [PERIOD_LABELS[r.periods.period], ...keys.map((k) => this.keyLabel(k)), 'Cost', margin ? 'Attributed margin' : 'Attributed revenue', 'Blended ROAS'],
      rows,
      format: (v, c) => (c === keys.length + 1 || c === keys.length + 2 ? f.money(v) : f.multiple(v)),
    };
  }

  protected definition(): string {
    const what = this.metric === 'incremental' ? 'incremental revenue (holdout lift) / cost' : this.metric === 'margin' ? 'attributed margin / cost' : 'attributed revenue / cost';
    return `ROAS = ${what} · ${attributionWords(this.model, this.window, this.basis)} · cost = costs table + per-touch costs`;
  }

  protected summary(): string {
    const r = this.roas;
    if (r === undefined) return '';
    const f = this.fmt;
    return `Blended ROAS over the range: ${f.multiple(r.rangeRoas)} (${f.money(r.rangeRevenue)} attributed revenue on ${f.money(r.rangeCost)} cost).`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crm-roas': CrmRoas;
  }
}
