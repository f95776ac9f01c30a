/**
 * Query requests: what a widget (or the headless API) asks the engine for, with the defaults of
 * metrics.md. Parameters are resolved here, once, into explicit values; the engine, the reference
 * implementation in the tests and the SQL pack all read the resolved form.
 */
import { CrmError } from './errors.js';
import { parseDay, parsePeriod, parseWeekStart, type Period, type WeekStart } from './periods.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './time.js';

/** Inclusive range of days (`YYYY-MM-DD`) in the dataset time zone. Either end may be left open. */
export interface DateRange {
  from?: string;
  to?: string;
}

/** Restricts a query to customers whose attribute has one of the values. */
export interface CustomerFilter {
  attribute: string;
  values: string[];
}

/** Parameters every query accepts. */
export interface CommonParams {
  range?: DateRange;
  filter?: CustomerFilter;
}

/** How credit for a purchase is split over its eligible touches (metrics.md section 3). */
export type CreditModel = 'last_touch' | 'first_touch' | 'linear' | 'time_decay' | 'position_based';
/** Every credit model. */
export const CREDIT_MODELS: readonly CreditModel[] = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'];

/** Which time of a touch counts: when it was sent, first opened, or first clicked. */
export type Basis = 'send' | 'open' | 'click';

/** A duration: milliseconds, or text such as `5d`, `24h`, `30m`, `90s`, `2w`. */
export type Duration = number | string;

/** One window for every channel, or one per channel (`default` for the others). */
export type AttributionWindow = Duration | Record<string, Duration>;

/** What attributed revenue is broken down by. */
export type Dimension = 'channel' | 'campaign' | 'stage';

/** Parameters of attribution, KPIs and ROAS. */
export interface AttributionParams extends CommonParams {
  /** Default `last_touch`. */
  model?: CreditModel;
  /** Default `5d`. */
  window?: AttributionWindow;
  /** Default `send`. */
  basis?: Basis;
  /** Half-life of `time_decay`; default a quarter of the touch's channel window. */
  halfLife?: Duration;
  /** Default `month` for attribution, `week` for ROAS. */
  period?: Period;
  weekStart?: string | number;
  /** Default `channel`. */
  dimension?: Dimension;
  /** A purchase more than this many days after the previous one is `reactivated`. Default 180. */
  reactivationDays?: number;
}

/** Parameters of holdout incrementality (metrics.md section 4). */
export interface IncrementalityParams extends CommonParams {
  /** Outcome window after assignment. Default `14d`. */
  liftWindow?: Duration;
  /** Scopes with fewer holdout customers report "not enough holdout data". Default 100. */
  minHoldout?: number;
}

/** Cell value of the retention matrix (metrics.md section 5). */
export type RetentionMeasure = 'customers' | 'rolling' | 'revenue' | 'cumulative_revenue' | 'revenue_retention';
/** Every retention measure. */
export const RETENTION_MEASURES: readonly RetentionMeasure[] = ['customers', 'rolling', 'revenue', 'cumulative_revenue', 'revenue_retention'];

/** Parameters of cohort retention. */
export interface RetentionParams extends CommonParams {
  /** Default `month`. */
  period?: Period;
  weekStart?: string | number;
  /** Number of offsets K. Default 12. */
  offsets?: number;
  /** Default `customers`. */
  measure?: RetentionMeasure;
  /** Splits cohorts by a customers attribute. */
  breakdown?: string;
}

/** RFM scoring (metrics.md section 6). */
export type Scoring = 'percentile' | 'ntile' | 'thresholds';

/** Cut points per dimension for `thresholds` scoring: B − 1 ascending values each. */
export interface RfmThresholds {
  r: number[];
  f: number[];
  m: number[];
}

/** A named rectangle of the R × F grid, optionally constrained by M (inclusive score ranges). */
export interface SegmentRule {
  name: string;
  r: [number, number];
  f: [number, number];
  m?: [number, number];
}

/** Parameters of RFM. */
export interface RfmParams extends CommonParams {
  /** Number of scores B: 3, 4 or 5. Default 5. */
  bins?: number;
  /** Default `percentile`. */
  scoring?: Scoring;
  thresholds?: RfmThresholds;
  /** `net` (default): net revenue; `aov`: purchase revenue per purchase. */
  monetary?: 'net' | 'aov';
  /** As-of day (`YYYY-MM-DD`, start of that day) or instant (ISO 8601). Default: start of the day after the latest purchase. */
  asOf?: string;
  /** Segment map; default the map of metrics.md for B = 5 (and the kit's maps for 3 and 4). */
  segments?: SegmentRule[];
}

