/**
 * The columnar shape of a built dataset, as kernels read it and as tests and exports see it. Strings
 * are dictionary-encoded with canonical codes: every dictionary is sorted, so code order is string
 * order and the same rows in any order give identical arrays.
 */

/**
 * Dictionaries of a dataset. All but `orderIds` are sorted by code point (UTF-8 byte order, as SQL
 * engines sort text), so their codes are canonical; order ids keep the order of first appearance.
 */
export interface DatasetDictionaries {
  customers: string[];
  /** Channels of touches and costs (trimmed, lower-cased). */
  channels: string[];
  /** Campaigns of touches and costs. */
  campaigns: string[];
  orderIds: string[];
  /** Cost kinds (lower-cased). */
  kinds: string[];
}

/** Orders after line items are merged, sorted by customer, then time, then order id and amounts. */
export interface OrdersColumns {
  count: number;
  customer: Int32Array;
  /** ordered_at (earliest line), epoch ms. */
  time: Float64Array;
  /** Net revenue (sum of lines). */
  revenue: Float64Array;
  /** Sum of line margins; NaN when any line's margin is unknown. */
  margin: Float64Array;
  discount: Float64Array;
  /** Line items merged into the order. */
  lines: Int32Array;
  /** Order id code, or -1 for an order without id. */
  orderId: Int32Array;
  /** 1 for a purchase (net revenue > 0), 0 for an adjustment. */
  isPurchase: Uint8Array;
  /** Day number (days since 1970-01-01) of `time` in the dataset time zone. */
  day: Int32Array;
  /** For purchases, the time of the customer's previous purchase (NaN for the first); NaN for adjustments. */
  prevPurchaseAt: Float64Array;
}

/** Touches sorted by customer, sent time, channel, campaign (then the remaining fields). */
export interface TouchesColumns {
  count: number;
  customer: Int32Array;
  channel: Int32Array;
  /** Campaign code or -1. */
  campaign: Int32Array;
  sentAt: Float64Array;
  /** NaN when unknown. */
  openedAt: Float64Array;
  clickedAt: Float64Array;
  /** 0 treatment, 1 holdout. */
  group: Uint8Array;
  cost: Float64Array;
  /** Day number of `sentAt` in the dataset time zone. */
  day: Int32Array;
}

/** Costs sorted by date, channel, campaign, kind and amount. */
export interface CostsColumns {
  count: number;
  channel: Int32Array;
  campaign: Int32Array;
  kind: Int32Array;
  /** The date as an instant. */
  date: Float64Array;
  /** Day number of `date` in the dataset time zone. */
  day: Int32Array;
  amount: Float64Array;
}

/** One customer attribute, indexed by customer code. */
export interface AttributeColumn {
  name: string;
  /** Sorted distinct values. */
  values: string[];
  /** Value code per customer, -1 when unknown. */
  codes: Int32Array;
}

/** Per-customer indexes (CSR offsets into the sorted orders and touches). */
export interface CustomerIndex {
  /** Orders of customer c are `orderStart[c] .. orderStart[c+1]`. */
  orderStart: Int32Array;
  /** Touches of customer c are `touchStart[c] .. touchStart[c+1]`. */
  touchStart: Int32Array;
  /** Index of the first purchase, or -1. */
  firstPurchase: Int32Array;
  /** Time of the first purchase, NaN without one. */
  firstPurchaseAt: Float64Array;
  /** Number of purchases. */
  purchases: Int32Array;
}

/** Everything kernels need about a dataset. */
export interface DatasetColumns {
  timezone: string;
  currency: string | null;
  dictionaries: DatasetDictionaries;
  orders: OrdersColumns;
  touches: TouchesColumns;
  costs: CostsColumns;
  attributes: AttributeColumn[];
  index: CustomerIndex;
}
