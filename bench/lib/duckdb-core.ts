// The `sql/` pack in the dialect of a DuckDB without extensions, for DuckDB-Wasm where its json and icu
// extensions cannot be downloaded (the build machines reach only the npm registry). No DOM and no Node
// imports here: the peers page and the Node check share it.
//
// The pack builds each result as JSON (`json_object`, the json extension) and converts between UTC
// and the reporting time zone (`timezone`, the icu extension); it takes the RFM segment map, the RFM
// thresholds and the per-channel windows as JSON text (`from_json`, `json_extract`). In core DuckDB:
// - `json_object('k', v, ...)` becomes the struct `{'k': v, ...}`: the same tree, which the harness
//   reads from the Arrow result (`arrowToPlain`) instead of parsing JSON text; the pack's values are
//   already numbers, text, lists and objects;
// - `timezone(tz, x)` becomes a cast between TIMESTAMPTZ and TIMESTAMP, which is the same thing in UTC,
//   the benchmark's zone (any other zone is refused);
// - the JSON parameters are written in as typed literals of the shape `from_json` would give
//   (the windows as a list of {k, v} pairs), and `from_json` / `json_extract` read them as they are.
// The rewrite changes how a result is assembled and passed out, not how it is computed: the joins,
// windows and aggregates are the pack's text. `npm run bench:duckdb-native -- --core-dialect` runs the
// rewritten pack on native DuckDB against the engine, to check the rewrite itself.
import type { QueryRequest } from '../../src/core/queries.js';
import { SQL_FILES, sqlParameters, sqlStatements, sqlString, sqlWithLiterals, type SqlValue } from '../../src/core/sql-params.js';

/** The windows' shape in the core dialect (the pack's `$windows_json` is `{"channel": ms, ...}`). */
const WINDOWS_TYPE = 'STRUCT(k VARCHAR, v DOUBLE)[]';

/** The pack's files (sql/*.sql by name, setup.sql among them) rewritten once, and its JSON parameters' shapes. */
export interface CorePack {
  files: Record<string, string>;
  /** `from_json` shape (its JSON schema) by the macro parameter it reads, from the setup. */
  shapes: Record<string, string>;
}

/** Rewrites every file of the pack into the core dialect, once (not per query). */
export function corePack(pack: Record<string, string>): CorePack {
  const shapes: Record<string, string> = {};
  const files = Object.fromEntries(Object.entries(pack).map(([file, sql]) => [file, rewrite(sql, shapes)]));
  return { files, shapes };
}

/** A pack query for a request in the core dialect, its parameters written in (UTC only). */
export function coreQuery(request: QueryRequest, core: CorePack, timezone: string): string {
  if (timezone !== 'UTC') throw new Error(`The core dialect has no time zones (no icu extension): ${timezone} is not UTC.`);
  let [sql] = sqlStatements(core.files[SQL_FILES[request.kind]]!);
  const params: Record<string, SqlValue> = { ...sqlParameters(request, timezone) };
  for (const name of Object.keys(params)) {
    if (!name.endsWith('_json')) continue;
    const value = params[name];
    delete params[name];
    const text = typeof value === 'string' ? value : null;
    const literal = name === 'windows_json' ? windowsLiteral(text) : shapedLiteral(text, core.shapes[name], name);
    sql = sql!.replace(new RegExp(`\\$${name}\\b`, 'g'), literal);
  }
  return sqlWithLiterals(sql!, params);
}

/**
 * A pack result read from an Arrow value as the json extension would have written it: BIGINT and
 * HUGEINT as numbers, NaN and infinities as null, lists as arrays, structs as objects.
 */
