/**
 * CSV text for exports: RFC 4180 quoting, and cells that a spreadsheet would run as a formula
 * (starting with = + - @, tab or CR) neutralised with a leading apostrophe — genuine numbers stay numbers.
 */

/** One CSV cell. Non-finite numbers are empty cells. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text) && !/^[-+]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document from a header and rows, each line ending in a newline. */
export function csvText(header: string[], rows: (string | number | null | undefined)[][]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return lines.join('\n') + '\n';
}
