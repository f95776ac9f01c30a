/**
 * Seeded sample CRM data: realistic enough to exercise every metric, reproducible byte for byte.
 *
 * - Customers arrive over the period (more later: the shop grows), with a skewed purchase frequency
 *   (log-normal rate), churn, weekly and yearly seasonality (November–December peak).
 * - Orders are line items (quantity × unit price, discount, cost of goods); about 5% get a refund row
 *   later (its own order id, negative revenue).
 * - Touches on email, sms, push and in_app with campaign names, opens and clicks. About 10% of customers
 *   are a global holdout: their touches are recorded with group "holdout" and never sent, and they do
 *   not get the extra purchases that sent messages cause, so they really convert less.
 * - Costs per day, channel and campaign (platform fees, incentives, monthly creative), plus a
 *   per-message cost on SMS touches.
 *
 * Money is generated in integer cents, so every written amount is exact.
 */
import { Random, cumulative } from './random.js';
import { MS_PER_DAY, MS_PER_HOUR, civilFromDays, daysFromCivil, formatDay, formatIsoUtc } from './time.js';

/** Options of the sample generator. */
export interface SampleOptions {
  /** Order rows (line items and refund rows) to generate, exactly. Default 10,000. */
  orders?: number;
  /** Seed; the same seed gives the same data. Default 42. */
  seed?: number;
  /** First day, `YYYY-MM-DD`. Default `2023-01-01`. */
  start?: string;
  /** Length in months. Default 24. */
  months?: number;
  /** Share of customers in the global holdout. Default 0.1. */
  holdoutShare?: number;
}

/** Channels of the sample, in code order. */
export const SAMPLE_CHANNELS = ['email', 'sms', 'push', 'in_app'] as const;

const CHANNEL_WEIGHTS = cumulative([0.56, 0.18, 0.16, 0.1]);
const OPEN_RATE = [0.38, 0, 0.12, 0.25];
const CLICK_RATE_OPENED = [0.14, 0, 0.3, 0.2];
const CLICK_RATE_UNOPENED = [0, 0.09, 0, 0];
/** Probability that a sent touch causes an extra purchase, without / with a click. */
const LIFT = [0.012, 0.02, 0.008, 0.01];
const LIFT_CLICKED = [0.09, 0.1, 0.06, 0.07];
/** Per-message cost in 1/10,000 of the currency unit (SMS fee). */
const TOUCH_COST = [0, 79, 0, 0];

interface Campaign {
  name: string;
  channel: number;
  /** Months (1..12) in which it runs; empty = all year. */
  months: number[];
  /** Relative frequency. */
  weight: number;
  /** Incentive cost per send day in cents per 10k customers (discount budget), 0 for none. */
  incentive: number;
}

const CAMPAIGNS: Campaign[] = [
  { name: 'newsletter', channel: 0, months: [], weight: 10, incentive: 0 },
  { name: 'welcome_series', channel: 0, months: [], weight: 3, incentive: 0 },
  { name: 'abandoned_cart', channel: 0, months: [], weight: 4, incentive: 0 },
  { name: 'post_purchase', channel: 0, months: [], weight: 3, incentive: 0 },
  { name: 'winback', channel: 0, months: [], weight: 2, incentive: 1500 },
  { name: 'spring_sale', channel: 0, months: [3, 4], weight: 6, incentive: 4000 },
  { name: 'summer_sale', channel: 0, months: [7, 8], weight: 6, incentive: 4000 },
  { name: 'black_friday', channel: 0, months: [11], weight: 12, incentive: 9000 },
  { name: 'holiday_gift_guide', channel: 0, months: [12], weight: 8, incentive: 2000 },
  { name: 'flash_sale_sms', channel: 1, months: [], weight: 4, incentive: 2500 },
  { name: 'abandoned_cart_sms', channel: 1, months: [], weight: 3, incentive: 0 },
  { name: 'black_friday_sms', channel: 1, months: [11], weight: 10, incentive: 3000 },
  { name: 'back_in_stock_sms', channel: 1, months: [], weight: 2, incentive: 0 },
  { name: 'app_promo_push', channel: 2, months: [], weight: 4, incentive: 1000 },
  { name: 'price_drop_push', channel: 2, months: [], weight: 3, incentive: 0 },
  { name: 'cart_reminder_push', channel: 2, months: [], weight: 3, incentive: 0 },
  { name: 'onboarding_in_app', channel: 3, months: [], weight: 3, incentive: 0 },
  { name: 'loyalty_in_app', channel: 3, months: [], weight: 3, incentive: 1200 },
];

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'CA', 'AU', 'NL', 'ES', 'IT', 'SE'];
const COUNTRY_WEIGHTS = cumulative([40, 15, 12, 8, 7, 5, 4, 3, 3, 3]);
const SOURCES = ['organic', 'paid_search', 'social', 'referral', 'email_signup'];
const SOURCE_WEIGHTS = cumulative([35, 25, 20, 10, 10]);
const KINDS = ['platform', 'messaging', 'incentive', 'labor', 'creative', 'other'];
const PRODUCTS = 240;

