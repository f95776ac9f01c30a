/// <reference lib="webworker" />
// The parse-stage peers, in a worker like our engine's parser: uDSV (typed columns) and PapaParse
// (dynamic typing, the familiar baseline) on the same orders CSV bytes. Each reports its time, the rows
// it produced and the sum of quantity × unit_price, as a checksum against our engine. With `repeats`,
// the parse runs that many times in this worker: the first is cold (`ms`), the fastest of the others
// warm (`warmMs`: V8 has optimised the parser by then).
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';

export interface ParseRun {
  engine: 'uDSV' | 'PapaParse';
  /** The first parse in a fresh worker, the text decode included. */
  ms: number;
  /** The fastest of the repeats after the first, when repeated. */
  warmMs?: number;
  rows: number;
  gross: number;
}

function udsv(text: string): ParseRun {
  const started = performance.now();
  const schema = inferSchema(text);
  const parser = initParser(schema);
  const columns = parser.typedCols(text) as unknown[][];
  const ms = performance.now() - started;
  const names = schema.cols.map((c) => c.name);
  const quantity = columns[names.indexOf('quantity')] as number[];
  const price = columns[names.indexOf('unit_price')] as number[];
  let gross = 0;
  for (let i = 0; i < quantity.length; i++) gross += quantity[i]! * price[i]!;
  return { engine: 'uDSV', ms, rows: quantity.length, gross };
}

function papa(text: string): ParseRun {
  const started = performance.now();
  const parsed = Papa.parse<Record<string, unknown>>(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
  const ms = performance.now() - started;
  let gross = 0;
  for (const row of parsed.data) gross += Number(row['quantity']) * Number(row['unit_price']);
  return { engine: 'PapaParse', ms, rows: parsed.data.length, gross };
}

/** One parse of the bytes, the text decode included (part of both peers' parse: our engine parses bytes). */
function parseOnce(engine: ParseRun['engine'], bytes: ArrayBuffer): ParseRun {
  const started = performance.now();
  const text = new TextDecoder().decode(bytes);
  const decode = performance.now() - started;
  const run = engine === 'uDSV' ? udsv(text) : papa(text);
  return { ...run, ms: run.ms + decode };
}

self.onmessage = (event: MessageEvent<{ engine: ParseRun['engine']; bytes: ArrayBuffer; repeats: number }>) => {
  const { engine, bytes, repeats } = event.data;
  const run = parseOnce(engine, bytes);
  const later: number[] = [];
  for (let k = 1; k < repeats; k++) later.push(parseOnce(engine, bytes).ms);
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(later.length > 0 ? { ...run, warmMs: Math.min(...later) } : run);
};
