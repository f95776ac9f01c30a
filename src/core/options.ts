/**
 * Options of a dataset and of one source, and their validation. Validation happens on the main thread
 * (so a typo fails before any byte is read) and again in the worker (which trusts nobody).
 */
import { CrmError } from './errors.js';
import { TABLE_NAMES, fieldNames, type TableName } from './schema.js';
import { zoneName } from './time.js';

/** Per-table column mapping: canonical field name → the column name in the user's file. */
export type ColumnMapping = Partial<Record<TableName, Record<string, string>>>;

/** How slashed dates such as `01/03/2024` are read. ISO dates are always accepted. */
export type DateOrder = 'auto' | 'dmy' | 'mdy';

/** Decimal separator of numbers in text files. */
export type DecimalSeparator = '.' | ',';

/** Options that hold for a whole dataset. */
export interface DatasetOptions {
  /** IANA time zone in which values without an offset are read and periods are bucketed. Default `UTC`. */
  timezone?: string;
  /** ISO 4217 code of the dataset currency. Default: the currency the data declares, if any. */
  currency?: string;
  /**
   * Conversion rates into the dataset currency: `{ EUR: 1.08 }` means one EUR is 1.08 units of the
   * dataset currency. With rates, orders in several currencies are converted instead of rejected.
   */
  rates?: Record<string, number>;
  /** Decimal separator; `,` reads `1.234,56`. Default `.`. */
  decimal?: DecimalSeparator;
  /**
   * Order of slashed dates: `DD/MM/YYYY` (day first) or `MM/DD/YYYY` (month first); `auto` (default)
   * decides from the file and fails with an error when the file does not make it unambiguous.
   */
  dateFormat?: string;
  /** Explicit column names per table. */
  columns?: ColumnMapping;
}

/** Validated dataset options with defaults filled in. */
export interface ResolvedDatasetOptions {
  timezone: string;
  currency: string | null;
  rates: Record<string, number> | null;
  decimal: DecimalSeparator;
  dateOrder: DateOrder;
  columns: ColumnMapping;
}

/** Format of a source. */
export type SourceFormat = 'csv' | 'json' | 'ndjson';

/** Text encodings the kit reads. */
export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Options of one source (one file, URL or array). */
export interface SourceSpec {
  /** Display name: the file name or the URL without its query string. */
  name: string;
  /** Which table the source holds; `auto` detects it from the columns and the name. */
  table: TableName | 'auto';
  /** Format; `auto` detects it from the name and the first bytes. */
  format?: SourceFormat | 'auto';
  /** CSV delimiter; `auto` detects `,`, `;`, tab or `|`. */
  delimiter?: ',' | ';' | '\t' | '|' | 'auto';
  /** Text encoding; `auto` detects byte-order marks, UTF-16 and windows-1252. */
  encoding?: SourceEncoding | 'auto';
  /** Total size in bytes, when known (for progress). */
  size?: number;
  /**
   * Set by the client when it knows every source's size before the load begins (Files, Blobs, bytes):
   * true on the load's largest source, false on the others. The engine parses the largest itself and
   * hands the others to a helper worker, so the longest parse starts at once instead of after a helper
   * has started (see `delegate` in the engine).
   */
  largest?: boolean;
  /** Column mapping for this source; overrides the dataset's mapping for the same table. */
  columns?: Record<string, string>;
}

const DATE_FORMATS: Record<string, DateOrder> = {
  auto: 'auto',
  iso: 'auto',
  yyyymmdd: 'auto',
  ddmmyyyy: 'dmy',
  dmy: 'dmy',
  mmddyyyy: 'mdy',
  mdy: 'mdy',
};

