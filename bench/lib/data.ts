// Seeded benchmark data written once to bench/.data and reused (the file name carries the size, the
// seed and a hash of the generator source, so a changed generator never serves stale bytes).
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSample, sampleCsv, type SampleDataset, type SampleTable } from '../../src/sample.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const DATA_DIR = `${root}bench/.data`;

/** Benchmark sizes in order rows (performance.md). */
export const SIZES: Record<string, number> = { small: 10_000, '1m': 1_000_000, '5m': 5_000_000 };

function generatorHash(): string {
  const source = readFileSync(`${root}src/core/sample.ts`, 'utf8') + readFileSync(`${root}src/core/random.ts`, 'utf8');
  return createHash('sha256').update(source).digest('hex').slice(0, 10);
}

async function write(path: string, chunks: Iterable<string>): Promise<void> {
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  for (const chunk of chunks) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  renameSync(tmp, path);
}

/** CSV files of the seeded dataset of a size; generated on first use. Returns file names in DATA_DIR. */
export async function csvFiles(size: string, tables: SampleTable[], seed = 42): Promise<Record<SampleTable, string>> {
  const orders = SIZES[size];
  if (orders === undefined) throw new Error(`unknown size "${size}" (use ${Object.keys(SIZES).join(', ')})`);
  mkdirSync(DATA_DIR, { recursive: true });
  const tag = `${size}-s${seed}-${generatorHash()}`;
  const names = Object.fromEntries(tables.map((t) => [t, `${t}-${tag}.csv`])) as Record<SampleTable, string>;
  if (tables.every((t) => existsSync(`${DATA_DIR}/${names[t]}`))) return names;
  process.stdout.write(`generating the ${size} dataset (seed ${seed})... `);
  const started = Date.now();
  const data: SampleDataset = generateSample({ orders, seed });
  for (const t of tables) await write(`${DATA_DIR}/${names[t]}`, sampleCsv(data, t));
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  return names;
}

/** Size of a data file in bytes. */
export function fileSize(name: string): number {
  return statSync(`${DATA_DIR}/${name}`).size;
}
