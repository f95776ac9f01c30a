/**
 * The data contract: the four input tables, their canonical fields, how each field is parsed, and the
 * column names that are recognised automatically. See docs (README "Data contract").
 */

/** The input tables of a dataset. */
export type TableName = 'orders' | 'touches' | 'costs' | 'customers';

/** Every table, in the order reports list them. */
export const TABLE_NAMES: readonly TableName[] = ['orders', 'touches', 'costs', 'customers'];

/**
 * How a field's text is read.
 * - `id`: trimmed text, case-sensitive (customer ids, order ids)
 * - `label`: trimmed, lower-cased text (channels)
 * - `text`: trimmed text (campaign names, cost kinds, currencies)
 * - `timestamp`: an instant (ISO 8601, date only, epoch, or slashed date)
 * - `money`: a number that may carry a currency symbol and thousands separators
 * - `number`: a plain number
 * - `group`: `treatment` (default) or `holdout` / `control`
 */
export type FieldKind = 'id' | 'label' | 'text' | 'timestamp' | 'money' | 'number' | 'group';

/** A canonical field of a table. */
export interface FieldSpec {
  /** Canonical name, as used in `columns` mappings. */
  readonly name: string;
  readonly kind: FieldKind;
  /** Whether a row without it is rejected. */
  readonly required: boolean;
}

const CUSTOMER_SYNONYMS = [
  'customer_id',
  'customerid',
  'customer',
  'customer_no',
  'customer_number',
  'customer_key',
  'client_id',
  'client',
  'user_id',
  'user',
  'userid',
  'buyer_id',
  'buyer',
  'contact_id',
  'member_id',
  'account_id',
  'profile_id',
  'person_id',
  'shopper_id',
  'subscriber_id',
  'recipient_id',
  'recipient',
  'external_id',
  'email',
  'customer_email',
  'email_address',
];

/** Canonical fields of each table, in the order they are validated. */
export const TABLE_FIELDS: Readonly<Record<TableName, readonly FieldSpec[]>> = {
  orders: [
    { name: 'customer_id', kind: 'id', required: true },
    { name: 'ordered_at', kind: 'timestamp', required: true },
    { name: 'revenue', kind: 'money', required: true },
    { name: 'quantity', kind: 'number', required: false },
    { name: 'unit_price', kind: 'money', required: false },
    { name: 'order_id', kind: 'id', required: false },
    { name: 'margin', kind: 'money', required: false },
    { name: 'cost', kind: 'money', required: false },
    { name: 'discount', kind: 'money', required: false },
    { name: 'currency', kind: 'text', required: false },
  ],
  touches: [
    { name: 'customer_id', kind: 'id', required: true },
    { name: 'channel', kind: 'label', required: true },
    { name: 'sent_at', kind: 'timestamp', required: true },
    { name: 'campaign', kind: 'text', required: false },
    { name: 'opened_at', kind: 'timestamp', required: false },
    { name: 'clicked_at', kind: 'timestamp', required: false },
    { name: 'group', kind: 'group', required: false },
    { name: 'cost', kind: 'money', required: false },
  ],
  costs: [
    { name: 'date', kind: 'timestamp', required: true },
    { name: 'channel', kind: 'label', required: true },
    { name: 'campaign', kind: 'text', required: false },
    { name: 'amount', kind: 'money', required: true },
    { name: 'kind', kind: 'text', required: false },
  ],
  customers: [{ name: 'customer_id', kind: 'id', required: true }],
};

/**
 * Column names recognised automatically for each field of `TABLE_FIELDS` (its own name first), compared
 * after lower-casing and removing non-alphanumerics (`columnKey`). Only the worker maps columns: these
 * lists are kept apart from `TABLE_FIELDS`, which the page reads to check `columns` mappings, so that
 * the page's bundle leaves them out.
 */
