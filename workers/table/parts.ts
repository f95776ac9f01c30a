/**
 * Columnar row data of one source, as produced by ingest and before the dataset merges its sources.
 * Strings are dictionary-encoded: `customer[i]` is an index into `customers`.
 */
import type { SourceReport } from '../../src/core/report.js';
import type { PackedKeys } from './packed.js';

/** Raw order rows (line items not yet merged). */
export interface OrdersPart {
  table: 'orders';
  report: SourceReport;
  customers: string[];
  customer: Int32Array;
  /** Order id dictionary, as UTF-8 bytes; `order[i]` is -1 for a row without order id. */
  orderIds: PackedKeys;
  order: Int32Array;
  /** ordered_at, epoch ms. */
  time: Float64Array;
  revenue: Float64Array;
  /** NaN when neither margin nor cost is known. */
  margin: Float64Array;
  discount: Float64Array;
  /** 1-based line of each row in the source. */
  line: Int32Array;
}

/** Touch rows. */
export interface TouchesPart {
  table: 'touches';
  report: SourceReport;
  customers: string[];
  customer: Int32Array;
  channels: string[];
  channel: Int32Array;
  campaigns: string[];
  /** -1 without campaign. */
  campaign: Int32Array;
  sentAt: Float64Array;
  /** NaN when not opened / not known. */
  openedAt: Float64Array;
  clickedAt: Float64Array;
  /** 0 treatment, 1 holdout. */
  group: Uint8Array;
  /** Per-touch cost, 0 when none. */
  cost: Float64Array;
}

/** Cost rows. */
export interface CostsPart {
  table: 'costs';
  report: SourceReport;
  channels: string[];
  channel: Int32Array;
  campaigns: string[];
  campaign: Int32Array;
  /** The date as an instant (local midnight of the dataset time zone for date-only values). */
  date: Float64Array;
  amount: Float64Array;
  kinds: string[];
  /** -1 without kind. */
  kind: Int32Array;
}

/** One attribute column of the customers table. */
export interface AttributePart {
  name: string;
  values: string[];
  /** -1 when empty. */
  codes: Int32Array;
}

/** Customer rows. */
export interface CustomersPart {
  table: 'customers';
  report: SourceReport;
  customers: string[];
  customer: Int32Array;
  attributes: AttributePart[];
  line: Int32Array;
}

/** The rows of one source for one table. */
export type TablePart = OrdersPart | TouchesPart | CostsPart | CustomersPart;
