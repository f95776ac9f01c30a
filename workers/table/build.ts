/**
 * Builds a dataset from the parts its sources produced:
 * 1. one canonical (sorted) dictionary per string domain, shared by every table;
 * 2. order normalisation (metrics.md section 2): line items with the same order id merged, an order
 *    whose lines name different customers rejected, purchases (net revenue > 0) told from adjustments;
 * 3. canonical row order (orders by customer, time, order id, amounts; touches by customer, sent time,
 *    channel, campaign), so results never depend on the order of the input rows;
 * 4. per-customer indexes and local day numbers in the dataset time zone;
 * 5. the load report.
 */
import { net } from '../../src/core/money.js';
import type { ResolvedDatasetOptions } from '../../src/core/options.js';
import {
  MAX_LISTED_REJECTIONS,
  type DatasetReport,
  type RejectReason,
  type Rejection,
  type SourceReport,
  type TableReport,
  type TimeRange,
} from '../../src/core/report.js';
import { TABLE_NAMES, type TableName } from '../../src/core/schema.js';
import type {
  AttributeColumn,
  CostsColumns,
  CustomerIndex,
  DatasetColumns,
  OrdersColumns,
  TouchesColumns,
} from '../../src/core/tables.js';
import { TimeZone } from '../../src/core/time.js';
import { concatFloat64, concatInt32, concatUint8, rangeOf } from './columns.js';
import { compareCodePoints, sortDictionary } from './dictionary.js';
import { unionKeys } from './key-log.js';
import { compareKeys, defineLazyStrings, keyAt, keyCount, type PackedKeys } from './packed.js';
import type { CostsPart, CustomersPart, OrdersPart, TablePart, TouchesPart } from './parts.js';

/** A built dataset: its columns and its report. */
export interface BuiltDataset {
  columns: DatasetColumns;
  report: DatasetReport;
}

/**
 * The sorted union of several distinct lists (canonical codes), with a remap per list: each list is
 * sorted (radix, `sortDictionary`), then the sorted lists are merged pairwise, as a balanced tree. A
 * `Map` from string to code over all the lists' strings cost about 5× more at 200k customers in three
 * tables. Order ids are not merged here: they stay bytes, by first appearance (`unionKeys`).
 */
function mergeSorted(lists: readonly string[][]): { values: string[]; remaps: Int32Array[] } {
  if (lists.length === 0) return { values: [], remaps: [] };
  // each node: its sorted values and, for each list it covers, the position of the list's entries in them
  let nodes = lists.map((list, k) => {
    const { sorted, rank } = sortDictionary(list);
    return { values: sorted, lists: [k], remaps: [rank] };
  });
  while (nodes.length > 1) {
    const next: typeof nodes = [];
    for (let i = 0; i + 1 < nodes.length; i += 2) {
      const a = nodes[i]!;
      const b = nodes[i + 1]!;
      const { values, posA, posB } = mergeTwo(a.values, b.values);
      for (const remap of a.remaps) for (let j = 0; j < remap.length; j++) remap[j] = posA[remap[j]!]!;
      for (const remap of b.remaps) for (let j = 0; j < remap.length; j++) remap[j] = posB[remap[j]!]!;
      next.push({ values, lists: [...a.lists, ...b.lists], remaps: [...a.remaps, ...b.remaps] });
    }
    if (nodes.length % 2 === 1) next.push(nodes[nodes.length - 1]!);
    nodes = next;
  }
  const root = nodes[0]!;
  const remaps = new Array<Int32Array>(lists.length);
  root.lists.forEach((k, j) => (remaps[k] = root.remaps[j]!));
  return { values: root.values, remaps };
}

/** Merges two sorted distinct lists; returns the union and where each entry of either went. */
function mergeTwo(a: readonly string[], b: readonly string[]): { values: string[]; posA: Int32Array; posB: Int32Array } {
  const values: string[] = [];
  const posA = new Int32Array(a.length);
  const posB = new Int32Array(b.length);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      posA[i++] = posB[j++] = values.length;
      values.push(x);
    } else if (compareCodePoints(x, y) < 0) {
      posA[i++] = values.length;
      values.push(x);
    } else {
      posB[j++] = values.length;
      values.push(y);
    }
  }
  for (; i < a.length; i++) {
    posA[i] = values.length;
    values.push(a[i]!);
  }
  for (; j < b.length; j++) {
    posB[j] = values.length;
    values.push(b[j]!);
  }
  return { values, posA, posB };
}

function remapCodes(codes: Int32Array, remap: Int32Array): Int32Array {
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    out[i] = c >= 0 ? remap[c]! : -1;
  }
  return out;
}

function cmp(a: number, b: number): number {
  // NaN sorts last and equal to itself
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

function countDistinct(codes: Int32Array, domain: number): number {
  const seen = new Uint8Array(domain);
  let n = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0 && seen[c] === 0) {
      seen[c] = 1;
      n++;
    }
  }
  return n;
}

/** Per customer of a row index (`CustomerIndex.orderStart`, `touchStart`): 1 when it has rows. */
function nonEmptyRanges(start: Int32Array): Uint8Array {
  const flags = new Uint8Array(start.length - 1);
  for (let c = 0; c < flags.length; c++) flags[c] = start[c + 1]! > start[c]! ? 1 : 0;
  return flags;
}

/** How many rows have each code (codes are 0 to `domain` - 1). */
function countCodes(codes: Int32Array, domain: number): Int32Array {
  const counts = new Int32Array(domain);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++;
  return counts;
}

/** The sum of bytes: the count of ones among 0/1 flags. */
function sumUint8(values: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
}

function sumFloat64(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
}

/** How many channels and campaigns the scopes of a dataset's lift runs span (its dictionaries' sizes). */
export interface ScopeCounts {
  nChannels: number;
  nCampaigns: number;
}

/** Normalisation rejections (line-item conflicts, duplicate customers) of one table. */
export interface BuildRejections {
  count: number;
  listed: Rejection[];
  byReason: Partial<Record<RejectReason, number>>;
}

function emptyRejections(): BuildRejections {
  return { count: 0, listed: [], byReason: {} };
}

