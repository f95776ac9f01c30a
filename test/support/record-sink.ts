/** A sink that records what a parser emits, decoded to strings, for tokenizer tests. */
import {
  FIELD_ABSENT,
  FIELD_CSV_ESCAPED,
  FIELD_JSON_ESCAPED,
  FIELD_JSON_NESTED,
  FIELD_JSON_NUMBER,
  type FieldRow,
  type RecordSink,
  unescapeCsv,
  unescapeJson,
} from '../../workers/ingest/fields.js';
import type { JsonRecordSink } from '../../workers/ingest/json.js';

const decoder = new TextDecoder();

/** A recorded field: its text, tagged for non-text JSON values. */
export type RecordedField = string | { number: string } | { nested: string } | null;

export class RecordingSink implements RecordSink, JsonRecordSink {
  records: { line: number; fields: RecordedField[] }[] = [];
  malformedRows: { line: number; reason: string; raw: string }[] = [];
  blanks: number[] = [];
  columns: string[] = [];

  record(row: FieldRow): void {
    const fields: RecordedField[] = [];
    for (let k = 0; k < row.count; k++) {
      const flag = row.flags[k]!;
      const s = row.starts[k]!;
      const e = row.ends[k]!;
      if (flag === FIELD_ABSENT) fields.push(null);
      else if (flag === FIELD_CSV_ESCAPED) {
        const out = unescapeCsv(row.buf, s, e, new Uint8Array(0));
        fields.push(decoder.decode(out.bytes.subarray(0, out.length)));
      } else if (flag === FIELD_JSON_ESCAPED) {
        const out = unescapeJson(row.buf, s, e, new Uint8Array(0));
        fields.push(decoder.decode(out.bytes.subarray(0, out.length)));
      } else if (flag === FIELD_JSON_NUMBER) fields.push({ number: decoder.decode(row.buf.subarray(s, e)) });
      else if (flag === FIELD_JSON_NESTED) fields.push({ nested: decoder.decode(row.buf.subarray(s, e)) });
      else fields.push(decoder.decode(row.buf.subarray(s, e)));
    }
    this.records.push({ line: row.line, fields });
  }

  malformed(line: number, reason: string, raw: Uint8Array): void {
    this.malformedRows.push({ line, reason, raw: decoder.decode(raw) });
  }

  blank(line: number): void {
    this.blanks.push(line);
  }

  column(name: string): void {
    this.columns.push(name);
  }

  /** Records as arrays of strings (CSV). */
  get rows(): RecordedField[][] {
    return this.records.map((r) => r.fields);
  }
}
