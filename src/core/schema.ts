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
  /** Column names recognised automatically, compared after lower-casing and removing non-alphanumerics. */
  readonly synonyms: readonly string[];
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
    { name: 'customer_id', kind: 'id', required: true, synonyms: CUSTOMER_SYNONYMS },
    {
      name: 'ordered_at',
      kind: 'timestamp',
      required: true,
      synonyms: [
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
    },
    {
      name: 'revenue',
      kind: 'money',
      required: true,
      synonyms: [
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
    },
    {
      name: 'quantity',
      kind: 'number',
      required: false,
      synonyms: ['quantity', 'qty', 'units', 'item_quantity', 'lineitem_quantity', 'quantity_ordered'],
    },
    {
      name: 'unit_price',
      kind: 'money',
      required: false,
      synonyms: ['unit_price', 'unitprice', 'price', 'item_price', 'lineitem_price', 'price_each', 'price_per_unit'],
    },
    {
      name: 'order_id',
      kind: 'id',
      required: false,
      synonyms: [
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
    },
    {
      name: 'margin',
      kind: 'money',
      required: false,
      synonyms: ['margin', 'gross_margin', 'contribution_margin', 'profit', 'gross_profit'],
    },
    {
      name: 'cost',
      kind: 'money',
      required: false,
      synonyms: ['cost', 'cogs', 'cost_of_goods', 'cost_of_goods_sold', 'product_cost'],
    },
    {
      name: 'discount',
      kind: 'money',
      required: false,
      synonyms: ['discount', 'discounts', 'discount_amount', 'total_discount', 'total_discounts'],
    },
    { name: 'currency', kind: 'text', required: false, synonyms: ['currency', 'currency_code', 'curr'] },
  ],
  touches: [
    { name: 'customer_id', kind: 'id', required: true, synonyms: CUSTOMER_SYNONYMS },
    {
      name: 'channel',
      kind: 'label',
      required: true,
      synonyms: ['channel', 'medium', 'message_type', 'channel_type', 'channel_name'],
    },
    {
      name: 'sent_at',
      kind: 'timestamp',
      required: true,
      synonyms: [
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
    },
    {
      name: 'campaign',
      kind: 'text',
      required: false,
      synonyms: ['campaign', 'campaign_name', 'campaign_id', 'flow', 'flow_name', 'message_name', 'journey'],
    },
    {
      name: 'opened_at',
      kind: 'timestamp',
      required: false,
      synonyms: ['opened_at', 'open_time', 'first_open', 'first_opened_at', 'opened', 'open_date'],
    },
    {
      name: 'clicked_at',
      kind: 'timestamp',
      required: false,
      synonyms: ['clicked_at', 'click_time', 'first_click', 'first_clicked_at', 'clicked', 'click_date'],
    },
    {
      name: 'group',
      kind: 'group',
      required: false,
      synonyms: ['group', 'test_group', 'ab_group', 'experiment_group', 'variant', 'assignment', 'holdout_group'],
    },
    { name: 'cost', kind: 'money', required: false, synonyms: ['cost', 'message_cost', 'send_cost', 'fee'] },
  ],
  costs: [
    {
      name: 'date',
      kind: 'timestamp',
      required: true,
      synonyms: ['date', 'day', 'spend_date', 'cost_date', 'period', 'period_start', 'week', 'month'],
    },
    { name: 'channel', kind: 'label', required: true, synonyms: ['channel', 'medium', 'channel_name'] },
    { name: 'campaign', kind: 'text', required: false, synonyms: ['campaign', 'campaign_name', 'campaign_id'] },
    {
      name: 'amount',
      kind: 'money',
      required: true,
      synonyms: ['amount', 'cost', 'spend', 'spent', 'total', 'value', 'costs'],
    },
    { name: 'kind', kind: 'text', required: false, synonyms: ['kind', 'type', 'cost_type', 'category'] },
  ],
  customers: [{ name: 'customer_id', kind: 'id', required: true, synonyms: CUSTOMER_SYNONYMS }],
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