function addRejection(r: BuildRejections, rejection: Rejection): void {
  r.count++;
  r.byReason[rejection.reason] = (r.byReason[rejection.reason] ?? 0) + 1;
  if (r.listed.length < MAX_LISTED_REJECTIONS) r.listed.push(rejection);
}

/** Builds a dataset from source parts, in this thread. */
export function buildDataset(parts: readonly TablePart[], options: ResolvedDatasetOptions, loadedAt: number): BuiltDataset {
  return new DatasetBuild(parts, options, loadedAt).buildHere();
}

/** The source parts of one build, by table. */
interface PartsByTable {
  orders: OrdersPart[];
  touches: TouchesPart[];
  costs: CostsPart[];
  customers: CustomersPart[];
}

/** What `DatasetBuild.buildOthers` builds: the orders, costs and customers tables. */
export interface BuiltOthers {
  orders: BuiltOrders;
  orderRejections: BuildRejections;
  costs: CostsColumns;
  attributes: AttributeColumn[];
  duplicateCustomerRows: number;
  customerRejections: BuildRejections;
  /** The customer parts' rows as canonical customer codes. */
  customerCodes: Int32Array[];
}

/**
 * One build in steps, so that the touches table (the largest: about a third of the build at 2M
 * touches) can be sorted in another thread while this one builds the other tables:
 * 1. the constructor makes the shared dictionaries and `touchRows`, the touch rows with canonical codes;
 * 2. `buildOthers` builds orders, costs and customers;
 * 3. `finish` takes those and the sorted touches (`sortTouches`, run anywhere) and builds the index and
 *    the report.
 * `buildHere` runs the three in a row.
 */
export class DatasetBuild {
  /** What `sortTouches` orders: fresh arrays, or the touch parts' own when there is one touch part. */
  readonly touchRows: TouchRows;
  private readonly started = performance.now();
  private readonly byTable: PartsByTable;
  private readonly loadedAt: number;
  private readonly zone: TimeZone;
  private readonly currency: string | null;
  private readonly unions: {
    customers: string[];
    channels: string[];
    campaigns: string[];
    orderIds: PackedKeys;
    kinds: string[];
  };
  private readonly remaps: {
    orderIds: Int32Array[];
    orderCustomers: Int32Array[];
    customerCustomers: Int32Array[];
    costChannels: Int32Array[];
    costCampaigns: Int32Array[];
    kinds: Int32Array[];
  };

  constructor(parts: readonly TablePart[], options: ResolvedDatasetOptions, loadedAt: number) {
    this.loadedAt = loadedAt;
    this.zone = TimeZone.get(options.timezone);
    const byTable: PartsByTable = { orders: [], touches: [], costs: [], customers: [] };
    for (const p of parts) (byTable[p.table] as TablePart[]).push(p);
    this.byTable = byTable;
    const { orders: orderParts, touches: touchParts, costs: costParts, customers: customerParts } = byTable;
    this.currency = options.currency ?? singleCurrency(orderParts);

    const customerUnion = mergeSorted([
      ...orderParts.map((p) => p.customers),
      ...touchParts.map((p) => p.customers),
      ...customerParts.map((p) => p.customers),
    ]);
    const channelUnion = mergeSorted([...touchParts.map((p) => p.channels), ...costParts.map((p) => p.channels)]);
    const campaignUnion = mergeSorted([...touchParts.map((p) => p.campaigns), ...costParts.map((p) => p.campaigns)]);
    const orderIdUnion = unionKeys(orderParts.map((p) => p.orderIds));
    const kindUnion = mergeSorted(costParts.map((p) => p.kinds));
    this.unions = {
      customers: customerUnion.values,
      channels: channelUnion.values,
      campaigns: campaignUnion.values,
      orderIds: orderIdUnion.keys,
      kinds: kindUnion.values,
    };

    const customerRemaps = customerUnion.remaps;
    const nOrders = orderParts.length;
    const nTouches = touchParts.length;
    this.remaps = {
      orderIds: orderIdUnion.remaps,
      orderCustomers: customerRemaps.slice(0, nOrders),
      customerCustomers: customerRemaps.slice(nOrders + nTouches),
      costChannels: channelUnion.remaps.slice(nTouches),
      costCampaigns: campaignUnion.remaps.slice(nTouches),
      kinds: kindUnion.remaps,
    };
    this.touchRows = touchRows(touchParts, customerRemaps.slice(nOrders, nOrders + nTouches), channelUnion.remaps, campaignUnion.remaps);
  }

  /** Customers in the union of every table (the size of `sortTouches`' index). */
  get customerCount(): number {
    return this.unions.customers.length;
  }

  /** The dataset's channels and campaigns, for the scope runs of the sorted touches (`ParserApi.sortTouches`). */
  get scopeCounts(): ScopeCounts {
    return { nChannels: this.unions.channels.length, nCampaigns: this.unions.campaigns.length };
  }

  /** The dataset's time zone (by name, for `sortTouches` in another worker). */
  get timezone(): string {
    return this.zone.name;
  }

  /** The whole build in this thread. */
  buildHere(): BuiltDataset {
    const others = this.buildOthers();
    return this.finish(others, sortTouches(this.customerCount, this.timezone, this.touchRows));
  }

  /** Builds the orders, costs and customers tables. */
  buildOthers(): BuiltOthers {
    const { byTable, remaps, unions, zone } = this;
    const orderCustomer = byTable.orders.map((p, k) => remapCodes(p.customer, remaps.orderCustomers[k]!));
    const orderRejections = emptyRejections();
    const orders = buildOrders(byTable.orders, orderCustomer, remaps.orderIds, unions.orderIds, unions.customers, this.customerCount, zone, orderRejections);
    const costs = buildCosts(byTable.costs, remaps.costChannels, remaps.costCampaigns, remaps.kinds, zone);
    const customerRejections = emptyRejections();
    const customerCodes = byTable.customers.map((p, k) => remapCodes(p.customer, remaps.customerCustomers[k]!));
    const customers = buildAttributes(byTable.customers, customerCodes, this.customerCount, unions.customers, customerRejections);
    return { orders, orderRejections, costs, attributes: customers.attributes, duplicateCustomerRows: customers.duplicateRows, customerRejections, customerCodes };
  }