export function arrowToPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (ArrayBuffer.isView(value)) {
    // a HUGEINT or DECIMAL arrives as 32-bit words; a typed array of numbers is a list
    if (value instanceof Uint32Array && value.length === 4) return hugeint(value);
    return Array.from(value as unknown as ArrayLike<number>, (v) => arrowToPlain(v));
  }
  if (Array.isArray(value)) return value.map((x) => arrowToPlain(x));
  const v = value as { get?: unknown; getChildAt?: unknown; length?: unknown; toJSON?: () => unknown };
  // an Arrow Vector (a list's values): it has get and getChildAt; a StructRow has neither
  if (typeof v.get === 'function' && typeof v.getChildAt === 'function' && typeof v.length === 'number') {
    const vector = value as { get(i: number): unknown; length: number };
    return Array.from({ length: vector.length }, (_, i) => arrowToPlain(vector.get(i)));
  }
  const object = typeof v.toJSON === 'function' ? (v.toJSON() as Record<string, unknown>) : (value as Record<string, unknown>);
  if (typeof object !== 'object' || object === null) throw new Error(`arrowToPlain: unexpected ${typeof value}`);
  return Object.fromEntries(Object.entries(object).map(([k, x]) => [k, arrowToPlain(x)]));
}

function hugeint(words: Uint32Array): number {
  let out = 0;
  for (let i = 3; i >= 0; i--) out = out * 4294967296 + (i === 3 ? words[i]! | 0 : words[i]!);
  return out;
}

/** The windows `{"sms": 86400000}` as the core dialect's list of {k, v} pairs. */
function windowsLiteral(text: string | null): string {
  if (text === null) return `CAST(NULL AS ${WINDOWS_TYPE})`;
  const windows = JSON.parse(text) as Record<string, number>;
  const pairs = Object.entries(windows).map(([k, v]) => `{'k': ${sqlString(k)}, 'v': ${number(v)}}`);
  return `CAST([${pairs.join(', ')}] AS ${WINDOWS_TYPE})`;
}

/** JSON text as the typed literal `from_json(text, shape)` would give. */
function shapedLiteral(text: string | null, shape: string | undefined, name: string): string {
  if (shape === undefined) throw new Error(`The core dialect does not know the shape of $${name}: no from_json reads it in the setup.`);
  const schema = JSON.parse(shape) as unknown;
  const type = sqlType(schema);
  return text === null ? `CAST(NULL AS ${type})` : `CAST(${literal(JSON.parse(text), schema)} AS ${type})`;
}

function sqlType(schema: unknown): string {
  if (typeof schema === 'string') return schema;
  if (Array.isArray(schema)) return `${sqlType(schema[0])}[]`;
  const fields = Object.entries(schema as Record<string, unknown>).map(([k, t]) => `"${k.replace(/"/g, '""')}" ${sqlType(t)}`);
  return `STRUCT(${fields.join(', ')})`;
}

function literal(value: unknown, schema: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof schema === 'string') {
    if (typeof value === 'number') return number(value);
    if (typeof value === 'string') return sqlString(value);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    throw new Error(`The core dialect cannot write ${JSON.stringify(value)} as ${schema}.`);
  }
  if (Array.isArray(schema)) {
    if (!Array.isArray(value)) throw new Error(`The core dialect expected a list, got ${JSON.stringify(value)}.`);
    return `[${value.map((v) => literal(v, schema[0])).join(', ')}]`;
  }
  const fields = Object.entries(schema as Record<string, unknown>);
  const object = value as Record<string, unknown>;
  return `{${fields.map(([k, t]) => `${sqlString(k)}: ${literal(object[k], t)}`).join(', ')}}`;
}

function number(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`The core dialect cannot write ${value} as a number.`);
  return String(value);
}

/**
 * The pack's text with its extension functions rewritten (see the header); `shapes` receives the
 * `from_json` shapes by the parameter they read.
 */
