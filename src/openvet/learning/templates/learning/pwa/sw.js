// OpenVET learning space service worker (ADR 0754). Pages: network first, the offline page
// when the network is gone; pages are never stored. Static files of the shell: cache first.
const CACHE = "{{ cache_name }}";
const SHELL = {{ shell|safe }};
const OFFLINE = {{ offline|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};
const SCOPE = {{ scope|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (!url.pathname.startsWith(SCOPE)) return;
    // Network first; nothing fetched here is stored, so no one's page outlives the session.
    event.respondWith(
      fetch(request).catch(() => caches.match(OFFLINE).then((page) => page || Response.error()))
    );
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX) && !request.headers.has("range")) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
  }
});