  /** The dataset, from the other tables (`buildOthers`) and the sorted touches (`sortTouches` of `touchRows`). */
  finish(others: BuiltOthers, touches: BuiltTouches): BuiltDataset {
    const { unions } = this;
    const index = buildIndex(others.orders.columns, others.orders.start, touches.start, this.customerCount);
    const columns: DatasetColumns = {
      timezone: this.timezone,
      currency: this.currency,
      dictionaries: {
        customers: unions.customers,
        channels: unions.channels,
        campaigns: unions.campaigns,
        orderIds: [], // replaced below: decoded on first read
        kinds: unions.kinds,
      },
      orders: others.orders.columns,
      touches: touches.columns,
      costs: others.costs,
      attributes: others.attributes,
      index,
    };
    // nothing on the way to a result reads order ids as text (see table/packed.ts)
    defineLazyStrings(columns.dictionaries, 'orderIds', unions.orderIds);
    const report = buildReport(columns, this.byTable, others, touches.duplicates, this.loadedAt);
    report.buildMs = performance.now() - this.started;
    return { columns, report };
  }
}

function singleCurrency(parts: readonly OrdersPart[]): string | null {
  const all = new Set<string>();
  for (const p of parts) for (const c of p.report.currencies) if (c !== '') all.add(c);
  return all.size === 1 ? [...all][0]! : null;
}

export interface BuiltOrders {
  columns: OrdersColumns;
  /** Each customer's orders: rows `start[c]` to `start[c + 1]`. */
  start: Int32Array;
  lineItemRows: number;
  conflictingOrders: number;
  rowsWithoutMargin: number;
  /** Purchases' revenue, and the purchases whose margin is unknown with their revenue (`markPurchases`). */
  margins: PurchaseMargins;
}

/** What the load report says of purchases' margins: every margin figure leaves the unknown ones out. */
interface PurchaseMargins {
  purchaseRevenue: number;
  withoutMargin: number;
  revenueWithoutMargin: number;
}

function buildOrders(
  parts: readonly OrdersPart[],
  customerCodes: Int32Array[],
  orderIdRemaps: Int32Array[],
  orderIds: PackedKeys,
  customers: string[],
  nCustomers: number,
  zone: TimeZone,
  rejections: BuildRejections,
): BuiltOrders {
  const customer = concatInt32(customerCodes);
  const order = concatInt32(parts.map((p, k) => remapCodes(p.order, orderIdRemaps[k]!)));
  const lines: OrderLines = {
    customer,
    time: concatFloat64(parts.map((p) => p.time)),
    revenue: concatFloat64(parts.map((p) => p.revenue)),
    margin: concatFloat64(parts.map((p) => p.margin)),
    discount: concatFloat64(parts.map((p) => p.discount)),
  };
  const rowsWithoutMargin = countNaN(lines.margin);

  // Each step is a function of its own: V8 optimises a call whole, while a loop in a long function is
  // compiled on the fly (on-stack replacement) and runs partly in the interpreter. In Node at 1m, the
  // loop that sorts each order's lines and writes the order took about 190 ms in the body of this
  // function, against 85–130 ms as the two calls below.
  // Rows grouped by order id (CSR), each order's lines in a canonical order, so sums do not depend on
  // the order of the input rows.
  const nIds = keyCount(orderIds);
  const { idStart, idRows } = rowsByOrderId(order, nIds);
  sortOrderLines(idStart, idRows, lines);

  // One order per valid order id (its lines must share a customer), one per row without id, written
  // straight into its customer's slot range in the canonical order: customer, then time, order id (no
  // id last), amounts. A first pass counts each customer's orders; the second writes them, in order id
  // order (random slots); the customer ranges not already in time order are sorted after. (Writing
  // them to per-order arrays first and scattering those was two more passes over 1M orders. Reading the
  // rows in input order instead, with an order's four amounts written as one 32-byte record and moved
  // to the columns after, measured the same in Node, and cost a 22 MB scratch array.)
  const conflict = new Uint8Array(nIds);
  const start = new Int32Array(nCustomers + 1);
  const conflictingOrders = countOrders(idStart, idRows, order, customer, conflict, start);
  const n = start[nCustomers]!;
  const next = start.slice(0, nCustomers);
  const columns: OrdersColumns = {
    count: n,
    customer: new Int32Array(n),
    time: new Float64Array(n),
    revenue: new Float64Array(n),
    margin: new Float64Array(n),
    discount: new Float64Array(n),
    lines: new Int32Array(n),
    orderId: new Int32Array(n),
    isPurchase: new Uint8Array(n),
    day: new Int32Array(n),
    prevPurchaseAt: new Float64Array(n),
  };
  const lineItemRows = writeKeyedOrders(idStart, idRows, conflict, lines, next, columns);
  writeUnkeyedOrders(order, lines, next, columns);
  if (conflictingOrders > 0) rejectConflicts(parts, idStart, idRows, conflict, customer, customers, orderIds, rejections);
  sortCustomerOrders(start, columns, orderIds);
  // constant within each customer's range, as for the touches
  fillRanges(start, columns.customer);
  zone.daysOf(columns.time, columns.day);
  const margins = markPurchases(columns);
  return { columns, start, lineItemRows, conflictingOrders, rowsWithoutMargin, margins };
}

/** The order rows' columns before they are merged into orders, in input order. */
interface OrderLines {
  customer: Int32Array;
  time: Float64Array;
  revenue: Float64Array;
  margin: Float64Array;
  discount: Float64Array;
}

function countNaN(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) n++;
  return n;
}

/** The rows of each order id: `idRows[idStart[o] .. idStart[o + 1])`, in input order (rows without id left out). */
function rowsByOrderId(order: Int32Array, nIds: number): { idStart: Int32Array; idRows: Int32Array } {
  const rows = order.length;
  const idStart = new Int32Array(nIds + 1);
  let keyed = 0;
  for (let i = 0; i < rows; i++) {
    const o = order[i]!;
    if (o >= 0) {
      idStart[o + 1]!++;
      keyed++;
    }
  }
  for (let o = 0; o < nIds; o++) idStart[o + 1]! += idStart[o]!;
  const fill = idStart.slice(0, nIds);
  const idRows = new Int32Array(keyed);
  for (let i = 0; i < rows; i++) {
    const o = order[i]!;
    if (o >= 0) idRows[fill[o]!++] = i;
  }
  return { idStart, idRows };
}