export const COLUMN_SYNONYMS: Readonly<Record<TableName, Readonly<Record<string, readonly string[]>>>> = {
  orders: {
    customer_id: CUSTOMER_SYNONYMS,
    ordered_at: [
      'ordered_at',
      'order_date',
      'order_datetime',
      'order_time',
      'invoice_date',
      'created_at',
      'purchased_at',
      'purchase_date',
      'transaction_date',
      'transaction_time',
      'placed_at',
      'processed_at',
      'paid_at',
      'date',
      'datetime',
      'timestamp',
      'time',
    ],
    revenue: [
      'revenue',
      'net_revenue',
      'amount',
      'total',
      'total_price',
      'total_amount',
      'order_total',
      'grand_total',
      'line_total',
      'net_amount',
      'net_sales',
      'sales',
      'subtotal',
      'value',
      'gmv',
      'turnover',
    ],
    quantity: ['quantity', 'qty', 'units', 'item_quantity', 'lineitem_quantity', 'quantity_ordered'],
    unit_price: ['unit_price', 'unitprice', 'price', 'item_price', 'lineitem_price', 'price_each', 'price_per_unit'],
    order_id: [
      'order_id',
      'order',
      'order_number',
      'order_no',
      'invoice',
      'invoice_no',
      'invoice_id',
      'invoice_number',
      'transaction_id',
      'receipt_id',
      'checkout_id',
    ],
    margin: ['margin', 'gross_margin', 'contribution_margin', 'profit', 'gross_profit'],
    cost: ['cost', 'cogs', 'cost_of_goods', 'cost_of_goods_sold', 'product_cost'],
    discount: ['discount', 'discounts', 'discount_amount', 'total_discount', 'total_discounts'],
    currency: ['currency', 'currency_code', 'curr'],
  },
  touches: {
    customer_id: CUSTOMER_SYNONYMS,
    channel: ['channel', 'medium', 'message_type', 'channel_type', 'channel_name'],
    sent_at: [
      'sent_at',
      'send_time',
      'sent_time',
      'sent_date',
      'send_date',
      'delivered_at',
      'scheduled_at',
      'sent',
      'created_at',
      'date',
      'datetime',
      'timestamp',
      'time',
    ],
    campaign: ['campaign', 'campaign_name', 'campaign_id', 'flow', 'flow_name', 'message_name', 'journey'],
    opened_at: ['opened_at', 'open_time', 'first_open', 'first_opened_at', 'opened', 'open_date'],
    clicked_at: ['clicked_at', 'click_time', 'first_click', 'first_clicked_at', 'clicked', 'click_date'],
    group: ['group', 'test_group', 'ab_group', 'experiment_group', 'variant', 'assignment', 'holdout_group'],
    cost: ['cost', 'message_cost', 'send_cost', 'fee'],
  },
  costs: {
    date: ['date', 'day', 'spend_date', 'cost_date', 'period', 'period_start', 'week', 'month'],
    channel: ['channel', 'medium', 'channel_name'],
    campaign: ['campaign', 'campaign_name', 'campaign_id'],
    amount: ['amount', 'cost', 'spend', 'spent', 'total', 'value', 'costs'],
    kind: ['kind', 'type', 'cost_type', 'category'],
  },
  customers: {
    customer_id: CUSTOMER_SYNONYMS,
  },
};

/** The canonical field names of a table. */
export function fieldNames(table: TableName): string[] {
  return TABLE_FIELDS[table].map((f) => f.name);
}

/** Column-name key used for synonym matching: lower case, letters and digits only. */
export function columnKey(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Cost kinds listed in the contract. Other values are kept as given. */
export const COST_KINDS: readonly string[] = ['platform', 'messaging', 'incentive', 'labor', 'creative', 'other'];

/** Touch group code of a treatment touch (the message was sent). */
export const GROUP_TREATMENT = 0;
/** Touch group code of a holdout touch (assigned, deliberately not sent). */
export const GROUP_HOLDOUT = 1;
