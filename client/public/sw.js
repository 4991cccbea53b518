// Tessera's service worker: keeps the app shell, API reads and image blobs so that a page can be
// reloaded while the server is down. Documents themselves live in IndexedDB (y-indexeddb).
//  - navigations: network first, cached app shell (index.html) when offline
//  - /assets/*: cache first (file names are content-hashed)
//  - /api/blobs/*: cache first (content-addressed, immutable); API reads and blobs are cleared
//    when anyone signs in or out, so one user's cache never serves another
//  - other GET /api/*: network first, cached copy when offline (never /api/sync)
const SHELL_CACHE = 'tessera-shell-v1';
const API_CACHE = 'tessera-api-v1';
const BLOB_CACHE = 'tessera-blobs-v1';
const KEEP = [SHELL_CACHE, API_CACHE, BLOB_CACHE];

async function cacheShell() {
  const cache = await caches.open(SHELL_CACHE);
  const res = await fetch('/', { cache: 'no-cache' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put('/', res);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await Promise.all(assets.map((a) => cache.add(a).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => !KEEP.includes(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The copy is written after the answer is handed to the page (`defer` gets the write: the fetch
// handler keeps the worker alive for it by waitUntil), so that a read never waits for the cache.
async function networkFirst(defer, request, cacheName, fallbackKey) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    // Only an HTML answer is the app shell: a navigation to /health or an API URL must not replace it.
    const keep = res.ok && (fallbackKey !== '/' || (res.headers.get('content-type') ?? '').startsWith('text/html'));
    if (keep) defer(cache.put(fallbackKey ?? request, res.clone()));
    return res;
  } catch (e) {
    const hit = await cache.match(fallbackKey ?? request);
    if (hit) return hit;
    throw e;
  }
}

async function cacheFirst(defer, request, cacheName) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.status === 200) defer(cache.put(request, res.clone()));
  return res;
}

// Cached API reads and blobs belong to whoever was signed in: dropped when anyone signs in or out.
const clearUserCaches = () => Promise.all([caches.delete(API_CACHE), caches.delete(BLOB_CACHE)]);

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const defer = (p) => event.waitUntil(p);
  if (req.method === 'POST' && /^\/api\/auth\/(login|logout|logout-everywhere)$/.test(new URL(req.url).pathname)) {
    event.waitUntil(clearUserCaches());
    return;
  }
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/sync')) return;
  // The project event stream never ends: never cached, straight to the network.
  if ((req.headers.get('accept') ?? '').includes('text/event-stream')) return;
  if (req.mode === 'navigate') {
    event.respondWith(networkFirst(defer, req, SHELL_CACHE, '/'));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(defer, req, SHELL_CACHE));
  } else if (url.pathname.startsWith('/api/blobs/')) {
    if (req.headers.has('range')) return;
    event.respondWith(cacheFirst(defer, req, BLOB_CACHE));
  } else if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(defer, req, API_CACHE));
  }
});

// The page asks for URLs it will need offline (the image it shows, its metadata, the classes).
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'warm' || !Array.isArray(data.urls)) return;
  const port = event.ports[0];
  // "warmed" means stored: it waits for the cache writes too.
  const writes = [];
  const defer = (p) => writes.push(p.catch(() => undefined));
  const work = Promise.all(
    data.urls.map((u) => {
      const url = new URL(u, self.location.origin);
      if (url.origin !== self.location.origin) return undefined;
      const req = new Request(url.href, { credentials: 'same-origin' });
      return (url.pathname.startsWith('/api/blobs/') ? cacheFirst(defer, req, BLOB_CACHE) : networkFirst(defer, req, API_CACHE)).catch(() => undefined);
    }),
  )
    .then(() => Promise.all(writes))
    .then(() => port?.postMessage({ type: 'warmed' }));
  event.waitUntil(work);
});