/** Canonical order of two lines of an order: time, revenue, margin, discount, then customer. */
function compareLines(lines: OrderLines, a: number, b: number): number {
  return (
    cmp(lines.time[a]!, lines.time[b]!) ||
    cmp(lines.revenue[a]!, lines.revenue[b]!) ||
    cmp(lines.margin[a]!, lines.margin[b]!) ||
    cmp(lines.discount[a]!, lines.discount[b]!) ||
    lines.customer[a]! - lines.customer[b]!
  );
}

/** Sorts each order's rows in `idRows` into the canonical line order: insertion sort when short, else `Array#sort`. */
function sortOrderLines(idStart: Int32Array, idRows: Int32Array, lines: OrderLines): void {
  const nIds = idStart.length - 1;
  for (let o = 0; o < nIds; o++) {
    const lo = idStart[o]!;
    const hi = idStart[o + 1]!;
    if (hi - lo < 2) continue;
    if (hi - lo > 32) {
      const slice = Array.from(idRows.subarray(lo, hi));
      slice.sort((a, b) => compareLines(lines, a, b));
      idRows.set(slice, lo);
      continue;
    }
    for (let i = lo + 1; i < hi; i++) {
      const v = idRows[i]!;
      let j = i - 1;
      while (j >= lo && compareLines(lines, idRows[j]!, v) > 0) {
        idRows[j + 1] = idRows[j]!;
        j--;
      }
      idRows[j + 1] = v;
    }
  }
}

/**
 * Marks the order ids whose lines name more than one customer in `conflict`, and counts every other
 * order (and every row without id) in its customer's slot of `start` (at `c + 1`, then made cumulative).
 * Returns the conflicting orders.
 */
function countOrders(idStart: Int32Array, idRows: Int32Array, order: Int32Array, customer: Int32Array, conflict: Uint8Array, start: Int32Array): number {
  const nIds = idStart.length - 1;
  const nCustomers = start.length - 1;
  let conflicting = 0;
  for (let o = 0; o < nIds; o++) {
    const a = idStart[o]!;
    const b = idStart[o + 1]!;
    if (a === b) continue;
    const c = customer[idRows[a]!]!;
    for (let k = a + 1; k < b; k++) if (customer[idRows[k]!] !== c) conflict[o] = 1;
    if (conflict[o] === 0) start[c + 1]!++;
    else conflicting++;
  }
  for (let i = 0; i < order.length; i++) if (order[i]! < 0) start[customer[i]! + 1]!++;
  for (let c = 0; c < nCustomers; c++) start[c + 1]! += start[c]!;
  return conflicting;
}

/** Writes each order id's merged lines at its customer's next slot; returns the rows of orders with more than one line. */
function writeKeyedOrders(idStart: Int32Array, idRows: Int32Array, conflict: Uint8Array, lines: OrderLines, next: Int32Array, columns: OrdersColumns): number {
  const { customer, time, revenue, margin, discount } = lines;
  const { time: cTime, revenue: cRevenue, margin: cMargin, discount: cDiscount, lines: cLines, orderId: cId } = columns;
  const nIds = idStart.length - 1;
  let lineItemRows = 0;
  for (let o = 0; o < nIds; o++) {
    const a = idStart[o]!;
    const b = idStart[o + 1]!;
    if (a === b || conflict[o] === 1) continue;
    const c = customer[idRows[a]!]!;
    let t = Number.POSITIVE_INFINITY;
    let rev = 0;
    let size = 0;
    let mar = 0;
    let dis = 0;
    for (let k = a; k < b; k++) {
      const r = idRows[k]!;
      if (time[r]! < t) t = time[r]!;
      rev += revenue[r]!;
      size += Math.abs(revenue[r]!);
      mar += margin[r]!;
      dis += discount[r]!;
    }
    // lines that cancel leave binary residue, which must not make the order a purchase
    rev = net(rev, size);
    if (b - a > 1) lineItemRows += b - a;
    const p = next[c]!++;
    cTime[p] = t;
    cRevenue[p] = rev;
    cMargin[p] = mar;
    cDiscount[p] = dis;
    cLines[p] = b - a;
    cId[p] = o;
  }
  return lineItemRows;
}

/** Writes each row without an order id as an order of one line at its customer's next slot. */
function writeUnkeyedOrders(order: Int32Array, lines: OrderLines, next: Int32Array, columns: OrdersColumns): void {
  const { customer, time, revenue, margin, discount } = lines;
  for (let i = 0; i < order.length; i++) {
    if (order[i]! >= 0) continue;
    const p = next[customer[i]!]!++;
    columns.time[p] = time[i]!;
    columns.revenue[p] = revenue[i]!;
    columns.margin[p] = margin[i]!;
    columns.discount[p] = discount[i]!;
    columns.lines[p] = 1;
    columns.orderId[p] = -1;
  }
}

/** Rejects every line of each order id whose lines name different customers, in order id then line order. */
function rejectConflicts(
  parts: readonly OrdersPart[],
  idStart: Int32Array,
  idRows: Int32Array,
  conflict: Uint8Array,
  customer: Int32Array,
  customers: string[],
  orderIds: PackedKeys,
  rejections: BuildRejections,
): void {
  const sourceOf = rowSources(parts);
  for (let o = 0; o < conflict.length; o++) {
    if (conflict[o] === 0) continue;
    const a = idStart[o]!;
    const b = idStart[o + 1]!;
    const names = [...new Set(Array.from(idRows.subarray(a, b), (r) => customers[customer[r]!]!))].sort();
    const id = keyAt(orderIds, o);
    for (let k = a; k < b; k++) {
      const { source, line } = sourceOf(idRows[k]!);
      addRejection(rejections, {
        source,
        line,
        column: 'order_id',
        value: id,
        reason: 'order-customer-conflict',
        message: `order ${id} has lines for customers ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}; all its lines were rejected`,
      });
    }
  }
}