/** How a customer list is sorted. */
export type CustomerSortKey = 'customer' | 'recency' | 'frequency' | 'monetary' | 'r' | 'f' | 'm';

/** Parameters of an RFM customer list. */
export interface RfmCustomersParams extends RfmParams {
  /** One grid cell. */
  cell?: { r: number; f: number };
  /** One segment by name. */
  segment?: string;
  sort?: { by: CustomerSortKey; direction?: 'asc' | 'desc' };
  /** First row of the page. Default 0. */
  offset?: number;
  /** Rows per page. Default 50; `Infinity` for all. */
  limit?: number;
  /** Also return the whole list as CSV. */
  csv?: boolean;
}

/** Parameters of ROAS (metrics.md section 7). */
export interface RoasParams extends AttributionParams {
  /** Break down by campaign (within channel) instead of channel. */
  byCampaign?: boolean;
}

/** A request to the engine. */
export type QueryRequest =
  | { kind: 'kpis'; params?: AttributionParams }
  | { kind: 'attribution'; params?: AttributionParams }
  | { kind: 'incrementality'; params?: IncrementalityParams }
  | { kind: 'retention'; params?: RetentionParams }
  | { kind: 'rfm'; params?: RfmParams }
  | { kind: 'rfm-customers'; params?: RfmCustomersParams }
  | { kind: 'roas'; params?: RoasParams };

/** Kinds of query. */
export type QueryKind = QueryRequest['kind'];

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: MS_PER_MINUTE, min: MS_PER_MINUTE, h: MS_PER_HOUR, d: MS_PER_DAY, w: 7 * MS_PER_DAY };

/** A duration in milliseconds. */
export function parseDuration(value: Duration, what: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
  } else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)\s*$/.exec(value);
    // finite, as a number must be (a 310-digit count of days is not)
    const ms = m === null ? Number.NaN : Number(m[1]) * UNITS[m[2]!]!;
    if (Number.isFinite(ms)) return ms;
  }
  throw new CrmError('bad-option', `${what} must be a duration such as "5d", "24h" or "30m", not "${String(value)}".`);
}

/** Attribution parameters with defaults applied. */
export interface ResolvedAttribution {
  model: CreditModel;
  basis: Basis;
  /** Window per channel name; `defaultWindow` for channels not listed. */
  windows: Record<string, number>;
  defaultWindow: number;
  /** Half-life in ms, or null for "a quarter of the touch's channel window". */
  halfLife: number | null;
  period: Period;
  weekStart: WeekStart;
  dimension: Dimension;
  reactivationMs: number;
}

const DEFAULT_WINDOW = 5 * MS_PER_DAY;

/** Resolves attribution parameters. */
export function resolveAttribution(params: AttributionParams = {}, defaultPeriod: Period = 'month'): ResolvedAttribution {
  const model = params.model ?? 'last_touch';
  if (!CREDIT_MODELS.includes(model)) {
    throw new CrmError('bad-option', `Unknown attribution model "${String(model)}".`, { hint: `Use one of ${CREDIT_MODELS.join(', ')}.` });
  }
  const basis = params.basis ?? 'send';
  if (basis !== 'send' && basis !== 'open' && basis !== 'click') {
    throw new CrmError('bad-option', `Unknown attribution basis "${String(basis)}".`, { hint: 'Use send, open or click.' });
  }
  const windows: Record<string, number> = {};
  let defaultWindow = DEFAULT_WINDOW;
  const window = params.window ?? DEFAULT_WINDOW;
  if (typeof window === 'object' && window !== null) {
    for (const [channel, value] of Object.entries(window)) {
      const ms = parseDuration(value, `window.${channel}`);
      if (channel === 'default') defaultWindow = ms;
      else windows[channel.trim().toLowerCase()] = ms;
    }
  } else {
    defaultWindow = parseDuration(window, 'window');
  }
  const halfLife = params.halfLife === undefined ? null : parseDuration(params.halfLife, 'halfLife');
  if (halfLife === 0) throw new CrmError('bad-option', 'halfLife must be greater than zero.');
  const dimension = params.dimension ?? 'channel';
  if (dimension !== 'channel' && dimension !== 'campaign' && dimension !== 'stage') {
    throw new CrmError('bad-option', `Unknown dimension "${String(dimension)}".`, { hint: 'Use channel, campaign or stage.' });
  }
  const reactivationDays = params.reactivationDays ?? 180;
  if (!(reactivationDays >= 0)) throw new CrmError('bad-option', 'reactivationDays must be zero or more.');
  return {
    model,
    basis,
    windows,
    defaultWindow,
    halfLife,
    period: parsePeriod(params.period, defaultPeriod),
    weekStart: parseWeekStart(params.weekStart),
    dimension,
    reactivationMs: reactivationDays * MS_PER_DAY,
  };
}

