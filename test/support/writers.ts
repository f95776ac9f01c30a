/** Writers of the same rows as CSV, JSON and NDJSON text, for equivalence tests. */

/** A row: column → value (`null` for empty). */
export type Row = Record<string, string | number | null>;

function csvField(value: string | number | null, delimiter: string, quoteAll: boolean): string {
  const text = value === null ? '' : String(value);
  if (quoteAll || text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return '"' + text.replaceAll('"', '""') + '"';
  }
  return text;
}

/** CSV text with a header. */
export function toCsv(columns: string[], rows: Row[], options: { delimiter?: string; newline?: string; quoteAll?: boolean; bom?: boolean } = {}): string {
  const d = options.delimiter ?? ',';
  const nl = options.newline ?? '\n';
  const q = options.quoteAll ?? false;
  const lines = [columns.map((c) => csvField(c, d, q)).join(d)];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c] ?? null, d, q)).join(d));
  return (options.bom ? '\ufeff' : '') + lines.join(nl) + nl;
}

function jsonRow(columns: string[], row: Row): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const c of columns) {
    const v = row[c];
    if (v !== null && v !== undefined) out[c] = v;
  }
  return out;
}

/** A JSON array of objects. */
export function toJson(columns: string[], rows: Row[]): string {
  return JSON.stringify(rows.map((r) => jsonRow(columns, r)), null, 1);
}

/** NDJSON. */
export function toNdjson(columns: string[], rows: Row[]): string {
  return rows.map((r) => JSON.stringify(jsonRow(columns, r))).join('\n') + '\n';
}
