// npm run bench:duckdb-native [-- --size 1m --runs 3 --threads 1,2] [--orders-only] [--core-dialect] [--memory-limit 4GiB]
//
// Native DuckDB (@duckdb/node-api, the same DuckDB with json and icu built in) runs the `sql/` pack on
// the benchmark's CSV files, and our engine runs in the same Node process on the same bytes, one
// thread each, run after run in turn. Every result must agree with ours, as in the peers run. It was
// the reference for the DuckDB-Wasm ratio while DuckDB-Wasm could not run here (before the pack's
// core dialect, bench/lib/duckdb-core.ts); it stays as a check of the pack at scale and, with
// --core-dialect, of the rewrite DuckDB-Wasm runs. With --threads 1,2 DuckDB also runs on two
// threads (ours stays on one here).
// --orders-only: the orders file alone and the orders-only pipeline's three results (the other tables
// empty on DuckDB's side). --core-dialect: the pack as DuckDB-Wasm runs it without its extensions
// (bench/lib/duckdb-core.ts). --memory-limit: DuckDB's memory capped and nothing spilled to disk,
// the conditions of DuckDB-Wasm in a tab (one 32-bit heap, at most 4 GiB, and no temporary directory):
// whether the pack can complete there at all, which the browser run cannot tell apart from the Wasm
// build's own limits. A result that runs out of memory is reported, not an error of the harness.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createEngineApi } from '../workers/engine.js';
import { toPayload } from '../src/core/results.js';
import { SQL_FILES } from '../src/core/sql-params.js';
import type { QueryRequest } from '../src/core/queries.js';
import { payloadDifference } from './lib/compare.js';
import { csvFiles, DATA_DIR } from './lib/data.js';
import { arrowToPlain, corePack, coreQuery } from './lib/duckdb-core.js';
import { duckLoadStatements, duckPayload, duckQuery, headerLine, ORDERS_ONLY, RESULTS, TIMEZONE } from './lib/results.js';
import { gitCommit, machine, median, option, ROOT } from './lib/run.js';

const TABLES = ['orders', 'touches', 'costs', 'customers'] as const;
const size = option('size', '1m');
const runs = Number(option('runs', '3'));
const threadCounts = [...new Set(option('threads', '1').split(',').map(Number))];
if (!(runs >= 1) || !threadCounts.every((n) => Number.isInteger(n) && n >= 1)) throw new Error('--runs and --threads take whole numbers of at least 1 (--threads 1,2)');
const ordersOnly = process.argv.includes('--orders-only');
const REQUESTS = ordersOnly ? ORDERS_ONLY : RESULTS;
/** The pack in the core dialect DuckDB-Wasm runs without its extensions (bench/lib/duckdb-core.ts). */
const coreDialect = process.argv.includes('--core-dialect');
/** The tables ours loads (DuckDB gets the others empty). */
const LOADED: readonly (typeof TABLES)[number][] = ordersOnly ? ['orders'] : TABLES;
/** `--memory-limit 4GiB`: DuckDB's memory_limit, with spilling off (see above); empty for none. */
const memoryLimit = option('memory-limit', '');
if (memoryLimit !== '' && !/^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$/.test(memoryLimit)) throw new Error(`--memory-limit takes a size such as 4GiB or 3500MB, not "${memoryLimit}"`);

interface Timing {
  /** DuckDB's `version()`; ours: empty. */
  version?: string;
  /** DuckDB under --memory-limit: the results it could not compute, by name, with when and why (absent from coldMs and payloads). */
  failed?: Record<string, string>;
  ingestMs: number;
  resultsMs: number;
  coldMs: Record<string, number>;
  payloads: Record<string, unknown>;
}

/** The `sql/` pack's files by name, read once (not inside DuckDB's timed queries). */
const PACK: Record<string, string> = Object.fromEntries(['setup.sql', ...Object.values(SQL_FILES)].map((file) => [file, readFileSync(`${ROOT}sql/${file}`, 'utf8')]));

