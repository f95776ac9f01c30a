/**
 * Column mapping: which column of a user's file holds each canonical field. An explicit `columns`
 * mapping wins; otherwise the first column whose name matches the field or one of its synonyms
 * (compared lower-cased, letters and digits only) is used. A column feeds at most one field.
 */
import { CrmError } from '../../src/core/errors.js';
import type { ColumnMatch } from '../../src/core/report.js';
import { COLUMN_SYNONYMS, TABLE_FIELDS, columnKey, type TableName } from '../../src/core/schema.js';

/** The result of mapping a header. */
export interface ColumnMapResult {
  /** Column index per field of `TABLE_FIELDS[table]`, or -1. */
  fieldColumns: Int32Array;
  matches: ColumnMatch[];
}

/** Index of the column an explicit mapping names: exact name first, then the same key. */
function findExplicit(columns: readonly string[], name: string, claimed: Uint8Array): number {
  const exact = columns.indexOf(name);
  if (exact >= 0) return exact;
  const key = columnKey(name);
  for (let i = 0; i < columns.length; i++) if (claimed[i] === 0 && columnKey(columns[i]!) === key) return i;
  return -1;
}

/**
 * Maps the columns of a source to the fields of a table.
 * @param explicit canonical field → column name, from `columns`
 * @param strict whether an explicit mapping must name an existing column (CSV headers are complete;
 *   JSON keys arrive over time)
 */
export function mapColumns(
  table: TableName,
  columns: readonly string[],
  explicit: Record<string, string>,
  strict: boolean,
  source: string,
): ColumnMapResult {
  const fields = TABLE_FIELDS[table];
  const fieldColumns = new Int32Array(fields.length).fill(-1);
  const claimed = new Uint8Array(columns.length);
  const matches: ColumnMatch[] = [];
  fields.forEach((field, f) => {
    const name = explicit[field.name];
    if (name === undefined) return;
    const index = findExplicit(columns, name, claimed);
    if (index < 0) {
      if (!strict) return;
      throw new CrmError(
        'unknown-column',
        `${table}: columns maps ${field.name} to "${name}", but ${source} has no such column (it has ${listColumns(columns)}).`,
        { table, column: name, source, hint: `Check the spelling in columns.${table}.${field.name}.` },
      );
    }
    fieldColumns[f] = index;
    claimed[index] = 1;
    matches.push({ field: field.name, column: columns[index]!, how: 'explicit' });
  });
  const keys = columns.map(columnKey);
  fields.forEach((field, f) => {
    if (fieldColumns[f]! >= 0 || explicit[field.name] !== undefined) return;
    const index = findSynonym(COLUMN_SYNONYMS[table][field.name]!, keys, claimed);
    if (index < 0) return;
    fieldColumns[f] = index;
    claimed[index] = 1;
    matches.push({ field: field.name, column: columns[index]!, how: 'auto' });
  });
  return { fieldColumns, matches };
}

/** The first unclaimed column named as one of `synonyms` (in their order), or -1. */
function findSynonym(synonyms: readonly string[], keys: readonly string[], claimed: Uint8Array): number {
  const wanted = synonyms.map(columnKey);
  for (const key of wanted) {
    for (let i = 0; i < keys.length; i++) if (claimed[i] === 0 && keys[i] === key) return i;
  }
  return -1;
}

/** Throws the "no column for X" error for the first required field without a column. */
export function requireColumns(table: TableName, columns: readonly string[], fieldColumns: Int32Array, source: string): void {
  const fields = TABLE_FIELDS[table];
  fields.forEach((field, f) => {
    if (!field.required || fieldColumns[f]! >= 0) return;
    if (table === 'orders' && field.name === 'revenue') {
      const q = fields.findIndex((x) => x.name === 'quantity');
      const p = fields.findIndex((x) => x.name === 'unit_price');
      if (fieldColumns[q]! >= 0 && fieldColumns[p]! >= 0) return;
    }
    const looked = COLUMN_SYNONYMS[table][field.name]!.slice(0, 8).join(', ');
    const extra = table === 'orders' && field.name === 'revenue' ? ' and no quantity and unit_price columns to compute it' : '';
    throw new CrmError(
      'missing-column',
      `${table}: no column for ${field.name} in ${source} (looked for ${looked}, ...)${extra}. The file has ${listColumns(columns)}.`,
      {
        table,
        column: field.name,
        source,
        hint: `Map it with columns: { ${table}: { ${field.name}: "<your column name>" } }.`,
      },
    );
  });
}

function listColumns(columns: readonly string[]): string {
  if (columns.length === 0) return 'no columns';
  const shown = columns.slice(0, 12).map((c) => `"${c}"`);
  return columns.length > 12 ? `${shown.join(', ')} and ${columns.length - 12} more` : shown.join(', ');
}

/**
 * Which table a set of columns (and optionally a file name) describes, or null. A table qualifies when
 * every required field has a column; the name decides between qualifying tables, then the order
 * orders → touches → costs → customers (orders files often carry a "channel" column too, so a file that
 * qualifies as orders and has revenue is orders).
 */
export function detectTable(columns: readonly string[], name: string): TableName | null {
  const qualifying: TableName[] = [];
  for (const table of ['orders', 'touches', 'costs', 'customers'] as const) {
    const { fieldColumns } = mapColumns(table, columns, {}, false, name);
    try {
      requireColumns(table, columns, fieldColumns, name);
      qualifying.push(table);
    } catch {
      // not this table
    }
  }
  if (qualifying.length === 0) return null;
  const lower = name.toLowerCase().replace(/\.[a-z0-9]+$/, '');
  const hints: [TableName, RegExp][] = [
    ['orders', /order|transaction|invoice|purchase|sale|revenue/],
    ['costs', /cost|spend|budget/],
    ['touches', /touch|message|send|sent|email|sms|push|campaign_?log|deliver/],
    ['customers', /customer|profile|contact|member|user/],
  ];
  for (const [table, pattern] of hints) {
    if (pattern.test(lower) && qualifying.includes(table)) return table;
  }
  return qualifying[0]!;
}
