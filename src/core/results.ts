/**
 * Query results: columnar (typed arrays plus small string lists), so they cross from the worker with
 * `transfer` instead of a copy. A matrix is row-major: `values[row * columns + column]`.
 *
 * "No value" (a ROAS with zero cost, a lift without enough holdout data) is NaN in a typed array and
 * `null` in the JSON payloads of the warehouse SQL pack; `toPayload` converts one into the other.
 */
import { CrmError } from './errors.js';
import type { Period } from './periods.js';
import type { Basis, CreditModel, Dimension, RetentionMeasure, Scoring } from './queries.js';

/** The resolved range a result covers: inclusive days (`YYYY-MM-DD`), or null without data. */
export interface ResultRange {
  from: string | null;
  to: string | null;
}

/** A period axis: index, first day (`YYYY-MM-DD`) of each period. */
export interface PeriodAxis {
  period: Period;
  /** First day of each period, as day numbers. */
  start: Int32Array;
  labels: string[];
  /**
   * 1 for a period the orders or the range cover only in part (`partialPeriods`), which the charts
   * draw apart; absent in payloads from before it existed, whose periods are drawn whole.
   */
  partial?: Uint8Array;
}

/** Attributed revenue by period × key (channel, campaign or lifecycle stage). */
export interface AttributionResult {
  kind: 'attribution';
  range: ResultRange;
  model: CreditModel;
  basis: Basis;
  dimension: Dimension;
  periods: PeriodAxis;
  /** Channel, campaign (`(none)` for touches without one) or stage names. */
  keys: string[];
  /** For `campaign`, the channel of each key. */
  keyChannels: string[];
  /** Attributed revenue [period × key]. */
  revenue: Float64Array;
  /**
   * Attributed margin [period × key]: summed over the purchases with a known margin; NaN (unknown)
   * where the cell's credited purchases all lack one (metrics.md, "Margin"). So are `nonCrmMargin`,
   * the KPIs' `crmMargin` and ROAS margins.
   */
  margin: Float64Array;
  /** Credited purchases [period × key]: the sum of credit weights. */
  purchases: Float64Array;
  /** Revenue of purchases without an eligible touch, per period. */
  nonCrmRevenue: Float64Array;
  nonCrmMargin: Float64Array;
  nonCrmPurchases: Float64Array;
  /** Attributed revenue of each key over the whole range [key]. */
  keyRevenue: Float64Array;
  /**
   * Attributed margin of each key over the whole range [key]: NaN where the key's credited purchases
   * all lack a margin, 0 where it has none.
   */
  keyMargin: Float64Array;
  /** Net revenue (purchases and adjustments) per period. */
  netRevenue: Float64Array;
  /** Revenue of purchases per period. */
  purchaseRevenue: Float64Array;
  /** Margin of purchases per period (the known ones; NaN where they all lack one, 0 without any). */
  purchaseMargin: Float64Array;
  /** Purchases per period. */
  purchaseCount: Float64Array;
}

/** The KPI set of metrics.md section 3 for one range. */
export interface KpiValues {
  /** Net revenue of all orders (purchases and adjustments). */
  netRevenue: number;
  /** CRM-attributed revenue. */
  crmRevenue: number;
  crmMargin: number;
  /** crmRevenue / netRevenue; NaN when net revenue is 0. */
  crmShare: number;
  purchases: number;
  purchaseRevenue: number;
  /** Average order value: purchase revenue / purchases. */
  aov: number;
  /** Customers with at least one purchase. */
  customers: number;
  /** Customers with at least two purchases. */
  repeatCustomers: number;
  /** repeatCustomers / customers. */
  repeatRate: number;
  /** Customers with a treatment touch sent in the range. */
  recipients: number;
  /** crmRevenue / recipients. */
  revenuePerRecipient: number;
  /** Recipients with at least one purchase in the range that had an eligible touch. */
  convertedRecipients: number;
  /** convertedRecipients / recipients. */
  conversionRate: number;
}

/** KPIs of a range and of the equal-length range before it. */
export interface KpiResult {
  kind: 'kpis';
  range: ResultRange;
  previousRange: ResultRange;
  model: CreditModel;
  basis: Basis;
  current: KpiValues;
  previous: KpiValues;
  /**
   * 1 when the orders cover the range (`previousPartial`: the previous one) only in part: it starts
   * before the first order day or reaches the last one, which is not over yet (as a period axis's
   * `partial` flags). A change between the two then compares unequal spans.
   */
  partial: number;
  previousPartial: number;
}