/** DuckDB: the CSV files to tables with the pack's setup, then each result of REQUESTS cold. */
async function duck(paths: Record<(typeof TABLES)[number], string>, threads: number): Promise<Timing> {
  const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await db.connect();
  await connection.run(`SET TimeZone = '${TIMEZONE}'`);
  const version = String((await connection.runAndReadAll('SELECT version()')).getRowsJS()[0]![0]);
  const t = performance.now();
  const core = coreDialect ? corePack(PACK) : null;
  for (const statement of duckLoadStatements((table) => paths[table], (core?.files ?? PACK)['setup.sql']!)) await connection.run(statement);
  const ingestMs = performance.now() - t;
  if (memoryLimit !== '') {
    // set after the load, as DuckDB-Wasm's tables are loaded before its queries; the load is not what runs out
    await connection.run("SET temp_directory = ''");
    await connection.run('SET preserve_insertion_order = false');
    await connection.run(`SET memory_limit = '${memoryLimit}'`);
  }
  try {
    // under a limit, a result that runs out of memory is recorded and the next one asked (the failure
    // frees what the query held: each result is tried on its own)
    const results = await timeResults(async (request) => {
      if (core === null) return duckPayload((await connection.runAndReadAll(duckQuery(request, PACK))).getRowsJS()[0]![0]);
      return arrowToPlain((await connection.runAndReadAll(coreQuery(request, core, TIMEZONE))).getRowsJS()[0]![0]);
    }, memoryLimit !== '');
    return { version, ingestMs, ...results };
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** Ours, one engine without helper workers: the bytes in 1 MB chunks, the build, each result cold. */
async function ours(bytes: Record<(typeof TABLES)[number], Uint8Array>): Promise<Timing> {
  const api = createEngineApi();
  const dataset = api.createDataset({ timezone: TIMEZONE });
  const t = performance.now();
  const load = api.beginLoad(dataset, 'replace');
  for (const table of LOADED) {
    const file = bytes[table];
    const source = api.beginSource(load, { name: `${table}.csv`, table, size: file.length });
    for (let at = 0; at < file.length; at += 1 << 20) api.pushChunk(source, file.subarray(at, Math.min(file.length, at + (1 << 20))));
    api.endSource(source);
  }
  api.commitLoad(load);
  const ingestMs = performance.now() - t;
  const results = await timeResults((request) => toPayload(api.query(dataset, request)));
  // no work ahead of need left running while DuckDB is timed
  api.dropDataset(dataset);
  return { ingestMs, ...results };
}

/** Each result of REQUESTS cold, in turn: its time and payload, and the time of all; `keepGoing`: past a failure. */
async function timeResults(ask: (request: QueryRequest) => unknown, keepGoing = false): Promise<Omit<Timing, 'ingestMs'>> {
  const coldMs: Record<string, number> = {};
  const payloads: Record<string, unknown> = {};
  const failed: Record<string, string> = {};
  const start = performance.now();
  for (const [name, request] of Object.entries(REQUESTS)) {
    const t = performance.now();
    try {
      payloads[name] = await ask(request);
    } catch (error) {
      if (!keepGoing) throw error;
      failed[name] = `after ${s(performance.now() - t)}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      continue;
    }
    coldMs[name] = performance.now() - t;
  }
  return { resultsMs: performance.now() - start, coldMs, payloads, ...(Object.keys(failed).length > 0 ? { failed } : {}) };
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const range = (values: number[]): string => `${s(median(values))} (${s(Math.min(...values))}–${s(Math.max(...values))})`;

async function main(): Promise<void> {
  const names = await csvFiles(size, [...TABLES]);
  const paths = Object.fromEntries(TABLES.map((t) => [t, `${DATA_DIR}/${names[t]}`])) as Record<(typeof TABLES)[number], string>;
  const bytes = Object.fromEntries(LOADED.map((t) => [t, new Uint8Array(readFileSync(paths[t]))])) as Record<(typeof TABLES)[number], Uint8Array>;
  // --orders-only: the other tables empty for DuckDB, their header line alone (removed at the end)
  const emptyDir = ordersOnly ? mkdtempSync(join(tmpdir(), 'crm-duckdb-')) : null;
  try {
    if (emptyDir !== null) {
      for (const table of TABLES.filter((t) => !LOADED.includes(t))) {
        const head = Buffer.alloc(4096);
        const fd = openSync(paths[table], 'r');
        const read = readSync(fd, head, 0, head.length, 0);
        closeSync(fd);
        const header = headerLine(head.subarray(0, read), paths[table]);
        paths[table] = join(emptyDir, `${table}.csv`);
        writeFileSync(paths[table], header);
      }
    }
    await measure(paths, bytes);
  } finally {
    if (emptyDir !== null) rmSync(emptyDir, { recursive: true, force: true });
  }
}

/** The runs, the summary on stdout and the JSON file; exit code 1 when a result differs. */
async function measure(paths: Record<(typeof TABLES)[number], string>, bytes: Record<(typeof TABLES)[number], Uint8Array>): Promise<void> {
  const ourRuns: Timing[] = [];
  const duckRuns = new Map<number, Timing[]>(threadCounts.map((n) => [n, []]));
  const problems: string[] = [];
  for (let r = 0; r < runs; r++) {
    const mine = await ours(bytes);
    ourRuns.push(mine);
    const line = [`run ${r + 1}: ours ${s(mine.ingestMs + mine.resultsMs)} (ingest ${s(mine.ingestMs)})`];
    for (const threads of threadCounts) {
      const theirs = await duck(paths, threads);
      duckRuns.get(threads)!.push(theirs);
      const label = `DuckDB ${threads} thread${threads > 1 ? 's' : ''}`;
      if (theirs.failed !== undefined) {
        const done = Object.keys(theirs.coldMs).map((name) => `${name} ${s(theirs.coldMs[name]!)}`);
        line.push(`${label} did not complete (ingest ${s(theirs.ingestMs)}): ${Object.entries(theirs.failed).map(([name, why]) => `${name} failed ${why}`).join('; ')}${done.length > 0 ? `; completed ${done.join(', ')}` : ''}`);
      } else {
        line.push(`${label} ${s(theirs.ingestMs + theirs.resultsMs)} (ingest ${s(theirs.ingestMs)})`);
      }
      for (const name of Object.keys(theirs.payloads)) {
        const d = payloadDifference(mine.payloads[name], theirs.payloads[name], name, ['ours', 'DuckDB']);
        if (d !== null) problems.push(`run ${r + 1}, ${threads} thread(s): ${d}`);
      }
    }
    console.log(line.join(', '));
  }
  const total = (t: Timing): number => t.ingestMs + t.resultsMs;
  console.log(`\n${size}${ordersOnly ? ', orders only' : ''}${memoryLimit === '' ? '' : `, DuckDB's memory limited to ${memoryLimit} with no spilling`}, ${runs} run(s), Node ${process.versions.node}, ${machine()}, commit ${gitCommit()}; medians (min–max), ratios pair by pair\n`);
  console.log(`ours (one thread)             bytes → every result ${range(ourRuns.map(total))}; ingest ${range(ourRuns.map((t) => t.ingestMs))}; results ${range(ourRuns.map((t) => t.resultsMs))}`);
  const summary: Record<string, unknown> = { size, ordersOnly, memoryLimit: memoryLimit || null, runs, duckdbVersion: duckRuns.get(threadCounts[0]!)![0]!.version, node: process.versions.node, machine: machine(), commit: gitCommit(), measuredAt: new Date().toISOString(), ours: ourRuns.map(({ payloads: _, ...t }) => t), duckdb: {} };
  for (const [threads, all] of duckRuns) {
    const failures = all.filter((t) => t.failed !== undefined).map((t) => Object.keys(t.failed!).join(', '));
    const list = all.filter((t) => t.failed === undefined);
    if (list.length < all.length) console.log(`DuckDB native, ${threads} thread${threads > 1 ? 's' : ' '}     did not complete in ${failures.length} of ${all.length} run(s), failing on: ${failures[0]} (errors above)`);
    if (list.length === 0) {
      (summary.duckdb as Record<string, unknown>)[`${threads}`] = { runs: all.map(({ payloads: _, ...t }) => t), ratio: null };
      continue;
    }
    const ratios = all.flatMap((t, i) => (t.failed === undefined ? [total(t) / total(ourRuns[i]!)] : []));
    const ratioText = `${median(ratios).toFixed(1)}× (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}×)`;
    console.log(`DuckDB native, ${threads} thread${threads > 1 ? 's' : ' '}     bytes → every result ${range(list.map(total))}; ingest ${range(list.map((t) => t.ingestMs))}; results ${range(list.map((t) => t.resultsMs))}: ours ${ratioText} faster`);
    for (const name of Object.keys(REQUESTS)) console.log(`    ${name.padEnd(44)} DuckDB ${median(list.map((t) => t.coldMs[name]!)).toFixed(0).padStart(6)} ms, ours ${median(ourRuns.map((t) => t.coldMs[name]!)).toFixed(0).padStart(5)} ms`);
    (summary.duckdb as Record<string, unknown>)[`${threads}`] = { runs: all.map(({ payloads: _, ...t }) => t), ratio: median(ratios) };
  }
  if (problems.length > 0) {
    console.error(`\nresults differ:\n  ${problems.slice(0, 10).join('\n  ')}`);
    process.exitCode = 1;
    return;
  }
  const anyFailed = [...duckRuns.values()].some((list) => list.some((t) => t.failed !== undefined));
  console.log(`\nevery result ${anyFailed ? 'DuckDB completed ' : ''}agrees (counts exactly, money to a relative 1e-9)`);
  writeFileSync(`${ROOT}bench/results/duckdb-native-${size}${ordersOnly ? '-orders' : ''}${memoryLimit === '' ? '' : `-limit-${memoryLimit.replace(/\s/g, '')}`}.json`, JSON.stringify(summary, null, 1));
}

await main();
