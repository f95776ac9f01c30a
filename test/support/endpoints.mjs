/**
 * HTTP endpoints served to browser tests by the test server: data, failures, HTML instead of data,
 * slow answers and stalls, so fetch handling is tested against a real server.
 */
const ORDERS_CSV = 'customer_id,ordered_at,revenue\nc1,2024-01-05T10:00:00Z,10.50\nc2,2024-01-06T11:00:00Z,20\n';

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function testEndpoints(ctx, next) {
  const path = ctx.path;
  if (!path.startsWith('/api/')) return next();
  switch (path) {
    case '/api/orders.csv':
      ctx.type = 'text/csv';
      ctx.body = ORDERS_CSV;
      return;
    case '/api/auth/orders.csv':
      if (ctx.get('authorization') !== 'Bearer secret-token') {
        ctx.status = 401;
        ctx.body = 'unauthorized';
        return;
      }
      ctx.type = 'text/csv';
      ctx.body = ORDERS_CSV;
      return;
    case '/api/500':
      ctx.status = 500;
      ctx.body = 'internal error';
      return;
    case '/api/login-page':
      ctx.type = 'text/html';
      ctx.body = '<!doctype html><html><body>Please log in</body></html>';
      return;
    case '/api/html-as-json':
      ctx.type = 'application/json';
      ctx.body = '<!DOCTYPE html><html><body>Oops</body></html>';
      return;
    case '/api/bad.json':
      ctx.type = 'application/json';
      ctx.body = '[{"customer_id": "c1", "ordered_at": "2024-01-05", "revenue": 5},, ]';
      return;
    case '/api/slow.csv':
      await delay(Number(ctx.query.ms ?? 500));
      ctx.type = 'text/csv';
      ctx.body = ORDERS_CSV.replace('10.50', String(ctx.query.v ?? '10.50'));
      return;
    case '/api/stall.csv': {
      // sends the header, then nothing
      const { PassThrough } = await import('node:stream');
      const stream = new PassThrough();
      ctx.type = 'text/csv';
      ctx.body = stream;
      stream.write('customer_id,ordered_at,revenue\n');
      setTimeout(() => stream.end(), 20_000);
      return;
    }
    default:
      ctx.status = 404;
      ctx.body = 'not found';
  }
}
