/**
 * Three builds from one config, chosen by `--mode`:
 *
 * - default: the demo site (`npm start` serves it, `vite build` writes `dist-demo/`); it imports the
 *   kit from ../src through the public entries only.
 * - `lib`: the npm package in `dist/`: `index.js` (registers the elements), `engine.js` (headless),
 *   `sample.js` (sample data), `crm.worker.js`; Lit, d3 and comlink stay imports for the host's bundler.
 * - `cdn`: `dist/cdn/crm-widgets.js`, one file with everything, plus `crm.worker.js` beside it; prints
 *   the gzip sizes of both against the budgets in performance.md.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> };
const external = Object.keys(pkg.dependencies);

/** The worker keeps a stable name, so hosts can serve it themselves (`worker-url`). */
const worker: UserConfig['worker'] = { format: 'es', rollupOptions: { output: { entryFileNames: 'crm.worker.js' } } };

/** Prints the gzip sizes of the CDN entry and the worker against performance.md's budgets. */
function bundleSizes(): Plugin {
  return {
    name: 'crm-bundle-sizes',
    apply: 'build',
    writeBundle(options, bundle) {
      const budgets: Record<string, number> = { 'crm-widgets.js': 40, 'crm.worker.js': 25 };
      const lines: string[] = [];
      for (const [file, budget] of Object.entries(budgets)) {
        const item = bundle[file];
        if (item === undefined) continue;
        const bytes = readFileSync(`${options.dir}/${file}`);
        const kb = gzipSync(bytes, { level: 9 }).length / 1000;
        lines.push(`  ${file.padEnd(16)} ${(bytes.length / 1000).toFixed(1).padStart(7)} kB, gzip ${kb.toFixed(1).padStart(5)} kB (budget ${budget} kB${kb > budget ? `, ${(kb - budget).toFixed(1)} kB over` : ''})`);
      }
      if (lines.length > 0) console.log(`\nbundle sizes (gzip -9):\n${lines.join('\n')}\n`);
    },
  };
}

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'lib') {
    return {
      root,
      base: './',
      publicDir: false,
      worker,
      build: {
        outDir: `${root}dist`,
        emptyOutDir: true,
        target: 'es2022',
        minify: true, // entries keep their whitespace in library mode; the worker is minified
        sourcemap: true,
        lib: { entry: { index: `${root}src/index.ts`, engine: `${root}src/engine.ts`, sample: `${root}src/sample.ts` }, formats: ['es'] },
        rollupOptions: {
          external: (id) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
          output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
        },
      },
    };
  }
  if (mode === 'cdn') {
    return {
      root,
      base: './',
      publicDir: false,
      worker,
      plugins: [bundleSizes()],
      build: {
        outDir: `${root}dist/cdn`,
        emptyOutDir: true,
        target: 'es2022',
        minify: true,
        modulePreload: false,
        rollupOptions: {
          input: { 'crm-widgets': `${root}src/index.ts` },
          preserveEntrySignatures: 'exports-only',
          output: { entryFileNames: '[name].js', format: 'es', codeSplitting: false },
        },
      },
    };
  }
  return {
    root: `${root}demo`,
    publicDir: false,
    server: {
      port: 5173,
      strictPort: false,
      fs: { allow: [root] },
    },
    preview: { port: 4173 },
    worker: { format: 'es' },
    build: {
      outDir: `${root}dist-demo`,
      emptyOutDir: true,
      target: 'es2022',
    },
  };
});
