// A plain static file server for the deploy spec: serves a folder under a sub-path (/some/path/),
// with no rewrites, no special headers (no COOP/COEP, unlike vite preview) and nothing outside the
// mount, as a static host would. Port 0 picks a free port.
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
};

export interface StaticServer {
  readonly url: string; // the mount's address, ending in /
  close(): Promise<void>;
}

export async function serveStatic(root: string, mount: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (!path.startsWith(mount)) return void res.writeHead(404).end();
      let file = normalize(join(root, path.slice(mount.length)));
      if (!file.startsWith(root + sep) && file !== root) return void res.writeHead(403).end();
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file).catch(() => null);
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