/** Sorts each customer's orders that are not already in order: time, order id (no id last), amounts. */
function sortCustomerOrders(start: Int32Array, columns: OrdersColumns, orderIds: PackedKeys): void {
  const { time: cTime, revenue: cRevenue, margin: cMargin, discount: cDiscount, orderId: cId } = columns;
  const orderWithin = (a: number, b: number): number =>
    cmp(cTime[a]!, cTime[b]!) ||
    (cId[a] === cId[b] ? 0 : cId[a] === -1 ? 1 : cId[b] === -1 ? -1 : compareKeys(orderIds, cId[a]!, cId[b]!)) ||
    cmp(cRevenue[a]!, cRevenue[b]!) ||
    cmp(cMargin[a]!, cMargin[b]!) ||
    cmp(cDiscount[a]!, cDiscount[b]!);
  const nCustomers = start.length - 1;
  for (let c = 0; c < nCustomers; c++) {
    const a = start[c]!;
    const b = start[c + 1]!;
    let sorted = true;
    for (let i = a + 1; i < b && sorted; i++) if (orderWithin(i - 1, i) > 0) sorted = false;
    if (!sorted) permuteRows([columns.time, columns.revenue, columns.margin, columns.discount, columns.lines, columns.orderId], a, b, orderWithin);
  }
}

/** Purchases (net revenue > 0) and, for each, the time of the customer's previous purchase (NaN if none). */
function markPurchases(columns: OrdersColumns): PurchaseMargins {
  const { customer, time, revenue, margin, isPurchase, prevPurchaseAt } = columns;
  const margins: PurchaseMargins = { purchaseRevenue: 0, withoutMargin: 0, revenueWithoutMargin: 0 };
  let lastCustomer = -1;
  let lastPurchase = Number.NaN;
  for (let i = 0; i < columns.count; i++) {
    const c = customer[i]!;
    if (c !== lastCustomer) {
      lastCustomer = c;
      lastPurchase = Number.NaN;
    }
    if (revenue[i]! > 0) {
      isPurchase[i] = 1;
      prevPurchaseAt[i] = lastPurchase;
      lastPurchase = time[i]!;
      margins.purchaseRevenue += revenue[i]!;
      if (margin[i] !== margin[i]) {
        margins.withoutMargin++;
        margins.revenueWithoutMargin += revenue[i]!;
      }
    } else {
      prevPurchaseAt[i] = Number.NaN;
    }
  }
  return margins;
}

/** Sorts the rows `a..b` of parallel columns in place with a comparator over row indexes. */
function permuteRows(columns: readonly (Int32Array | Float64Array | Uint8Array)[], a: number, b: number, compare: (x: number, y: number) => number): void {
  const index = Array.from({ length: b - a }, (_, k) => a + k);
  index.sort(compare);
  for (const values of columns) {
    const copy = index.map((i) => values[i]!);
    for (let k = 0; k < copy.length; k++) values[a + k] = copy[k]!;
  }
}

/** Writes c over each customer's row range `start[c]` to `start[c + 1]` (the customer column of sorted rows). */
function fillRanges(start: Int32Array, out: Int32Array): void {
  for (let c = 0; c + 1 < start.length; c++) out.fill(c, start[c]!, start[c + 1]!);
}

// `out[slot[i]] = values[i]` for every row, once per array kind: one generic function saw three kinds,
// went polymorphic and cost 3× more in Chromium (0.5 s of the 1m build).
function scatterInt32(values: Int32Array, slot: Int32Array, out: Int32Array): void {
  for (let i = 0; i < values.length; i++) out[slot[i]!] = values[i]!;
}
function scatterFloat64(values: Float64Array, slot: Int32Array, out: Float64Array): void {
  for (let i = 0; i < values.length; i++) out[slot[i]!] = values[i]!;
}
function scatterUint8(values: Uint8Array, slot: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < values.length; i++) out[slot[i]!] = values[i]!;
}

/** Maps a row of the concatenated parts back to its source and line. */
function rowSources(parts: readonly (OrdersPart | CustomersPart)[]): (row: number) => { source: string; line: number } {
  const ends: number[] = [];
  let total = 0;
  for (const p of parts) {
    total += p.line.length;
    ends.push(total);
  }
  return (row) => {
    let k = 0;
    while (ends[k]! <= row) k++;
    const part = parts[k]!;
    const offset = k === 0 ? 0 : ends[k - 1]!;
    return { source: part.report.name, line: part.line[row - offset]! };
  };
}

/** The touch rows of every touch part, in input order, with canonical codes: what `sortTouches` orders. */
export type TouchRows = Omit<TouchesColumns, 'count' | 'day'>;

/** The touches table and how many touches repeat another one exactly. */
export interface BuiltTouches {
  columns: TouchesColumns;
  /** Each customer's touches: rows `start[c]` to `start[c + 1]`. */
  start: Int32Array;
  duplicates: number;
}

function touchRows(parts: readonly TouchesPart[], customerRemaps: Int32Array[], channelRemaps: Int32Array[], campaignRemaps: Int32Array[]): TouchRows {
  return {
    customer: concatInt32(parts.map((p, k) => remapCodes(p.customer, customerRemaps[k]!))),
    channel: concatInt32(parts.map((p, k) => remapCodes(p.channel, channelRemaps[k]!))),
    campaign: concatInt32(parts.map((p, k) => remapCodes(p.campaign, campaignRemaps[k]!))),
    sentAt: concatFloat64(parts.map((p) => p.sentAt)),
    openedAt: concatFloat64(parts.map((p) => p.openedAt)),
    clickedAt: concatFloat64(parts.map((p) => p.clickedAt)),
    group: concatUint8(parts.map((p) => p.group)),
    cost: concatFloat64(parts.map((p) => p.cost)),
  };
}

/**
 * The touches table from the touch rows. It needs nothing else of the build, so it may run in a helper
 * worker (hence the zone by name; the rows come last, as the helper's call transfers its last argument).
 */