/** The window of a channel under resolved parameters. */
export function windowOf(resolved: ResolvedAttribution, channel: string): number {
  return resolved.windows[channel] ?? resolved.defaultWindow;
}

/** A resolved range: inclusive day numbers, or null for an open end. */
export interface ResolvedRange {
  fromDay: number | null;
  toDay: number | null;
}

/** Resolves a date range. */
export function resolveRange(range: DateRange | undefined): ResolvedRange {
  const fromDay = range?.from !== undefined && range.from !== '' ? parseDay(range.from, 'range.from') : null;
  const toDay = range?.to !== undefined && range.to !== '' ? parseDay(range.to, 'range.to') : null;
  if (fromDay !== null && toDay !== null && fromDay > toDay) {
    throw new CrmError('bad-option', `range.from (${range!.from}) is after range.to (${range!.to}).`);
  }
  return { fromDay, toDay };
}

/** The default segment maps (metrics.md section 6 for B = 5; the kit's own for B = 3 and 4). */
export const DEFAULT_SEGMENTS: Record<number, SegmentRule[]> = {
  5: [
    { name: 'Champions', r: [5, 5], f: [4, 5] },
    { name: 'Loyal', r: [3, 4], f: [4, 5] },
    { name: 'Potential loyalists', r: [4, 5], f: [2, 3] },
    { name: 'New customers', r: [5, 5], f: [1, 1] },
    { name: 'Promising', r: [4, 4], f: [1, 1] },
    { name: 'Need attention', r: [3, 3], f: [3, 3] },
    { name: 'About to sleep', r: [3, 3], f: [1, 2] },
    { name: 'At risk', r: [1, 2], f: [3, 4] },
    { name: "Can't lose them", r: [1, 2], f: [5, 5] },
    { name: 'Hibernating', r: [1, 2], f: [1, 2] },
  ],
  4: [
    { name: 'Champions', r: [4, 4], f: [3, 4] },
    { name: 'Loyal', r: [3, 3], f: [3, 4] },
    { name: 'Potential loyalists', r: [3, 4], f: [2, 2] },
    { name: 'New customers', r: [4, 4], f: [1, 1] },
    { name: 'About to sleep', r: [3, 3], f: [1, 1] },
    { name: 'At risk', r: [1, 2], f: [3, 3] },
    { name: "Can't lose them", r: [1, 2], f: [4, 4] },
    { name: 'Hibernating', r: [1, 2], f: [1, 2] },
  ],
  3: [
    { name: 'Champions', r: [3, 3], f: [3, 3] },
    { name: 'Promising', r: [3, 3], f: [1, 2] },
    { name: 'Loyal', r: [2, 2], f: [2, 3] },
    { name: 'Need attention', r: [2, 2], f: [1, 1] },
    { name: "Can't lose them", r: [1, 1], f: [3, 3] },
    { name: 'Hibernating', r: [1, 1], f: [1, 2] },
  ],
};

/** RFM parameters with defaults applied. */
export interface ResolvedRfm {
  bins: number;
  scoring: Scoring;
  thresholds: RfmThresholds | null;
  monetary: 'net' | 'aov';
  asOf: string | null;
  segments: SegmentRule[];
}

function checkCuts(cuts: unknown, bins: number, dimension: string): number[] {
  if (!Array.isArray(cuts) || cuts.length !== bins - 1 || !cuts.every((c) => typeof c === 'number' && Number.isFinite(c))) {
    throw new CrmError('bad-option', `thresholds.${dimension} must be ${bins - 1} numbers for ${bins} scores.`);
  }
  for (let i = 1; i < cuts.length; i++) {
    if (!(cuts[i] > cuts[i - 1])) throw new CrmError('bad-option', `thresholds.${dimension} must be strictly ascending.`);
  }
  return cuts as number[];
}

/**
 * Validates a segment map: names unique, ranges within 1..B, and every cell of the R × F (× M when
 * any rule constrains M) grid covered by exactly one rule.
 */
