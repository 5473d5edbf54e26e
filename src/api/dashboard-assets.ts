import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built dashboard, found next to this module: `dist/api/dashboard-assets.js` serves `dist/dashboard`
 * (what `npm run build` writes), wherever the package is installed.
 */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../dashboard/', import.meta.url));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Scripts only from this server, no inline script, no framing: even if target-provided text reached the
 * page as markup (the dashboard renders it as text), it could not run.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the dashboard's files for GET and HEAD: `/assets/…` as built (content-hashed names, cached for
 * a year), and `index.html` for every other path, so `/campaigns/x` can be opened or reloaded directly.
 * Paths cannot leave the folder.
 */
export function createDashboardHandler(dir = defaultDashboardDir()): (req: IncomingMessage, res: ServerResponse) => void {
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  const send = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('the dashboard is read with GET\n');
    }
    if (!existsSync(join(root, 'index.html'))) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('the dashboard is not built: run `npm run build`\n');
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('bad path\n');
    }
    const asset = path.startsWith('/assets/') || path === '/favicon.svg' ? normalize(join(root, path)) : undefined;
    if (asset !== undefined && (!asset.startsWith(root) || !existsSync(asset))) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('no such file\n');
    }
    const file = asset ?? join(root, 'index.html');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'cache-control': file === asset ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  return (req, res) => {
    send(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('could not read the dashboard\n');
    });
  };
}
