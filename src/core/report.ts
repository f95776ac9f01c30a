/**
 * Load reports: what was read, what was accepted, what was rejected and why. Nothing is dropped
 * silently; every rejected row is counted and the first ones are listed with line, column and value.
 */
import type { SourceEncoding, SourceFormat } from './options.js';
import type { TableName } from './schema.js';

/** Why a row was rejected. */
export type RejectReason =
  /** A required field is empty or absent. */
  | 'missing'
  /** A number field does not hold a number. */
  | 'bad-number'
  /** A number uses the other decimal separator than the dataset reads (`12,50` with `decimal: '.'`). */
  | 'decimal-separator'
  /** A timestamp field does not hold a date or time the kit reads. */
  | 'bad-timestamp'
  /** A timestamp holds a two-digit year. */
  | 'two-digit-year'
  /** A row has more or fewer fields than the header. */
  | 'field-count'
  /** A quoted field is never closed. */
  | 'unterminated-quote'
  /** Characters follow the closing quote of a field. */
  | 'after-quote'
  /** A touch group is neither treatment nor holdout/control. */
  | 'bad-group'
  /** An order is in a currency that has no conversion rate. */
  | 'unknown-currency'
  /** Line items of one order name different customers. */
  | 'order-customer-conflict'
  /** A customer appears twice in the customers table with different attributes. */
  | 'duplicate-customer'
  /** A JSON value is an object or array where a single value is expected. */
  | 'not-scalar'
  /** A JSON record is not an object, or an NDJSON line is not valid JSON. */
  | 'bad-record';

/** One rejected row. */
export interface Rejection {
  /** Source name (file name or URL without query string). */
  source: string;
  /** 1-based line in the source (for JSON, the line where the record starts). */
  line: number;
  /** The column as named in the source, or the canonical field when there is no column. */
  column: string;
  /** The raw value, truncated to 200 characters. */
  value: string;
  reason: RejectReason;
  /** A sentence that says what is wrong and what to do. */
  message: string;
}

/** Which source column each canonical field was read from. */
export interface ColumnMatch {
  field: string;
  column: string;
  /** `explicit` from a `columns` mapping, `auto` from synonym detection. */
  how: 'explicit' | 'auto';
}

/** Closed range of timestamps, epoch ms. */
export interface TimeRange {
  min: number;
  max: number;
}

/** Report of one source (one file, URL or array) after parsing. */
export interface SourceReport {
  /** File name or URL without query string. */
  name: string;
  table: TableName;
  format: SourceFormat;
  /** Detected or declared encoding. */
  encoding: SourceEncoding;
  /** Whether the bytes began with a byte-order mark. */
  bom: boolean;
  /** CSV delimiter, for CSV sources. */
  delimiter: string | null;
  /** Bytes read from the source (before decoding). */
  bytes: number;
  /** Data rows read (header and blank lines excluded). */
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Blank lines and rows of empty fields, skipped. */
  blankLines: number;
  /** Columns in the order of the file (CSV header, or JSON keys in order of first appearance). */
  columns: string[];
  mapping: ColumnMatch[];
  /** Columns read as customer attributes (customers table). */
  attributes: string[];
  /** Columns present in the file but not used. */
  ignoredColumns: string[];
  /** The first 20 rejected rows. */
  rejections: Rejection[];
  /** Rejected rows per reason. */
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Things that loaded but deserve a look (ignored keys, empty file, ...). */
  warnings: string[];
  /** How slashed dates were read, when the source had any. */
  dateOrder: 'dmy' | 'mdy' | null;
  /** Range of the table's main timestamp in this source. */
  dateRange: TimeRange | null;
  /** Currencies seen in the source. */
  currencies: string[];
  /** Time the worker spent parsing this source, in ms (excluding waits for bytes). */
  parseMs: number;
}

/** Orders-specific figures. */
export interface OrdersSummary {
  /** Orders after merging line items. */
  orders: number;
  /** Orders with net revenue > 0. */
  purchases: number;
  /** Orders with net revenue ≤ 0 (refunds, returns, cancellations). */
  adjustments: number;
  /** Rows that were merged into an order with others (line items). */
  lineItemRows: number;
  /** Orders rejected because their line items name different customers. */
  conflictingOrders: number;
  /** Rows without margin (neither a margin nor a cost column value). */
  rowsWithoutMargin: number;
  /** Purchases whose margin is unknown (a line of theirs has neither): margin figures leave them out. */
  purchasesWithoutMargin: number;
  /** Revenue of those purchases. */
  purchaseRevenueWithoutMargin: number;
  /** Revenue of all purchases. */
  purchaseRevenue: number;
  /** Customers with at least one purchase. */
  customersWithPurchases: number;
  /** Customers with orders but no touch at all (their revenue can only be non-CRM); null without touches. */
  customersWithoutTouches: number | null;
  /** Net revenue over all orders. */
  netRevenue: number;
}

/** Touches-specific figures. */
export interface TouchesSummary {
  /** Touches per channel. */
  channels: { channel: string; touches: number }[];
  campaigns: number;
  treatment: number;
  holdout: number;
  /** Touches identical to another in customer, channel, campaign, times and group (kept). */
  duplicates: number;
  /** Customers with touches but no order. */
  customersWithoutOrders: number;
}

/** Costs-specific figures. */
export interface CostsSummary {
  total: number;
  channels: string[];
  /** Channels with costs but no touches. */
  channelsWithoutTouches: string[];
}

/** Customers-specific figures. */
export interface CustomersSummary {
  attributes: string[];
  /** Rows repeating a customer with identical attributes (merged). */
  duplicateRows: number;
  /** Customers in this table without any order. */
  withoutOrders: number;
}

/** Report of one table: the sum of its sources plus what normalisation found. */
export interface TableReport {
  table: TableName;
  sources: SourceReport[];
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** The first 20 rejected rows across sources (including normalisation). */
  rejections: Rejection[];
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Range of the table's main timestamp (ordered_at, sent_at, date). */
  dateRange: TimeRange | null;
  distinctCustomers: number;
  warnings: string[];
  orders?: OrdersSummary;
  touches?: TouchesSummary;
  costs?: CostsSummary;
  customers?: CustomersSummary;
}

/** Report of a dataset. */
export interface DatasetReport {
  timezone: string;
  currency: string | null;
  tables: Partial<Record<TableName, TableReport>>;
  /** Distinct customers over all tables. */
  customers: number;
  /** Range over orders and touches. */
  dateRange: TimeRange | null;
  /** When the data was last committed (epoch ms). */
  loadedAt: number;
  /** Time the worker spent building tables and indexes at the last commit, in ms. */
  buildMs: number;
  warnings: string[];
}

/** Progress of a load. */
export interface LoadProgress {
  /** The table being loaded, once known. */
  table: TableName | 'auto';
  /** Source being read. */
  source: string;
  /** Index of the source in the load and number of sources. */
  sourceIndex: number;
  sourceCount: number;
  /** Bytes read from this source so far. */
  bytesRead: number;
  /** Total bytes of this source, when known. */
  bytesTotal: number | null;
  /** Rows parsed from this source so far. */
  rowsParsed: number;
  /** Bytes and rows over every source of the load so far. */
  totalBytesRead: number;
  totalRowsParsed: number;
  /**
   * Names of the sources being read now, in load order: two at once when the worker parses one and a
   * helper worker the next (then events alternate between them; show these and the totals).
   */
  reading: string[];
  /** `read` while bytes flow, `build` while tables and indexes are built. */
  phase: 'read' | 'build';
}

/** Maximum number of rejections listed per report. */
export const MAX_LISTED_REJECTIONS = 20;
