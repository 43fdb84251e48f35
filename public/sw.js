// Bazar's service worker: the shop, the sellers' app and every tutor lesson
// with its audio keep working without a network after a first visit.
// - pages: network first, the last copy when offline (each app's own page);
// - trunk's hashed files: cache first (their names change each release);
// - pictures, fonts and narration: cache first, stored at install;
// - the catalog (products, families, zones): network first, the last answer
//   when offline; every other /api answer and every change goes to the
//   network only (the shop's order queue keeps unsent orders itself).
const VERSION = 'bazar-1';
const SHELLS = ['/', '/seller/learn'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    const list = await (await fetch('/precache.json', { cache: 'no-cache' })).json();
    const urls = new Set(list);
    for (const shell of SHELLS) {
      const response = await fetch(shell, { cache: 'no-cache' });
      const html = await response.clone().text();
      await cache.put(shell, response);
      for (const match of html.matchAll(/["'](\/[^"'?#]+\.(?:js|wasm|css))["']/g)) urls.add(match[1]);
    }
    await cache.addAll([...urls]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== VERSION) await caches.delete(key);
    await self.clients.claim();
  })());
});

const CATALOG = /^\/api\/(products|families|zones)(\/|$|\?)/;
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;
const STATIC = /^\/(img|fonts|audio)\//;

/** The page of the app a path belongs to, for offline navigations. */
function shellOf(path) {
  if (path.startsWith('/seller')) return '/seller/learn';
  return '/';
}

async function networkFirst(request, fallbackKey) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallbackKey ?? request, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(fallbackKey ?? request)) ?? (await cache.match(request));
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(VERSION);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The center's pages are not kept: operators work online.
    if (url.pathname.startsWith('/center')) return;
    event.respondWith(networkFirst(request, url.pathname === '/' ? '/' : undefined).catch(async () => {
      const cache = await caches.open(VERSION);
      return (await cache.match(shellOf(url.pathname))) ?? Response.error();
    }));
  } else if (CATALOG.test(url.pathname + url.search)) {
    event.respondWith(networkFirst(request));
  } else if (HASHED.test(url.pathname) || STATIC.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