/** Columnar sample orders (one row per line item or refund). */
export interface SampleOrders {
  count: number;
  /** Order number; refund rows have their own. */
  orderNo: Int32Array;
  /** 1 for a refund row (order id `R…`). */
  refund: Uint8Array;
  customer: Int32Array;
  time: Float64Array;
  sku: Int32Array;
  quantity: Int32Array;
  /** Unit price in cents (what the customer paid per unit, after discount). */
  priceCents: Int32Array;
  /** Discount granted on the row in cents. */
  discountCents: Int32Array;
  /** Cost of goods of the row in cents (negative on refunds: goods come back). */
  costCents: Int32Array;
}

/** Columnar sample touches. */
export interface SampleTouches {
  count: number;
  customer: Int32Array;
  /** Index into `SAMPLE_CHANNELS`. */
  channel: Uint8Array;
  /** Index into `campaigns`. */
  campaign: Int32Array;
  sentAt: Float64Array;
  openedAt: Float64Array;
  clickedAt: Float64Array;
  /** 0 treatment, 1 holdout. */
  group: Uint8Array;
  /** Per-touch cost in 1/10,000 units. */
  costMicros: Int32Array;
}

/** Columnar sample costs. */
export interface SampleCosts {
  count: number;
  day: Int32Array;
  channel: Uint8Array;
  /** Index into `campaigns`, or -1. */
  campaign: Int32Array;
  amountCents: Int32Array;
  /** Index into the cost kinds. */
  kind: Uint8Array;
}

/** Columnar sample customers. */
export interface SampleCustomers {
  count: number;
  ids: string[];
  country: Uint8Array;
  source: Uint8Array;
  /** 1 for the global holdout. */
  holdout: Uint8Array;
}

/** A generated dataset. */
export interface SampleDataset {
  options: Required<SampleOptions>;
  campaigns: string[];
  orders: SampleOrders;
  touches: SampleTouches;
  costs: SampleCosts;
  customers: SampleCustomers;
}