/** Reads a date-format option (`DD/MM/YYYY`, `MM/DD/YYYY`, `dmy`, `mdy`, `auto`). */
export function parseDateFormat(value: string | undefined): DateOrder {
  if (value === undefined || value === '') return 'auto';
  const key = value.toLowerCase().replace(/[^a-z]/g, '');
  const order = DATE_FORMATS[key];
  if (order === undefined) {
    throw new CrmError('bad-option', `Unknown date format "${value}".`, {
      hint: 'Use "DD/MM/YYYY" for day-first dates, "MM/DD/YYYY" for month-first dates, or "auto".',
    });
  }
  return order;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Validates dataset options and fills in defaults; throws `CrmError('bad-option')` on a bad value. */
export function resolveDatasetOptions(options: DatasetOptions = {}): ResolvedDatasetOptions {
  const timezone = zoneName(options.timezone);
  let currency: string | null = null;
  if (options.currency !== undefined && options.currency !== '') {
    const code = options.currency.trim().toUpperCase();
    if (!CURRENCY_CODE.test(code)) {
      throw new CrmError('bad-option', `Currency "${options.currency}" is not an ISO 4217 code.`, {
        hint: 'Use a three-letter code such as "USD" or "EUR".',
      });
    }
    currency = code;
  }
  let rates: Record<string, number> | null = null;
  if (options.rates !== undefined) {
    rates = {};
    for (const [key, rate] of Object.entries(options.rates)) {
      const code = key.trim().toUpperCase();
      if (!CURRENCY_CODE.test(code) || typeof rate !== 'number' || !(rate > 0) || !Number.isFinite(rate)) {
        throw new CrmError('bad-option', `Conversion rate for "${key}" is not a positive number.`, {
          hint: 'Give rates as { "EUR": 1.08 }: units of the dataset currency per unit of the other currency.',
        });
      }
      rates[code] = rate;
    }
    if (currency === null) {
      throw new CrmError('bad-option', 'Conversion rates were given without a dataset currency.', {
        hint: 'Set currency (for example "USD") so the kit knows what the rates convert into.',
      });
    }
    rates[currency] = 1;
  }
  const decimal = options.decimal ?? '.';
  if (decimal !== '.' && decimal !== ',') {
    throw new CrmError('bad-option', `Decimal separator must be "." or ",", not "${String(decimal)}".`);
  }
  const columns = validateColumns(options.columns ?? {});
  return { timezone, currency, rates, decimal, dateOrder: parseDateFormat(options.dateFormat), columns };
}

function validateColumns(columns: ColumnMapping): ColumnMapping {
  const out: ColumnMapping = {};
  for (const [table, mapping] of Object.entries(columns)) {
    if (!TABLE_NAMES.includes(table as TableName)) {
      throw new CrmError('bad-option', `columns names an unknown table "${table}".`, {
        hint: `Tables are ${TABLE_NAMES.join(', ')}.`,
      });
    }
    out[table as TableName] = validateTableColumns(table as TableName, mapping);
  }
  return out;
}

/** Validates one table's column mapping: canonical field → column name in the file. */
export function validateTableColumns(table: TableName, mapping: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (mapping === undefined) return out;
  if (typeof mapping !== 'object' || mapping === null) {
    throw new CrmError('bad-option', `columns.${table} must be an object of field → column name.`);
  }
  const fields = fieldNames(table);
  for (const [field, column] of Object.entries(mapping)) {
    if (table !== 'customers' && !fields.includes(field)) {
      throw new CrmError('bad-option', `columns.${table} names an unknown field "${field}".`, {
        hint: `Fields of ${table} are ${fields.join(', ')}.`,
      });
    }
    if (typeof column !== 'string' || column === '') {
      throw new CrmError('bad-option', `columns.${table}.${field} must be a column name.`);
    }
    out[field] = column;
  }
  return out;
}

/**
 * The display form of a URL: origin and path only. Query strings and user info often carry tokens, and
 * the kit never repeats credentials in messages, events or reports.
 */
export function displayUrl(url: string, base?: string): string {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'blob:' || parsed.protocol === 'data:'
      ? parsed.protocol
      : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '').replace(/\/\/[^@/]*@/, '//');
  }
}
