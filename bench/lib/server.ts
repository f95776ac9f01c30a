// A loopback-only static file server for benchmark pages and data (no caching, exact lengths).
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.wasm': 'application/wasm',
};

/** A running server and its origin. */
export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `routes` (URL prefix → directory) on 127.0.0.1 at a free port. */
export async function serveStatic(routes: Record<string, string>): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!path.startsWith(prefix)) continue;
      const rest = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
      const file = join(dir, rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest);
      try {
        const stat = statSync(file);
        if (!stat.isFile()) break;
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-length': stat.size,
          'cache-control': 'no-store',
        });
        createReadStream(file).pipe(res);
        return;
      } catch {
        break;
      }
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
