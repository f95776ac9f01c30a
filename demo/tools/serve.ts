/**
 * `npm run serve:demo`: serves the built demo site (dist-demo/, from `npm run build`) on
 * http://localhost:4173 (PORT to change), with the example endpoints of the JSON-endpoint page:
 *
 *   /api/normal/<table>.csv   the sample tables
 *   /api/slow/<table>.csv     the same, trickled out in 64 kB pieces every 150 ms (progress, Cancel)
 *   /api/fail/<table>.csv     HTTP 500 with a JSON error body
 *   /api/auth/<table>.csv     401 unless the request has `Authorization: Bearer demo-token`
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../../bench/lib/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const site = `${root}dist-demo`;
if (!existsSync(`${site}/index.html`)) {
  console.error('dist-demo/ is missing: run "npm run build" first.');
  process.exit(1);
}

const TABLES = new Set(['orders', 'touches', 'costs', 'customers']);
const CSV = { 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'no-store' };

function trickle(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { ...CSV, 'content-length': body.length });
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(body.subarray(offset, offset + 65_536));
    offset += 65_536;
    if (offset >= body.length) {
      clearInterval(timer);
      res.end();
    }
  }, 150);
  res.on('close', () => clearInterval(timer));
}

const port = Number(process.env['PORT'] ?? 4173);
const server = await serveStatic(
  { '/': site },
  {
    port,
    host: process.env['HOST'] ?? '127.0.0.1',
    handlers: [
      (req, res, path) => {
        const m = /^\/api\/(normal|slow|fail|auth)\/(\w+)\.csv$/.exec(path);
        if (m === null) return false;
        const [, mode, table] = m as unknown as [string, string, string];
        if (!TABLES.has(table)) return false;
        const body = readFileSync(`${site}/data/${table}.csv`);
        if (mode === 'fail') {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'The example endpoint failed on purpose.' }));
        } else if (mode === 'auth' && req.headers.authorization !== 'Bearer demo-token') {
          res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end(JSON.stringify({ error: 'Send Authorization: Bearer demo-token.' }));
        } else if (mode === 'slow') {
          trickle(res, body);
        } else {
          res.writeHead(200, { ...CSV, 'content-length': body.length }).end(body);
        }
        return true;
      },
    ],
  },
).catch((error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: stop what runs there, or pick another port with PORT=4174 npm run serve:demo.` : error.message);
  process.exit(1);
});
console.log(`demo site on ${server.origin.replace('127.0.0.1', 'localhost')}/ (Ctrl+C to stop)`);