export function sortTouches(nCustomers: number, timezone: string, rows: TouchRows): BuiltTouches {
  const zone = TimeZone.get(timezone);
  const { customer, channel, campaign, sentAt, openedAt, clickedAt, group, cost } = rows;
  const n = customer.length;
  const columns: TouchesColumns = {
    count: n,
    customer: new Int32Array(n),
    channel: new Int32Array(n),
    campaign: new Int32Array(n),
    sentAt: new Float64Array(n),
    openedAt: new Float64Array(n),
    clickedAt: new Float64Array(n),
    group: new Uint8Array(n),
    cost: new Float64Array(n),
    day: new Int32Array(n),
  };
  // Canonical order: customer, then sent time, channel, campaign, group, the other times, cost. As for
  // orders, rows are scattered to their customer's slot range column by column (sequential reads;
  // a gather through a sorted permutation, all columns at once, was most of this build), with the day
  // numbers computed in input order (usually time order, where the zone's offset cache hits); then
  // the customer ranges not already in that order are sorted.
  const day = new Int32Array(n);
  zone.daysOf(sentAt, day);
  const start = new Int32Array(nCustomers + 1);
  for (let i = 0; i < n; i++) start[customer[i]! + 1]!++;
  for (let c = 0; c < nCustomers; c++) start[c + 1]! += start[c]!;
  const slot = new Int32Array(n);
  const next = start.slice(0, nCustomers);
  for (let i = 0; i < n; i++) slot[i] = next[customer[i]!]!++;
  fillRanges(start, columns.customer);
  scatterInt32(channel, slot, columns.channel);
  scatterInt32(campaign, slot, columns.campaign);
  scatterFloat64(sentAt, slot, columns.sentAt);
  scatterFloat64(openedAt, slot, columns.openedAt);
  scatterFloat64(clickedAt, slot, columns.clickedAt);
  scatterUint8(group, slot, columns.group);
  scatterFloat64(cost, slot, columns.cost);
  scatterInt32(day, slot, columns.day);
  const { channel: tChannel, campaign: tCampaign, sentAt: tSent, openedAt: tOpened, clickedAt: tClicked, group: tGroup, cost: tCost } = columns;
  const touchWithin = (a: number, b: number): number =>
    cmp(tSent[a]!, tSent[b]!) ||
    tChannel[a]! - tChannel[b]! ||
    tCampaign[a]! - tCampaign[b]! ||
    tGroup[a]! - tGroup[b]! ||
    cmp(tOpened[a]!, tOpened[b]!) ||
    cmp(tClicked[a]!, tClicked[b]!) ||
    cmp(tCost[a]!, tCost[b]!);
  for (let c = 0; c < nCustomers; c++) {
    const a = start[c]!;
    const b = start[c + 1]!;
    let sorted = true;
    // strictly increasing sent times settle a pair without the comparator
    for (let i = a + 1; i < b && sorted; i++) if (!(tSent[i - 1]! < tSent[i]!) && touchWithin(i - 1, i) > 0) sorted = false;
    if (!sorted) permuteRows([columns.channel, columns.campaign, tSent, tOpened, tClicked, tGroup, tCost, columns.day], a, b, touchWithin);
  }
  let duplicates = 0;
  for (let i = 1; i < n; i++) {
    if (tSent[i - 1] !== tSent[i] || columns.customer[i - 1] !== columns.customer[i]) continue;
    if (
      tChannel[i - 1] === tChannel[i] &&
      tCampaign[i - 1] === tCampaign[i] &&
      tGroup[i - 1] === tGroup[i] &&
      Object.is(tOpened[i - 1], tOpened[i]) &&
      Object.is(tClicked[i - 1], tClicked[i])
    ) {
      duplicates++;
    }
  }
  return { columns, start, duplicates };
}

function buildCosts(
  parts: readonly CostsPart[],
  channelRemaps: Int32Array[],
  campaignRemaps: Int32Array[],
  kindRemaps: Int32Array[],
  zone: TimeZone,
): CostsColumns {
  const channel = concatInt32(parts.map((p, k) => remapCodes(p.channel, channelRemaps[k]!)));
  const campaign = concatInt32(parts.map((p, k) => remapCodes(p.campaign, campaignRemaps[k]!)));
  const kind = concatInt32(parts.map((p, k) => remapCodes(p.kind, kindRemaps[k]!)));
  const date = concatFloat64(parts.map((p) => p.date));
  const amount = concatFloat64(parts.map((p) => p.amount));
  const n = channel.length;
  const perm = Array.from({ length: n }, (_, i) => i);
  perm.sort(
    (a, b) =>
      cmp(date[a]!, date[b]!) ||
      channel[a]! - channel[b]! ||
      campaign[a]! - campaign[b]! ||
      kind[a]! - kind[b]! ||
      cmp(amount[a]!, amount[b]!),
  );
  const columns: CostsColumns = {
    count: n,
    channel: new Int32Array(n),
    campaign: new Int32Array(n),
    kind: new Int32Array(n),
    date: new Float64Array(n),
    day: new Int32Array(n),
    amount: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = perm[i]!;
    columns.channel[i] = channel[s]!;
    columns.campaign[i] = campaign[s]!;
    columns.kind[i] = kind[s]!;
    columns.date[i] = date[s]!;
    columns.day[i] = zone.dayOf(date[s]!);
    columns.amount[i] = amount[s]!;
  }
  return columns;
}

/**
 * Customer attributes per customer code. Rows repeating a customer merge when they agree (an empty
 * value agrees with anything); when they disagree, every row of that customer is rejected and the
 * customer's attributes are unknown, whatever order the rows came in.
 */
