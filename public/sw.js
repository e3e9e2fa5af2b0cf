// Offline once loaded: a minimal service worker for the built site (registered from src/ui/main.tsx
// in production builds only). Its scope is the folder it is served from, so the site works the same
// under / or /some/path/. On install it caches every built file, named in precache.json (written by
// the build, vite.config.ts), and the page itself. Pages are fetched network first, so a new deploy
// is seen as soon as it is reachable, and each successful page load refreshes the cache to that
// deploy's files; everything else is served from the cache first (the asset names carry a hash).
const CACHE = 'pfnscope';
const SHELL = ['./', './index.html', './favicon.svg', './precache.json'];

/** Cache this deploy's files (those not cached yet) and drop the ones an older deploy left. */
async function refresh() {
  const cache = await caches.open(CACHE);
  const res = await fetch('./precache.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`precache.json: HTTP ${res.status}`);
  const files = /** @type {string[]} */ (await res.json());
  const wanted = new Set([...SHELL, ...files.map((f) => `./${f}`)].map((u) => new URL(u, self.registration.scope).href));
  const have = new Set((await cache.keys()).map((r) => r.url));
  await cache.addAll([...wanted].filter((u) => !have.has(u)));
  await Promise.all([...have].filter((u) => !wanted.has(u)).map((u) => cache.delete(u)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(refresh().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !req.url.startsWith(self.registration.scope)) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) event.waitUntil(refresh().catch(() => undefined));
          return res;
        })
        // Offline: the cached page; a share link's fragment never reaches the server, so one page serves all.
        .catch(async () => (await caches.match(req, { ignoreSearch: true })) ?? (await caches.match(new URL('./', self.registration.scope).href)) ?? Response.error()),
    );
    return;
  }
  event.respondWith(caches.match(req, { ignoreSearch: true }).then((hit) => hit ?? fetch(req)));
});
