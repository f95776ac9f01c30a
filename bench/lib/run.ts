// What every benchmark script shares: its options, the bench page build, and the summary helpers.
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The repository root (with a trailing slash). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `--name value` from the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

/** Builds `bench/pages/<page>.html` (and its worker) into `bench/.build/<out>`; returns the directory. */
export async function buildPage(page: string, out = page, minify = true): Promise<string> {
  const outDir = `${ROOT}bench/.build/${out}`;
  await build({
    configFile: false,
    root: `${ROOT}bench/pages`,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022', minify, rollupOptions: { input: `${ROOT}bench/pages/${page}.html` } },
  });
  return outDir;
}

/** The checked-out commit, for the results file. */
export function gitCommit(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    // tracked files changed since that commit, results files aside: the run is not of the commit alone
    const changed = execSync("git status --porcelain --untracked-files=no -- . ':!bench/results'", { cwd: ROOT }).toString().trim();
    return changed === '' ? head : `${head} with uncommitted changes`;
  } catch {
    return 'unknown';
  }
}

/** This machine, for the results file. */
export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${process.platform}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The q-quantile (nearest rank). */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