function buildAttributes(
  parts: readonly CustomersPart[],
  customerCodes: Int32Array[],
  nCustomers: number,
  customers: string[],
  rejections: BuildRejections,
): { attributes: AttributeColumn[]; duplicateRows: number } {
  const names: string[] = [];
  for (const p of parts) for (const a of p.attributes) if (!names.includes(a.name)) names.push(a.name);
  const attributes: AttributeColumn[] = [];
  const rowsPerCustomer = new Int32Array(nCustomers);
  for (const codes of customerCodes) for (let i = 0; i < codes.length; i++) rowsPerCustomer[codes[i]!]!++;
  const conflict = new Uint8Array(nCustomers);
  const unions = names.map((name) =>
    mergeSorted(parts.map((p) => p.attributes.find((a) => a.name === name)?.values ?? [])),
  );
  const valuesByName = names.map((_, k) => {
    const values = new Int32Array(nCustomers).fill(-1);
    parts.forEach((p, pk) => {
      const attribute = p.attributes.find((a) => a.name === names[k]);
      if (attribute === undefined) return;
      const remap = unions[k]!.remaps[pk]!;
      const codes = customerCodes[pk]!;
      for (let i = 0; i < codes.length; i++) {
        const v = attribute.codes[i]!;
        if (v < 0) continue;
        const g = codes[i]!;
        const value = remap[v]!;
        const current = values[g]!;
        if (current === -1) values[g] = value;
        else if (current !== value) conflict[g] = 1;
      }
    });
    return values;
  });
  let duplicateRows = 0;
  for (let g = 0; g < nCustomers; g++) {
    if (rowsPerCustomer[g]! > 1 && conflict[g] === 0) duplicateRows += rowsPerCustomer[g]! - 1;
  }
  const sourceOf = rowSources(parts);
  let offset = 0;
  customerCodes.forEach((codes) => {
    for (let i = 0; i < codes.length; i++) {
      const g = codes[i]!;
      if (conflict[g] === 0) continue;
      const { source, line } = sourceOf(offset + i);
      addRejection(rejections, {
        source,
        line,
        column: 'customer_id',
        value: customers[g]!,
        reason: 'duplicate-customer',
        message: `customer ${customers[g]} appears ${rowsPerCustomer[g]} times with different attributes; its attributes are unknown`,
      });
    }
    offset += codes.length;
  });
  names.forEach((name, k) => {
    const codes = valuesByName[k]!;
    for (let g = 0; g < nCustomers; g++) if (conflict[g] === 1) codes[g] = -1;
    attributes.push({ name, values: unions[k]!.values, codes });
  });
  return { attributes, duplicateRows };
}

/**
 * The per-customer index. The row ranges come from the builds (each sorted its rows into customer
 * ranges), so only the first purchases need a pass.
 */
function buildIndex(orders: OrdersColumns, orderStart: Int32Array, touchStart: Int32Array, nCustomers: number): CustomerIndex {
  const firstPurchase = new Int32Array(nCustomers).fill(-1);
  const firstPurchaseAt = new Float64Array(nCustomers).fill(Number.NaN);
  const purchases = new Int32Array(nCustomers);
  const { isPurchase, time } = orders;
  for (let c = 0; c < nCustomers; c++) {
    for (let i = orderStart[c]!; i < orderStart[c + 1]!; i++) {
      if (isPurchase[i] === 0) continue;
      if (firstPurchase[c] === -1) {
        firstPurchase[c] = i;
        firstPurchaseAt[c] = time[i]!;
      }
      purchases[c]!++;
    }
  }
  return { orderStart, touchStart, firstPurchase, firstPurchaseAt, purchases };
}

function mergeReports(
  table: TableName,
  sources: SourceReport[],
  extra: BuildRejections,
): Omit<TableReport, 'dateRange' | 'distinctCustomers'> {
  const rejections: Rejection[] = [];
  const byReason: Partial<Record<RejectReason, number>> = {};
  let read = 0;
  let accepted = 0;
  let rejected = 0;
  const warnings: string[] = [];
  for (const s of sources) {
    read += s.rowsRead;
    accepted += s.rowsAccepted;
    rejected += s.rowsRejected;
    for (const r of s.rejections) if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push(r);
    for (const [reason, count] of Object.entries(s.rejectedByReason)) {
      byReason[reason as RejectReason] = (byReason[reason as RejectReason] ?? 0) + count;
    }
    for (const w of s.warnings) warnings.push(`${s.name}: ${w}`);
  }
  for (const r of extra.listed) if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push(r);
  for (const [reason, count] of Object.entries(extra.byReason)) {
    byReason[reason as RejectReason] = (byReason[reason as RejectReason] ?? 0) + count;
  }
  return {
    table,
    sources,
    rowsRead: read,
    rowsAccepted: accepted - extra.count,
    rowsRejected: rejected + extra.count,
    rejections,
    rejectedByReason: byReason,
    warnings,
  };
}

