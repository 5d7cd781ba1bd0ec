// Registers the learning space's service worker (ADR 0754); the page links the manifest.
(() => {
  const link = document.querySelector("link[rel=manifest][data-worker]");
  if (!link || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(link.dataset.worker, { scope: link.dataset.scope }).catch(() => {});
})();