export function validateSegments(rules: SegmentRule[], bins: number): SegmentRule[] {
  if (!Array.isArray(rules) || rules.length === 0) throw new CrmError('bad-option', 'The segment map is empty.');
  const names = new Set<string>();
  const useM = rules.some((r) => r.m !== undefined);
  for (const rule of rules) {
    if (typeof rule.name !== 'string' || rule.name.trim() === '') throw new CrmError('bad-option', 'Every segment needs a name.');
    if (names.has(rule.name)) throw new CrmError('bad-option', `Segment "${rule.name}" is defined twice.`);
    names.add(rule.name);
    for (const key of ['r', 'f', 'm'] as const) {
      const range = rule[key];
      if (range === undefined) continue;
      if (!Array.isArray(range) || range.length !== 2 || !Number.isInteger(range[0]) || !Number.isInteger(range[1]) || range[0] < 1 || range[1] > bins || range[0] > range[1]) {
        throw new CrmError('bad-option', `Segment "${rule.name}": ${key} must be [low, high] within 1..${bins}.`);
      }
    }
    if (rule.r === undefined || rule.f === undefined) throw new CrmError('bad-option', `Segment "${rule.name}" needs r and f ranges.`);
  }
  const mValues = useM ? bins : 1;
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= mValues; m++) {
        const covering = rules.filter((rule) => inside(rule.r, r) && inside(rule.f, f) && (!useM || rule.m === undefined || inside(rule.m, m)));
        const cell = useM ? `R${r} F${f} M${m}` : `R${r} F${f}`;
        if (covering.length === 0) throw new CrmError('bad-option', `The segment map leaves ${cell} uncovered.`, { hint: 'Every cell of the grid needs exactly one segment.' });
        if (covering.length > 1) {
          throw new CrmError('bad-option', `The segment map covers ${cell} twice (${covering.map((c) => c.name).join(', ')}).`, {
            hint: 'Every cell of the grid needs exactly one segment.',
          });
        }
      }
    }
  }
  return rules;
}

function inside(range: [number, number], v: number): boolean {
  return v >= range[0] && v <= range[1];
}

/** Resolves RFM parameters. */
export function resolveRfm(params: RfmParams = {}): ResolvedRfm {
  const bins = params.bins ?? 5;
  if (bins !== 3 && bins !== 4 && bins !== 5) throw new CrmError('bad-option', `bins must be 3, 4 or 5, not ${String(bins)}.`);
  const scoring = params.scoring ?? 'percentile';
  if (scoring !== 'percentile' && scoring !== 'ntile' && scoring !== 'thresholds') {
    throw new CrmError('bad-option', `Unknown scoring "${String(scoring)}".`, { hint: 'Use percentile, ntile or thresholds.' });
  }
  let thresholds: RfmThresholds | null = null;
  if (scoring === 'thresholds') {
    if (params.thresholds === undefined) throw new CrmError('bad-option', 'scoring "thresholds" needs thresholds: { r, f, m }.');
    thresholds = {
      r: checkCuts(params.thresholds.r, bins, 'r'),
      f: checkCuts(params.thresholds.f, bins, 'f'),
      m: checkCuts(params.thresholds.m, bins, 'm'),
    };
  }
  const monetary = params.monetary ?? 'net';
  if (monetary !== 'net' && monetary !== 'aov') throw new CrmError('bad-option', 'monetary must be "net" or "aov".');
  const segments = validateSegments(params.segments ?? DEFAULT_SEGMENTS[bins]!, bins);
  return { bins, scoring, thresholds, monetary, asOf: params.asOf ?? null, segments };
}

/** Resolved incrementality parameters. */
export interface ResolvedIncrementality {
  liftWindowMs: number;
  minHoldout: number;
}

/** Resolves incrementality parameters. */
export function resolveIncrementality(params: IncrementalityParams = {}): ResolvedIncrementality {
  const liftWindowMs = parseDuration(params.liftWindow ?? '14d', 'liftWindow');
  if (liftWindowMs <= 0) throw new CrmError('bad-option', 'liftWindow must be longer than zero.');
  const minHoldout = params.minHoldout ?? 100;
  if (!Number.isInteger(minHoldout) || minHoldout < 0) throw new CrmError('bad-option', 'minHoldout must be a whole number, zero or more.');
  return { liftWindowMs, minHoldout };
}

/** Resolved retention parameters. */
export interface ResolvedRetention {
  period: Period;
  weekStart: WeekStart;
  offsets: number;
  measure: RetentionMeasure;
  breakdown: string | null;
}

/** Resolves retention parameters. */
export function resolveRetention(params: RetentionParams = {}): ResolvedRetention {
  const offsets = params.offsets ?? 12;
  if (!Number.isInteger(offsets) || offsets < 1 || offsets > 400) throw new CrmError('bad-option', 'offsets must be a whole number from 1 to 400.');
  const measure = params.measure ?? 'customers';
  if (!RETENTION_MEASURES.includes(measure)) {
    throw new CrmError('bad-option', `Unknown retention measure "${String(measure)}".`, { hint: `Use one of ${RETENTION_MEASURES.join(', ')}.` });
  }
  return {
    period: parsePeriod(params.period, 'month'),
    weekStart: parseWeekStart(params.weekStart),
    offsets,
    measure,
    breakdown: params.breakdown ?? null,
  };
}
