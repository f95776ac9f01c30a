// A loopback-only static file server for benchmark pages, test pages, the built demo and data (no
// caching, exact lengths), with optional extra response headers (CSP, CORS) and request handlers.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** Answers a request itself (an API endpoint); returns false to fall through to the files. */
export type Handler = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

export interface ServeOptions {
  /** Headers added to every response, or computed per path (a CSP for pages, CORS for scripts). */
  headers?: Record<string, string> | ((path: string) => Record<string, string>);
  /** Tried first, in order. */
  handlers?: Handler[];
  /** Port; default: a free one. */
  port?: number;
  /** Interface; default 127.0.0.1 (loopback only). */
  host?: string;
}

/** Serves `routes` (URL prefix → directory) on 127.0.0.1 at a free port. */
export async function serveStatic(routes: Record<string, string>, options: ServeOptions = {}): Promise<StaticServer> {
  const extra = (path: string): Record<string, string> => (typeof options.headers === 'function' ? options.headers(path) : (options.headers ?? {}));
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    for (const handler of options.handlers ?? []) if (handler(req, res, path)) return;
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!path.startsWith(prefix)) continue;
      const rest = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
      try {
        // a prefix may name one file (`'/probe.js': '/path/to/probe.js'`)
        const file = rest === '.' || rest === '' ? (statSync(dir).isFile() ? dir : join(dir, 'index.html')) : join(dir, rest.endsWith('/') ? `${rest}index.html` : rest);
        const stat = statSync(file);
        if (!stat.isFile()) break;
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-length': stat.size,
          'cache-control': 'no-store',
          ...extra(path),
        });
        createReadStream(file).pipe(res);
        return;
      } catch {
        break;
      }
    }
    res.writeHead(404).end('not found');
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