export function rewrite(sql: string, shapes: Record<string, string>): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const skipped = skipQuoted(sql, i);
    if (skipped > i) {
      out += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 64));
    if (m === null) {
      out += sql[i];
      i++;
      continue;
    }
    const word = m[0];
    const prev = i > 0 ? sql[i - 1]! : ' ';
    let open = i + word.length;
    while (open < n && /\s/.test(sql[open]!)) open++;
    const name = word.toLowerCase();
    if (!/[A-Za-z0-9_.$]/.test(prev) && sql[open] === '(' && REWRITTEN.has(name)) {
      const close = matching(sql, open);
      const args = splitArgs(sql.slice(open + 1, close)).map((a) => rewrite(a, shapes).trim());
      out += call(name, args, shapes);
      i = close + 1;
      continue;
    }
    out += word;
    i += word.length;
  }
  return out;
}

const REWRITTEN = new Set(['json_object', 'timezone', 'from_json', 'json_extract']);

function call(name: string, args: string[], shapes: Record<string, string>): string {
  switch (name) {
    case 'json_object': {
      if (args.length % 2 !== 0) throw new Error(`json_object with ${args.length} arguments`);
      const fields: string[] = [];
      for (let k = 0; k < args.length; k += 2) {
        if (!/^'(?:[^']|'')*'$/.test(args[k]!)) throw new Error(`json_object key is not a literal: ${args[k]}`);
        fields.push(`${args[k]}: ${args[k + 1]}`);
      }
      return `{${fields.join(', ')}}`;
    }
    case 'timezone': {
      if (args.length !== 2) throw new Error(`timezone with ${args.length} arguments`);
      // a TIMESTAMP (local time) becomes a TIMESTAMPTZ and the other way round; in UTC a cast
      const local = /^CAST\s*\([\s\S]*\s+AS\s+TIMESTAMP\s*\)$/i.test(args[1]!);
      return `CAST(${args[1]} AS ${local ? 'TIMESTAMPTZ' : 'TIMESTAMP'})`;
    }
    case 'from_json': {
      if (args.length !== 2 || !/^[A-Za-z_]\w*$/.test(args[0]!) || !/^'(?:[^']|'')*'$/.test(args[1]!)) throw new Error(`from_json(${args.join(', ')}) is not of the form the core dialect reads`);
      shapes[args[0]!] = args[1]!.slice(1, -1).replace(/''/g, "'");
      return args[0]!;
    }
    case 'json_extract': {
      // json_extract(windows_json, '$."' || channel || '"'): the window of a channel
      const key = /^'\$\."'\s*\|\|\s*([\s\S]+?)\s*\|\|\s*'"'$/.exec(args[1] ?? '');
      if (args.length !== 2 || key === null) throw new Error(`json_extract(${args.join(', ')}) is not of the form the core dialect reads`);
      return `list_filter(${args[0]}, e -> e.k = ${key[1]})[1].v`;
    }
    default:
      throw new Error(name);
  }
}

/** The end of a string, quoted identifier or comment starting at `i`, or `i` when none starts there. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    for (;;) {
      if (j >= sql.length) return j;
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2;
        else return j + 1;
      } else j++;
    }
  }
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return i;
}

/**
 * Calls `visit` with each character of `sql` from `from` that is outside strings, quoted names and
 * comments, and its index, until `visit` returns true; returns that index, or -1 at the end.
 */
function scanCode(sql: string, from: number, visit: (c: string, i: number) => boolean): number {
  let i = from;
  while (i < sql.length) {
    const skipped = skipQuoted(sql, i);
    if (skipped > i) {
      i = skipped;
      continue;
    }
    if (visit(sql[i]!, i)) return i;
    i++;
  }
  return -1;
}

/** The index of the parenthesis that closes the one at `open`. */
function matching(sql: string, open: number): number {
  let depth = 0;
  const close = scanCode(sql, open, (c) => (c === '(' ? (depth++, false) : c === ')' && --depth === 0));
  if (close < 0) throw new Error(`unbalanced parentheses from: ${sql.slice(open, open + 80)}`);
  return close;
}

/** Splits a call's argument text at its top-level commas. */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  scanCode(text, 0, (c, i) => {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
    return false;
  });
  if (text.trim() !== '' || args.length > 0) args.push(text.slice(start));
  return args;
}