class Growable {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

function seasonality(day: number): number {
  const { month } = civilFromDays(day);
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
  const yearly = month === 11 ? 1.7 : month === 12 ? 1.5 : month === 1 ? 0.75 : month === 2 ? 0.8 : 1;
  const weekly = weekday >= 5 ? 1.15 : 0.94;
  return yearly * weekly;
}

function parseStart(start: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (m === null) throw new RangeError(`sample start must be YYYY-MM-DD, not "${start}"`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

function addMonths(day: number, months: number): number {
  const { year, month, day: d } = civilFromDays(day);
  const total = year * 12 + (month - 1) + months;
  return daysFromCivil(Math.floor(total / 12), (total % 12) + 1, d);
}

/** Generates a sample dataset. */
export function generateSample(options: SampleOptions = {}): SampleDataset {
  const opts: Required<SampleOptions> = {
    orders: options.orders ?? 10_000,
    seed: options.seed ?? 42,
    start: options.start ?? '2023-01-01',
    months: options.months ?? 24,
    holdoutShare: options.holdoutShare ?? 0.1,
  };
  if (!(opts.orders >= 1) || !Number.isInteger(opts.orders)) throw new RangeError('sample orders must be a positive integer');
  const rng = new Random(opts.seed);
  const firstDay = parseStart(opts.start);
  const endDay = addMonths(firstDay, opts.months);
  const startMs = firstDay * MS_PER_DAY;
  const endMs = endDay * MS_PER_DAY;
  const span = endMs - startMs;
  const targetRows = opts.orders;

  // catalogue: log-normal prices around $28, cost 35–60% of price
  const productPrice = new Int32Array(PRODUCTS);
  const productCost = new Int32Array(PRODUCTS);
  for (let p = 0; p < PRODUCTS; p++) {
    const price = Math.max(199, Math.round(Math.exp(Math.log(2800) + 0.75 * rng.normal()) / 100) * 100 - 1);
    productPrice[p] = price;
    productCost[p] = Math.round(price * (0.35 + 0.25 * rng.next()));
  }
  const productWeights = cumulative(Array.from({ length: PRODUCTS }, (_, p) => 1 / (p + 8)));
  const campaignWeightsByChannelMonth: number[][][] = SAMPLE_CHANNELS.map((_, ch) =>
    Array.from({ length: 13 }, (_, month) =>
      cumulative(CAMPAIGNS.map((c) => (c.channel === ch && (c.months.length === 0 || c.months.includes(month)) ? c.weight : 0))),
    ),
  );

  const oNo = new Growable(targetRows);
  const oRefund = new Growable(targetRows);
  const oCustomer = new Growable(targetRows);
  const oTime = new Growable(targetRows);
  const oSku = new Growable(targetRows);
  const oQty = new Growable(targetRows);
  const oPrice = new Growable(targetRows);
  const oDiscount = new Growable(targetRows);
  const oCost = new Growable(targetRows);
  const tCustomer = new Growable(targetRows * 2);
  const tChannel = new Growable(targetRows * 2);
  const tCampaign = new Growable(targetRows * 2);
  const tSent = new Growable(targetRows * 2);
  const tOpened = new Growable(targetRows * 2);
  const tClicked = new Growable(targetRows * 2);
  const tGroup = new Growable(targetRows * 2);
  const cCountry: number[] = [];
  const cSource: number[] = [];
  const cHoldout: number[] = [];
  let orderNo = 0;

  const addOrder = (customer: number, time: number, promo: boolean): void => {
    const no = ++orderNo;
    const lines = 1 + Math.min(5, Math.floor(rng.exponential(0.9)));
    const discounted = promo ? rng.chance(0.6) : rng.chance(0.12);
    let refundLine = -1;
    let refundAt = 0;
    if (rng.chance(0.05)) {
      refundAt = time + (2 + rng.int(28)) * MS_PER_DAY + rng.int(36000) * 1000;
      if (refundAt < endMs) refundLine = rng.int(lines);
    }
    for (let l = 0; l < lines; l++) {
      const sku = rng.pick(productWeights);
      const qty = rng.chance(0.82) ? 1 : rng.chance(0.75) ? 2 : 3;
      const list = productPrice[sku]!;
      const off = discounted ? Math.round(list * (rng.chance(0.5) ? 0.1 : 0.2)) : 0;
      oNo.push(no);
      oRefund.push(0);
      oCustomer.push(customer);
      oTime.push(time);
      oSku.push(sku);
      oQty.push(qty);
      oPrice.push(list - off);
      oDiscount.push(off * qty);
      oCost.push(productCost[sku]! * qty);
      if (l === refundLine) {
        oNo.push(no);
        oRefund.push(1);
        oCustomer.push(customer);
        oTime.push(refundAt);
        oSku.push(sku);
        oQty.push(-qty);
        oPrice.push(list - off);
        oDiscount.push(0);
        oCost.push(-productCost[sku]! * qty);
      }
    }
  };

  let customers = 0;
  while (oNo.length < targetRows) {
    const c = customers++;
    cCountry.push(rng.pick(COUNTRY_WEIGHTS));
    cSource.push(rng.pick(SOURCE_WEIGHTS));
    const holdout = rng.chance(opts.holdoutShare);
    cHoldout.push(holdout ? 1 : 0);
    // arrival: density grows over the period
    const arrival = startMs + Math.floor(Math.pow(rng.next(), 0.8) * span);
    const rate = Math.exp(Math.log(2.2) + 0.95 * rng.normal()) / 365 / MS_PER_DAY; // purchases per ms
    const lifetime = rng.exponential(420 * MS_PER_DAY);
    const churnAt = arrival + lifetime;
    // first purchase, then a thinned Poisson process of repeat purchases
    const purchaseTimes: number[] = [Math.min(arrival + rng.int(14) * MS_PER_HOUR, endMs - 60_000)];
    const maxRate = rate * 1.9;
    let t = arrival;
    for (;;) {
      t += rng.exponential(1 / maxRate);
      if (t >= endMs) break;
      const day = Math.floor(t / MS_PER_DAY);
      const alive = t < churnAt ? 1 : 0.05;
      if (rng.next() < (rate * seasonality(day) * alive) / maxRate) purchaseTimes.push(t);
    }
    // touches: about one a week while engaged, fewer after churn
    const touchRate = (0.12 + 0.29 * rng.next()) / (7 * MS_PER_DAY);
    const touchMax = touchRate * 1.5;
    t = arrival + MS_PER_DAY;
    const promoPurchases: number[] = [];
    for (;;) {
      t += rng.exponential(1 / touchMax);
      if (t >= endMs) break;
      const alive = t < churnAt + 120 * MS_PER_DAY ? 1 : 0.3;
      if (rng.next() >= alive / 1.5) continue;
      const day = Math.floor(t / MS_PER_DAY);
      const channel = rng.pick(CHANNEL_WEIGHTS);
      const month = civilFromDays(day).month;
      const campaign = rng.pick(campaignWeightsByChannelMonth[channel]![month]!);
      const sent = day * MS_PER_DAY + (9 + rng.int(11)) * MS_PER_HOUR + rng.int(60) * 60_000;
      if (sent >= endMs) break;
      let opened = Number.NaN;
      let clicked = Number.NaN;
      if (!holdout) {
        if (rng.chance(OPEN_RATE[channel]!)) {
          opened = sent + Math.round(rng.exponential(3 * MS_PER_HOUR) / 1000) * 1000;
          if (rng.chance(CLICK_RATE_OPENED[channel]!)) clicked = opened + Math.round(rng.exponential(600_000) / 1000) * 1000;
        } else if (rng.chance(CLICK_RATE_UNOPENED[channel]!)) {
          clicked = sent + Math.round(rng.exponential(20 * 60_000) / 1000) * 1000;
        }
        if (opened >= endMs) opened = Number.NaN;
        if (clicked >= endMs || Number.isNaN(opened) && !Number.isNaN(clicked) && channel !== 1) clicked = Number.NaN;
        const lift = Number.isNaN(clicked) ? LIFT[channel]! : LIFT_CLICKED[channel]!;
        if (rng.chance(lift)) {
          const base = Number.isNaN(clicked) ? sent : clicked;
          const when = base + Math.round(rng.exponential(1.2 * MS_PER_DAY) / 1000) * 1000;
          if (when < endMs) promoPurchases.push(when);
        }
      }
      tCustomer.push(c);
      tChannel.push(channel);
      tCampaign.push(campaign);
      tSent.push(sent);
      tOpened.push(opened);
      tClicked.push(clicked);
      tGroup.push(holdout ? 1 : 0);
    }
    for (const p of purchaseTimes) addOrder(c, Math.floor(p / 1000) * 1000, false);
    for (const p of promoPurchases) addOrder(c, p, true);
  }

  const orders = finishOrders(
    { oNo, oRefund, oCustomer, oTime, oSku, oQty, oPrice, oDiscount, oCost },
    targetRows,
  );
  const touches = finishTouches({ tCustomer, tChannel, tCampaign, tSent, tOpened, tClicked, tGroup });
  const ids = customerIds(customers, rng);
  const costs = generateCosts(rng, firstDay, endDay, customers, touches);
  return {
    options: opts,
    campaigns: CAMPAIGNS.map((c) => c.name),
    orders,
    touches,
    costs,
    customers: {
      count: customers,
      ids,
      country: Uint8Array.from(cCountry),
      source: Uint8Array.from(cSource),
      holdout: Uint8Array.from(cHoldout),
    },
  };
}

/**
 * Customer ids that do not follow arrival order: `C` and the digits of a scrambled number. Multiplying
 * by an odd constant modulo a power of two is a bijection, so the ids are unique.
 */
function customerIds(n: number, rng: Random): string[] {
  let bits = 24;
  while (2 ** bits < n) bits++;
  const mask = 2 ** bits - 1;
  const offset = rng.uint32() & mask;
  const width = String(mask).length;
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const scrambled = ((Math.imul(i, 0x9e3779b1) + offset) & mask) >>> 0;
    ids[i] = 'C' + String(scrambled).padStart(width, '0');
  }
  return ids;
}

/** Sorts rows by day, then time, then generation order (stable), and trims to `limit`. */
function timeOrder(time: Float64Array, length: number): Int32Array {
  const idx = Int32Array.from({ length }, (_, i) => i);
  const sorted = Array.from(idx).sort((a, b) => time[a]! - time[b]! || a - b);
  return Int32Array.from(sorted);
}

function finishOrders(
  g: Record<'oNo' | 'oRefund' | 'oCustomer' | 'oTime' | 'oSku' | 'oQty' | 'oPrice' | 'oDiscount' | 'oCost', Growable>,
  limit: number,
): SampleOrders {
  // trim in generation order (whole customers first), then order by time as exports are
  const n = Math.min(limit, g.oNo.length);
  const perm = timeOrder(g.oTime.data, n);
  const take = <T extends Int32Array | Float64Array | Uint8Array>(src: Growable, make: (n: number) => T): T => {
    const out = make(n);
    for (let i = 0; i < n; i++) out[i] = src.data[perm[i]!]!;
    return out;
  };
  return {
    count: n,
    orderNo: take(g.oNo, (k) => new Int32Array(k)),
    refund: take(g.oRefund, (k) => new Uint8Array(k)),
    customer: take(g.oCustomer, (k) => new Int32Array(k)),
    time: take(g.oTime, (k) => new Float64Array(k)),
    sku: take(g.oSku, (k) => new Int32Array(k)),
    quantity: take(g.oQty, (k) => new Int32Array(k)),
    priceCents: take(g.oPrice, (k) => new Int32Array(k)),
    discountCents: take(g.oDiscount, (k) => new Int32Array(k)),
    costCents: take(g.oCost, (k) => new Int32Array(k)),
  };
}

function finishTouches(g: Record<'tCustomer' | 'tChannel' | 'tCampaign' | 'tSent' | 'tOpened' | 'tClicked' | 'tGroup', Growable>): SampleTouches {
  const n = g.tCustomer.length;
  const perm = timeOrder(g.tSent.data, n);
  const take = <T extends Int32Array | Float64Array | Uint8Array>(src: Growable, make: (n: number) => T): T => {
    const out = make(n);
    for (let i = 0; i < n; i++) out[i] = src.data[perm[i]!]!;
    return out;
  };
  const channel = take(g.tChannel, (k) => new Uint8Array(k));
  const group = take(g.tGroup, (k) => new Uint8Array(k));
  const costMicros = new Int32Array(n);
  for (let i = 0; i < n; i++) costMicros[i] = group[i] === 0 ? TOUCH_COST[channel[i]!]! : 0;
  return {
    count: n,
    customer: take(g.tCustomer, (k) => new Int32Array(k)),
    channel,
    campaign: take(g.tCampaign, (k) => new Int32Array(k)),
    sentAt: take(g.tSent, (k) => new Float64Array(k)),
    openedAt: take(g.tOpened, (k) => new Float64Array(k)),
    clickedAt: take(g.tClicked, (k) => new Float64Array(k)),
    group,
    costMicros,
  };
}

function generateCosts(rng: Random, firstDay: number, endDay: number, customers: number, touches: SampleTouches): SampleCosts {
  // CRM programmes typically return 20–40× their cost; scale spend with the customer base
  const scale = Math.max(0.3, customers / 30_000);
  // campaign send days, for incentive costs
  const sendDays = new Set<number>();
  for (let i = 0; i < touches.count; i++) {
    if (touches.group[i] === 0) sendDays.add(touches.campaign[i]! * 100_000 + Math.floor(touches.sentAt[i]! / MS_PER_DAY) - firstDay);
  }
  const day: number[] = [];
  const channel: number[] = [];
  const campaign: number[] = [];
  const amount: number[] = [];
  const kind: number[] = [];
  const platformPerDay = [4000, 1200, 1500, 1000];
  for (let d = firstDay; d < endDay; d++) {
    const { day: dom } = civilFromDays(d);
    for (let ch = 0; ch < SAMPLE_CHANNELS.length; ch++) {
      day.push(d);
      channel.push(ch);
      campaign.push(-1);
      amount.push(Math.round(platformPerDay[ch]! * scale * (0.9 + 0.2 * rng.next())));
      kind.push(0);
      if (dom === 1) {
        day.push(d);
        channel.push(ch);
        campaign.push(-1);
        amount.push(Math.round(30000 * scale));
        kind.push(4);
      }
    }
    CAMPAIGNS.forEach((c, k) => {
      if (c.incentive === 0 || !sendDays.has(k * 100_000 + d - firstDay)) return;
      day.push(d);
      channel.push(c.channel);
      campaign.push(k);
      amount.push(Math.round(c.incentive * scale * (0.7 + 0.6 * rng.next())));
      kind.push(2);
    });
  }
  return {
    count: day.length,
    day: Int32Array.from(day),
    channel: Uint8Array.from(channel),
    campaign: Int32Array.from(campaign),
    amountCents: Int32Array.from(amount),
    kind: Uint8Array.from(kind),
  };
}

// ---------------------------------------------------------------------------------------------------
// Writers

/** Tables of a sample. */
export type SampleTable = 'orders' | 'touches' | 'costs' | 'customers';

/** Options of the text writers. */
export interface SampleWriteOptions {
  /** CSV delimiter. Default `,`. */
  delimiter?: string;
  /** Line break. Default `\n`. */
  newline?: string;
  /** Approximate characters per yielded chunk. Default 1 MB. */
  chunkChars?: number;
}

const dayText = new Map<number, string>();

/** ISO 8601 UTC text of an instant with whole seconds; the date part is cached per day. */
function isoSeconds(ms: number): string {
  const day = Math.floor(ms / MS_PER_DAY);
  let date = dayText.get(day);
  if (date === undefined) {
    if (dayText.size > 100_000) dayText.clear();
    date = formatDay(day);
    dayText.set(day, date);
  }
  let rest = ms - day * MS_PER_DAY;
  if (rest % 1000 !== 0) return formatIsoUtc(ms);
  rest /= 1000;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  return `${date}T${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}Z`;
}

function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  const frac = a % 100;
  return `${sign}${(a - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}

function micros(v: number): string {
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  const frac = String(a % 10000).padStart(4, '0');
  return `${sign}${Math.floor(a / 10000)}.${frac}`;
}

/** The columns each table is written with. */
export const SAMPLE_COLUMNS: Record<SampleTable, string[]> = {
  orders: ['order_id', 'customer_id', 'ordered_at', 'sku', 'quantity', 'unit_price', 'discount', 'cost'],
  touches: ['customer_id', 'channel', 'campaign', 'sent_at', 'opened_at', 'clicked_at', 'group', 'cost'],
  costs: ['date', 'channel', 'campaign', 'amount', 'kind'],
  customers: ['customer_id', 'country', 'acquisition_source'],
};

/** Values of row `i` of a table as strings ('' for empty), in `SAMPLE_COLUMNS` order. */
export function sampleRow(data: SampleDataset, table: SampleTable, i: number): string[] {
  switch (table) {
    case 'orders': {
      const o = data.orders;
      return [
        (o.refund[i] === 1 ? 'R' : 'O') + String(o.orderNo[i]!).padStart(8, '0'),
        data.customers.ids[o.customer[i]!]!,
        isoSeconds(o.time[i]!),
        'SKU-' + String(o.sku[i]! + 1).padStart(4, '0'),
        String(o.quantity[i]!),
        money(o.priceCents[i]!),
        money(o.discountCents[i]!),
        money(o.costCents[i]!),
      ];
    }
    case 'touches': {
      const t = data.touches;
      return [
        data.customers.ids[t.customer[i]!]!,
        SAMPLE_CHANNELS[t.channel[i]!]!,
        data.campaigns[t.campaign[i]!]!,
        isoSeconds(t.sentAt[i]!),
        Number.isNaN(t.openedAt[i]!) ? '' : isoSeconds(t.openedAt[i]!),
        Number.isNaN(t.clickedAt[i]!) ? '' : isoSeconds(t.clickedAt[i]!),
        t.group[i] === 1 ? 'holdout' : 'treatment',
        t.costMicros[i] === 0 ? '' : micros(t.costMicros[i]!),
      ];
    }
    case 'costs': {
      const c = data.costs;
      return [
        formatDay(c.day[i]!),
        SAMPLE_CHANNELS[c.channel[i]!]!,
        c.campaign[i]! < 0 ? '' : data.campaigns[c.campaign[i]!]!,
        money(c.amountCents[i]!),
        KINDS[c.kind[i]!]!,
      ];
    }
    case 'customers': {
      const c = data.customers;
      return [c.ids[i]!, COUNTRIES[c.country[i]!]!, SOURCES[c.source[i]!]!];
    }
  }
}

/** Number of rows of a table. */
export function sampleCount(data: SampleDataset, table: SampleTable): number {
  return data[table].count;
}

function csvField(value: string, delimiter: string): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return '"' + value.replaceAll('"', '""') + '"';
  }
  return value;
}

/** CSV text of a table, in chunks. */
export function* sampleCsv(data: SampleDataset, table: SampleTable, options: SampleWriteOptions = {}): Generator<string> {
  const delimiter = options.delimiter ?? ',';
  const newline = options.newline ?? '\n';
  const chunkChars = options.chunkChars ?? 1 << 20;
  let out = SAMPLE_COLUMNS[table].join(delimiter) + newline;
  const n = sampleCount(data, table);
  for (let i = 0; i < n; i++) {
    const row = sampleRow(data, table, i);
    let line = csvField(row[0]!, delimiter);
    for (let k = 1; k < row.length; k++) line += delimiter + csvField(row[k]!, delimiter);
    out += line + newline;
    if (out.length >= chunkChars) {
      yield out;
      out = '';
    }
  }
  if (out.length > 0) yield out;
}

/** Row `i` of a table as a JSON object (numbers as numbers, empty values left out). */
export function sampleObject(data: SampleDataset, table: SampleTable, i: number): Record<string, string | number> {
  const row = sampleRow(data, table, i);
  const out: Record<string, string | number> = {};
  SAMPLE_COLUMNS[table].forEach((column, k) => {
    const v = row[k]!;
    if (v === '') return;
    out[column] = NUMERIC_COLUMNS.has(`${table}.${column}`) ? Number(v) : v;
  });
  return out;
}

const NUMERIC_COLUMNS = new Set([
  'orders.quantity',
  'orders.unit_price',
  'orders.discount',
  'orders.cost',
  'touches.cost',
  'costs.amount',
]);

/** NDJSON text of a table, in chunks. */
export function* sampleNdjson(data: SampleDataset, table: SampleTable, options: SampleWriteOptions = {}): Generator<string> {
  const chunkChars = options.chunkChars ?? 1 << 20;
  let out = '';
  const n = sampleCount(data, table);
  for (let i = 0; i < n; i++) {
    out += JSON.stringify(sampleObject(data, table, i)) + '\n';
    if (out.length >= chunkChars) {
      yield out;
      out = '';
    }
  }
  if (out.length > 0) yield out;
}

/**
 * JSON text: an array of one table's objects, or (with several tables) one document
 * `{"orders": [...], "touches": [...], ...}`.
 */
export function* sampleJson(
  data: SampleDataset,
  tables: SampleTable | SampleTable[],
  options: SampleWriteOptions = {},
): Generator<string> {
  const chunkChars = options.chunkChars ?? 1 << 20;
  const list = Array.isArray(tables) ? tables : [tables];
  const document = Array.isArray(tables);
  let out = document ? '{' : '';
  for (let t = 0; t < list.length; t++) {
    const table = list[t]!;
    if (document) out += (t > 0 ? ',' : '') + JSON.stringify(table) + ':';
    out += '[';
    const n = sampleCount(data, table);
    for (let i = 0; i < n; i++) {
      out += (i > 0 ? ',\n' : '\n') + JSON.stringify(sampleObject(data, table, i));
      if (out.length >= chunkChars) {
        yield out;
        out = '';
      }
    }
    out += '\n]';
  }
  if (document) out += '}';
  yield out;
}

/** Rows of a table as plain objects (for the in-memory `data` input; small samples only). */
export function sampleObjects(data: SampleDataset, table: SampleTable): Record<string, string | number>[] {
  const n = sampleCount(data, table);
  const out = new Array<Record<string, string | number>>(n);
  for (let i = 0; i < n; i++) out[i] = sampleObject(data, table, i);
  return out;
}
