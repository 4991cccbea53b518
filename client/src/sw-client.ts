// Registers the service worker (client/public/sw.js) and talks to it: warming the offline cache
// with what a page needs to reload without the server, and clearing it on sign-out.
const API_CACHE = 'tessera-api-v1';
const BLOB_CACHE = 'tessera-blobs-v1';

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch((e) => console.warn('service worker not registered:', e));
}

/** Asks the service worker to fetch and keep these same-origin GET URLs for offline use. */
export async function warmOfflineCache(urls: string[]): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  const worker = reg.active;
  if (!worker) return;
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    worker.postMessage({ type: 'warm', urls }, [channel.port2]);
  });
}

export async function clearOfflineCaches(): Promise<void> {
  if (!('caches' in window)) return;
  await Promise.all([caches.delete(API_CACHE), caches.delete(BLOB_CACHE)]);
}