/** Scope of an incrementality row. */
export type LiftScope = 'all' | 'channel' | 'campaign';

/** Holdout lift per scope (metrics.md section 4). Rows with too little holdout data have NaN numbers. */
export interface IncrementalityResult {
  kind: 'incrementality';
  range: ResultRange;
  liftWindowDays: number;
  minHoldout: number;
  scope: LiftScope[];
  /** `all`, the channel name, or the campaign name. */
  name: string[];
  /** For campaign rows, the channel of the campaign's touches (the first by name when several). */
  channel: string[];
  treatment: Int32Array;
  holdout: Int32Array;
  /** Customers with touches of both groups in the scope (excluded). */
  excluded: Int32Array;
  /** 1 when the holdout has at least `minHoldout` customers. */
  sufficient: Uint8Array;
  revenueTreatment: Float64Array;
  revenueHoldout: Float64Array;
  revenuePerCustomerTreatment: Float64Array;
  revenuePerCustomerHoldout: Float64Array;
  conversionTreatment: Float64Array;
  conversionHoldout: Float64Array;
  absoluteLift: Float64Array;
  relativeLift: Float64Array;
  incrementalRevenue: Float64Array;
  /** 95% interval of the absolute lift (Welch, normal approximation). */
  liftLow: Float64Array;
  liftHigh: Float64Array;
  /** Cost of the scope in the range. */
  cost: Float64Array;
  incrementalRoas: Float64Array;
}

/** Cell status in the retention matrix. */
export const CELL_COMPLETE = 0;
export const CELL_INCOMPLETE = 1;
export const CELL_FUTURE = 2;

/** Cohort × offset matrix (metrics.md section 5). */
export interface RetentionResult {
  kind: 'retention';
  range: ResultRange;
  measure: RetentionMeasure;
  period: Period;
  offsets: number;
  /** Breakdown groups (`all` without a breakdown). */
  groups: string[];
  breakdown: string | null;
  /** Cohort rows: group index, first day, label, size. */
  cohortGroup: Int32Array;
  cohortStart: Int32Array;
  cohortLabels: string[];
  cohortSize: Int32Array;
  /** Cell values [cohort × offset]: a share for customers/rolling, money per customer, or a ratio. */
  values: Float64Array;
  /** What the value is made of [cohort × offset]: customers, or revenue. */
  counts: Float64Array;
  /** CELL_COMPLETE, CELL_INCOMPLETE or CELL_FUTURE [cohort × offset]. */
  status: Uint8Array;
  /** Means over complete cells [group × offset]. */
  weightedMean: Float64Array;
  simpleMean: Float64Array;
  /** Complete cells per offset [group × offset]. */
  meanCells: Int32Array;
}

/** RFM grid and segments (metrics.md section 6). */
export interface RfmResult {
  kind: 'rfm';
  range: ResultRange;
  bins: number;
  scoring: Scoring;
  monetary: 'net' | 'aov';
  /** As-of instant (epoch ms) and its label. */
  asOf: number;
  asOfLabel: string;
  customers: number;
  totalRevenue: number;
  /** Cells [ (r − 1) × bins + (f − 1) ]. */
  cellCustomers: Int32Array;
  cellRevenue: Float64Array;
  cellCustomerShare: Float64Array;
  cellRevenueShare: Float64Array;
  cellMeanMonetary: Float64Array;
  /** Segment index of each cell, −1 when M splits the cell between segments. */
  cellSegment: Int32Array;
  segments: string[];
  segmentCustomers: Int32Array;
  segmentRevenue: Float64Array;
  segmentCustomerShare: Float64Array;
  segmentRevenueShare: Float64Array;
}

/** A page of customers of an RFM cell or segment. */
export interface RfmCustomersResult {
  kind: 'rfm-customers';
  /** Customers matching the cell or segment. */
  total: number;
  offset: number;
  ids: string[];
  recency: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  segment: string[];
  /** The whole matching list as CSV, when asked for. */
  csv: string | null;
}

