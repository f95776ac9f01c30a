/**
 * `npm run serve:demo`: serves the built demo site (dist-demo/, from `npm run build`) on
 * http://localhost:4173 (PORT to change), with the example endpoints of the JSON-endpoint page
 * (normal, slow, failing, token-protected; see endpoints.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../../bench/lib/server.js';
import { answerEndpoint } from './endpoints.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const site = `${root}dist-demo`;
if (!existsSync(`${site}/index.html`)) {
  console.error('dist-demo/ is missing: run "npm run build" first.');
  process.exit(1);
}

const port = Number(process.env['PORT'] ?? 4173);
const server = await serveStatic(
  { '/': site },
  {
    port,
    host: process.env['HOST'] ?? '127.0.0.1',
    handlers: [(req, res, path) => answerEndpoint(req, res, path, (table) => readFileSync(`${site}/data/${table}.csv`))],
  },
).catch((error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: stop what runs there, or pick another port with PORT=4174 npm run serve:demo.` : error.message);
  process.exit(1);
});
console.log(`demo site on ${server.origin.replace('127.0.0.1', 'localhost')}/ (Ctrl+C to stop)`);