function buildReport(columns: DatasetColumns, byTable: PartsByTable, others: BuiltOthers, duplicateTouches: number, loadedAt: number): DatasetReport {
  const { orders, orderRejections, customerRejections, duplicateCustomerRows, customerCodes } = others;
  const tables: Partial<Record<TableName, TableReport>> = {};
  const nCustomers = columns.dictionaries.customers.length;
  const { orders: o, touches: t, costs: c, index } = columns;
  // Per-customer facts come from the index (200k customers rather than 2M touches); each pass over
  // rows is a function of one loop, made once and shared by the table reports.
  const hasOrders = nonEmptyRanges(index.orderStart);
  const hasTouches = nonEmptyRanges(index.touchStart);
  const touchesPerChannel = countCodes(t.channel, columns.dictionaries.channels.length);
  const orderRange = rangeOf(o.time);
  const touchRange = rangeOf(t.sentAt);
  const warnings: string[] = [];
  for (const table of TABLE_NAMES) {
    const sources = (byTable[table] as readonly TablePart[]).map((p) => p.report);
    if (sources.length === 0) continue;
    const extra = table === 'orders' ? orderRejections : table === 'customers' ? customerRejections : emptyRejections();
    const base = mergeReports(table, sources, extra);
    const report: TableReport = { ...base, dateRange: null, distinctCustomers: 0 };
    if (table === 'orders') {
      report.dateRange = orderRange;
      report.distinctCustomers = sumUint8(hasOrders);
      const net = sumFloat64(o.revenue);
      let purchases = 0;
      let withPurchases = 0;
      let withoutTouches = 0;
      for (let k = 0; k < nCustomers; k++) {
        purchases += index.purchases[k]!;
        if (index.purchases[k]! > 0) withPurchases++;
        if (hasOrders[k] === 1 && hasTouches[k] === 0) withoutTouches++;
      }
      // purchases whose margin is unknown, and their revenue: the widgets say so (metrics.md, "Margin")
      const { purchaseRevenue, withoutMargin, revenueWithoutMargin } = orders.margins;
      report.orders = {
        orders: o.count,
        purchases,
        adjustments: o.count - purchases,
        lineItemRows: orders.lineItemRows,
        conflictingOrders: orders.conflictingOrders,
        rowsWithoutMargin: orders.rowsWithoutMargin,
        purchasesWithoutMargin: withoutMargin,
        purchaseRevenueWithoutMargin: revenueWithoutMargin,
        purchaseRevenue,
        customersWithPurchases: withPurchases,
        customersWithoutTouches: byTable.touches.length > 0 ? withoutTouches : null,
        netRevenue: net,
      };
    } else if (table === 'touches') {
      report.dateRange = touchRange;
      report.distinctCustomers = sumUint8(hasTouches);
      const holdout = sumUint8(t.group);
      let withoutOrders = 0;
      for (let k = 0; k < nCustomers; k++) if (hasTouches[k] === 1 && hasOrders[k] === 0) withoutOrders++;
      report.touches = {
        channels: columns.dictionaries.channels
          .map((channel, k) => ({ channel, touches: touchesPerChannel[k]! }))
          .filter((x) => x.touches > 0),
        campaigns: countDistinct(t.campaign, columns.dictionaries.campaigns.length),
        treatment: t.count - holdout,
        holdout,
        duplicates: duplicateTouches,
        customersWithoutOrders: withoutOrders,
      };
      if (duplicateTouches > 0) {
        report.warnings.push(`${duplicateTouches} touches repeat another touch exactly; they were kept and count twice in attribution.`);
      }
    } else if (table === 'costs') {
      report.dateRange = rangeOf(c.date);
      const costChannels = new Uint8Array(columns.dictionaries.channels.length);
      let total = 0;
      for (let i = 0; i < c.count; i++) {
        costChannels[c.channel[i]!] = 1;
        total += c.amount[i]!;
      }
      const channels = columns.dictionaries.channels.filter((_, k) => costChannels[k] === 1);
      const without = columns.dictionaries.channels.filter((_, k) => costChannels[k] === 1 && touchesPerChannel[k] === 0);
      report.costs = { total, channels, channelsWithoutTouches: t.count > 0 ? without : [] };
      if (t.count > 0 && without.length > 0) {
        report.warnings.push(`costs for ${without.join(', ')} have no touches on that channel; their spend has no attributed revenue.`);
      }
    } else {
      const seen = new Uint8Array(nCustomers);
      let distinct = 0;
      let withoutOrders = 0;
      for (const codes of customerCodes) {
        for (let i = 0; i < codes.length; i++) {
          const g = codes[i]!;
          if (seen[g] === 1) continue;
          seen[g] = 1;
          distinct++;
          if (hasOrders[g] === 0) withoutOrders++;
        }
      }
      report.distinctCustomers = distinct;
      report.customers = {
        attributes: columns.attributes.map((a) => a.name),
        duplicateRows: duplicateCustomerRows,
        withoutOrders,
      };
    }
    tables[table] = report;
  }
  let dateRange: TimeRange | null = orderRange ?? touchRange;
  if (orderRange !== null && touchRange !== null) {
    dateRange = { min: Math.min(orderRange.min, touchRange.min), max: Math.max(orderRange.max, touchRange.max) };
  }
  if (tables.touches !== undefined && tables.touches.touches !== undefined && tables.touches.touches.customersWithoutOrders > 0) {
    warnings.push(`${tables.touches.touches.customersWithoutOrders} customers have touches but no orders; they count as recipients who did not buy.`);
  }
  return {
    timezone: columns.timezone,
    currency: columns.currency,
    tables,
    customers: nCustomers,
    dateRange,
    loadedAt,
    buildMs: 0,
    warnings,
  };
}

/**
 * The touch parts to keep for the next load, made from the built touches and the reports of the touch
 * parts they were built from. The dataset keeps its sources' parts so that a later load (append, or
 * replace of another table) can rebuild, but the built touches are exactly the touch parts' rows
 * re-sorted, so keeping both held the largest table twice (about 100 MB at 2M touches). The first
 * touch part is given the built columns instead, with dictionaries cut to the values those rows use (a
 * rebuild must not see a customer or channel only another table named); the other touch parts keep
 * their reports and no rows. A rebuild sorts the rows again, so the order and split of rows among
 * touch parts does not matter. The engine makes them only when a later load needs them: the cut
 * dictionaries cost a pass over every touch (65-106 ms of the commit at 1m in Chromium) that a commit
 * need not wait for.
 */
export function touchPartsOf(reports: readonly SourceReport[], columns: DatasetColumns): TouchesPart[] {
  if (reports.length === 0) return [];
  const t = columns.touches;
  const customers = usedValues(columns.dictionaries.customers, t.customer);
  const channels = usedValues(columns.dictionaries.channels, t.channel);
  const campaigns = usedValues(columns.dictionaries.campaigns, t.campaign);
  const none = new Float64Array(0);
  return reports.map((report, k) => {
    const first = k === 0;
    return {
      table: 'touches',
      report,
      customers: first ? customers.values : [],
      customer: first ? customers.codes : new Int32Array(0),
      channels: first ? channels.values : [],
      channel: first ? channels.codes : new Int32Array(0),
      campaigns: first ? campaigns.values : [],
      campaign: first ? campaigns.codes : new Int32Array(0),
      sentAt: first ? t.sentAt : none,
      openedAt: first ? t.openedAt : none,
      clickedAt: first ? t.clickedAt : none,
      group: first ? t.group : new Uint8Array(0),
      cost: first ? t.cost : none,
    } satisfies TouchesPart;
  });
}

/** The values of `dictionary` that `codes` use, and the codes renumbered to them (the same array when all are used). -1 stays -1. */
function usedValues(dictionary: readonly string[], codes: Int32Array): { values: string[]; codes: Int32Array } {
  const renumber = new Int32Array(dictionary.length).fill(-1);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) renumber[c] = 0;
  }
  const values: string[] = [];
  for (let c = 0; c < dictionary.length; c++) {
    if (renumber[c] === 0) {
      renumber[c] = values.length;
      values.push(dictionary[c]!);
    }
  }
  if (values.length === dictionary.length) return { values, codes };
  return { values, codes: remapCodes(codes, renumber) };
}