/** ROAS per period × channel or campaign (metrics.md section 7). */
export interface RoasResult {
  kind: 'roas';
  range: ResultRange;
  model: CreditModel;
  basis: Basis;
  periods: PeriodAxis;
  /** Channel names, or campaign names with `keyChannels` giving their channel. */
  keys: string[];
  keyChannels: string[];
  /** [period × key] */
  cost: Float64Array;
  revenue: Float64Array;
  margin: Float64Array;
  /** NaN (a gap) where cost is 0. */
  roas: Float64Array;
  marginRoas: Float64Array;
  /** Per period over all keys. */
  blendedCost: Float64Array;
  blendedRevenue: Float64Array;
  blendedMargin: Float64Array;
  blendedRoas: Float64Array;
  blendedMarginRoas: Float64Array;
  /** Per key over the whole range (margin as for `margin`; ROAS NaN where cost is 0). */
  keyCost: Float64Array;
  keyRevenue: Float64Array;
  keyMargin: Float64Array;
  keyRoas: Float64Array;
  keyMarginRoas: Float64Array;
  /** Over all keys and the whole range. */
  rangeCost: number;
  rangeRevenue: number;
  rangeMargin: number;
  rangeRoas: number;
  rangeMarginRoas: number;
}

/** Any query result. */
export type QueryResult = KpiResult | AttributionResult | IncrementalityResult | RetentionResult | RfmResult | RfmCustomersResult | RoasResult;

/** Every ArrayBuffer under a value: a query result, built columns (for `transfer`). */
export function resultBuffers(result: unknown, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (ArrayBuffer.isView(result)) {
    const buffer = result.buffer as ArrayBuffer;
    if (!out.includes(buffer)) out.push(buffer);
  } else if (Array.isArray(result)) {
    for (const item of result) if (typeof item === 'object' && item !== null) resultBuffers(item, out);
  } else if (typeof result === 'object' && result !== null) {
    for (const value of Object.values(result)) if (typeof value === 'object' && value !== null) resultBuffers(value, out);
  }
  return out;
}

/** A result as plain JSON: typed arrays become arrays, NaN and infinities become null. */
export function toPayload(result: unknown): unknown {
  if (ArrayBuffer.isView(result)) {
    return Array.from(result as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  }
  if (typeof result === 'number') return Number.isFinite(result) ? result : null;
  if (Array.isArray(result)) return result.map(toPayload);
  if (typeof result === 'object' && result !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(result)) out[key] = toPayload(value);
    return out;
  }
  return result;
}

/** Result kinds, for checking payloads. */
export const RESULT_KINDS: readonly QueryResult['kind'][] = ['kpis', 'attribution', 'incrementality', 'retention', 'rfm', 'rfm-customers', 'roas'];

/** Fields of results that hold lists of text (every other list holds numbers). */
const TEXT_LISTS = new Set(['keys', 'keyChannels', 'labels', 'scope', 'name', 'channel', 'groups', 'cohortLabels', 'segments', 'ids', 'segment']);
/** Fields whose null means "none" rather than a missing number. */
const NULLABLE = new Set(['from', 'to', 'breakdown', 'csv']);

/**
 * A JSON payload (from the warehouse SQL pack, or `toPayload`) as a result: lists of numbers become
 * typed arrays, null numbers NaN; a result that already has typed arrays passes through. Throws
 * `not-data` when the payload is not a result.
 */
export function fromPayload(payload: unknown): QueryResult {
  const kind = (payload as { kind?: unknown } | null)?.kind;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || !RESULT_KINDS.includes(kind as QueryResult['kind'])) {
    throw new CrmError('not-data', 'This JSON is not a result of the kit or of its SQL pack.', {
      hint: `A result is an object with "kind" set to one of ${RESULT_KINDS.join(', ')}.`,
    });
  }
  // the fields the pack's queries gained (range totals, the KPIs' partial flags): a payload of an older
  // pack says so, not a blank chart or a note left out
  const added = kind === 'kpis' ? 'partial previousPartial' : kind === 'attribution' ? 'keyRevenue keyMargin purchaseMargin' : kind === 'roas' ? 'keyCost keyRevenue keyMargin keyRoas keyMarginRoas rangeCost rangeRevenue rangeMargin rangeRoas rangeMarginRoas' : '';
  const missing = added.split(' ').filter((field) => field !== '' && !(field in payload));
  if (missing.length > 0) throw new CrmError('not-data', `${kind as string} payload without ${missing.join(', ')}: rerun this version's SQL pack.`);
  return revive(payload, '') as QueryResult;
}

function revive(value: unknown, key: string): unknown {
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    if (TEXT_LISTS.has(key)) return value.map((v) => (v === null ? '' : String(v)));
    const out = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      out[i] = typeof v === 'number' ? v : v === null || v === undefined ? Number.NaN : Number(v);
    }
    return out;
  }
  if (value === null) return NULLABLE.has(key) ? null : Number.NaN;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = revive(v, k);
    return out;
  }
  return value;
}
