/**
 * The example endpoints of the demo's JSON-endpoint page, for `npm run serve:demo` and `npm start`:
 *
 *   /api/normal/<table>.csv   the sample tables
 *   /api/slow/<table>.csv     the same, trickled out in 64 kB pieces every 150 ms (progress, Cancel)
 *   /api/fail/<table>.csv     HTTP 500 with a JSON error body
 *   /api/auth/<table>.csv     401 unless the request has `Authorization: Bearer demo-token`
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

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

/**
 * Answers `/api/...` requests from `table(name)` (the bytes of a sample table); returns false for
 * anything else. `path` is the request's path relative to the site.
 */
export function answerEndpoint(req: IncomingMessage, res: ServerResponse, path: string, table: (name: string) => Buffer): boolean {
  const m = /\/api\/(normal|slow|fail|auth)\/(\w+)\.csv$/.exec(path);
  if (m === null || !TABLES.has(m[2]!)) return false;
  const mode = m[1]!;
  if (mode === 'fail') {
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'The example endpoint failed on purpose.' }));
  } else if (mode === 'auth' && req.headers.authorization !== 'Bearer demo-token') {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end(JSON.stringify({ error: 'Send Authorization: Bearer demo-token.' }));
  } else if (mode === 'slow') {
    trickle(res, table(m[2]!));
  } else {
    const body = table(m[2]!);
    res.writeHead(200, { ...CSV, 'content-length': body.length }).end(body);
  }
  return true;
}
