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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';
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

/**
 * The kit's Lit templates without their layout. A bundler never touches a template literal's text, and
 * Lit hands it to the browser as it is, so without this every page carried the indentation of every
 * style sheet and template (about 0.7 kB gzip on a one-widget page). Found with TypeScript's parser,
 * so a backtick in a comment or a string is never taken for a template.
 *
 * - `css`: comments dropped, each run of white space one space, and none beside `{`, `}` and `;` or
 *   after `:` (a space before `:` is a descendant combinator and stays; so does one after `,`, which a
 *   custom property's fallback keeps as part of its value).
 * - `html` and `svg`: each run of white space one space. The browser renders a run as one space
 *   wherever white space collapses, which is everywhere in the kit's markup (no `pre`, `textarea` or
 *   `white-space: pre*`).
 *
 * Quoted text (a CSS string, an attribute's value) is left as it is, and only ASCII white space is
 * layout (a no-break space is content). An interpolation's neighbours keep one space (`1px solid
 * ${colour}` needs it). The line breaks of a template move after it, so the code after each template
 * keeps its lines in the source maps (code inside an interpolation may move up).
 * test/node/template-literals.test.ts checks that Chromium reads every `css` literal of the kit into
 * the same rules either way.
 */
export function minifyTemplates(code: string, fileName = 'module.ts'): string {
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const edits: { from: number; to: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && TEMPLATE_TAGS.has(node.tag.text)) {
      const css = node.tag.text === 'css';
      const template = node.template;
      // each literal part: [start, end) of its text inside the source, between ` or } and ${ or `
      const parts: ts.TemplateLiteralLikeNode[] = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
      const spans = parts.map((part, k) => ({ from: part.getStart(file) + 1, to: part.end - (k === parts.length - 1 ? 1 : 2) }));
      // the parts joined by markers where the interpolations are, so that quoted text spanning one is
      // seen whole; the markers hold neither white space nor quotes
      const texts = spans.map(({ from, to }) => code.slice(from, to));
      const raw = texts.join('\u0000');
      // quoted text (a CSS string, an attribute's value) keeps its spaces; only ASCII white space is
      // layout (a no-break space is content)
      const quoted = css ? /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/ : /(=[ \t\n\r]*"[^"]*"|=[ \t\n\r]*'[^']*')/;
      const pieces = (css ? raw.replace(/\/\*[^]*?\*\//g, '') : raw).split(quoted);
      const outside = pieces.filter((_, i) => i % 2 === 0).join('');
      // a quote left open, or a line continuation (backslash, line break): the template stays as it is
      if (!texts.some((t) => t.includes('\u0000')) && !/\\\r?\n/.test(raw) && !(css ? /["']/ : /=[ \t\n\r]*["']/).test(outside)) {
        let text = pieces
          .map((piece, i) => {
            if (i % 2 === 1) return piece;
            const spaced = piece.replace(/[ \t\n\r\f]+/g, ' ');
            return css ? spaced.replace(/ ?([{};]) ?/g, '$1').replace(/: /g, ':').replace(/;}/g, '}') : spaced;
          })
          .join('');
        if (css) text = text.replace(/^ | $/g, '');
        text.split('\u0000').forEach((part, k) => edits.push({ ...spans[k]!, text: part }));
        // the line breaks taken out (those in quoted text stay where they are)
        edits.push({ from: template.end, to: template.end, text: '\n'.repeat(raw.split('\n').length - text.split('\n').length) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = code;
  for (const edit of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
  return out;
}
const TEMPLATE_TAGS = new Set(['css', 'html', 'svg']);

/** Applies minifyTemplates to the kit's modules in every build. */
function templates(): Plugin {
  return {
    name: 'crm-templates',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').startsWith(`${root.replace(/\\/g, '/')}src/`) || !id.endsWith('.ts') || !/\b(css|html|svg)`/.test(code)) return null;
      return { code: minifyTemplates(code, id), map: null };
    },
  };
}

/** The one-element entries of the npm package (`crm-widgets/revenue` and so on), from `src/elements/`. */
const ELEMENT_ENTRIES = Object.fromEntries(readdirSync(`${root}src/elements`).map((file) => [file.replace(/\.ts$/, ''), `${root}src/elements/${file}`]));

/** The demo pages Vite builds (plain.html is copied as it is: it shows the one-tag CDN use). */
const DEMO_PAGES = ['index', 'upload', 'endpoint', 'summary', 'theming', 'react', 'vue'];

/** The demo site's navigation, put where a page says `<!-- demo-nav -->`, the current page marked. */
const NAV: [string, string][] = [
  ['index', 'Gallery'],
  ['upload', 'Upload'],
  ['endpoint', 'JSON endpoints'],
  ['summary', 'Warehouse payloads'],
  ['theming', 'Theming'],
  ['plain', 'Drop in the tags'],
  ['react', 'React'],
  ['vue', 'Vue'],
];
function withNav(html: string, page: string): string {
  const links = NAV.map(([file, label]) => `<a href="./${file}.html"${file === page ? ' aria-current="page"' : ''}>${label}</a>`).join('\n      ');
  return html.replace('<!-- demo-nav -->', `<nav class="pages" aria-label="Demo pages">\n      ${links}\n    </nav>`);
}

/**
 * The demo site's extras: the sample data and pre-aggregated payloads (demo/tools/data.ts) under
 * `data/`, and the plain-HTML page with the CDN build under `kit/` — served from memory by `npm start`
 * and written into `dist-demo/` by the build.
 */
function demoSite(): Plugin {
  const raw = (name: string): string => readFileSync(`${root}demo/${name}`, 'utf8');
  const plain = (): string => withNav(raw('plain.html'), 'plain');
  const files = async (): Promise<{ name: string; type: string; body: string }[]> => (await import('./demo/tools/data.js')).demoFiles();
  return {
    name: 'crm-demo-site',
    transformIndexHtml(html, context) {
      return withNav(html, context.path.replace(/^\//, '').replace(/\.html$/, '') || 'index');
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const send = (type: string, body: string): void => {
          res.setHeader('content-type', type);
          res.end(body);
        };
        if (path === '/plain.html') return send('text/html; charset=utf-8', plain());
        if (path === '/plain.css') return send('text/css; charset=utf-8', raw('demo.css'));
        // in development the "CDN file" is the kit's source, through Vite
        if (path === '/kit/crm-widgets.js') return send('text/javascript', `import '/@fs${root}src/index.ts';\n`);
        if (path.startsWith('/api/')) {
          void Promise.all([files(), import('./demo/tools/endpoints.js')]).then(([all, { answerEndpoint }]) => {
            const bytes = (table: string): Buffer => Buffer.from(all.find((f) => f.name === `data/${table}.csv`)!.body);
            if (!answerEndpoint(req, res, path, bytes)) next();
          }, next);
          return;
        }
        if (path.startsWith('/data/')) {
          void files().then((all) => {
            const file = all.find((f) => `/${f.name}` === path);
            if (file === undefined) next();
            else send(file.type, file.body);
          }, next);
          return;
        }
        next();
      });
    },
    async generateBundle() {
      for (const file of await files()) this.emitFile({ type: 'asset', fileName: file.name, source: file.body });
      this.emitFile({ type: 'asset', fileName: 'plain.html', source: plain() });
      this.emitFile({ type: 'asset', fileName: 'plain.css', source: raw('demo.css') });
      for (const kit of ['crm-widgets.js', 'crm.worker.js']) {
        const built = `${root}dist/cdn/${kit}`;
        if (!existsSync(built)) this.error(`dist/cdn/${kit} is missing: the demo's plain-HTML page uses the CDN build. Run "npm run build" (or "npm run build:cdn" first).`);
        this.emitFile({ type: 'asset', fileName: `kit/${kit}`, source: readFileSync(built) });
      }
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
      plugins: [templates()],
      build: {
        outDir: `${root}dist`,
        emptyOutDir: true,
        target: 'es2022',
        minify: true, // entries keep their whitespace in library mode; the worker is minified
        sourcemap: true,
        lib: { entry: { index: `${root}src/index.ts`, engine: `${root}src/engine.ts`, sample: `${root}src/sample.ts`, ...ELEMENT_ENTRIES }, formats: ['es'] },
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
      plugins: [templates(), bundleSizes()],
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
    base: './',
    publicDir: false,
    plugins: [templates(), demoSite()],
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
      rollupOptions: { input: Object.fromEntries(DEMO_PAGES.map((page) => [page, `${root}demo/${page}.html`])) },
    },
  };
});
