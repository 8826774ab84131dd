// The diary's service worker, served at /diary/sw.js (diary/views/offline.py), so it controls
// the patient's pages only. The view writes self.DIARY_SW above this file: the app shell's
// addresses, the offline page's and the outbox script's, and a version made from their content.
//
// What it keeps (one cache, "diary-<version>"; the older ones are deleted when it starts):
// - the app shell (CSS, scripts, icons) and any other static file a patient page used;
// - the offline page, in the patient's language, for a page that cannot load;
// - the last home page and today's form seen online (today's form is shown only on the same
//   day), and the home page's latest charts.
// Nothing under /clinic/, /admin/ or /accounts/, nothing but GET, nothing sent with
// Cache-Control: no-store, no redirect (a signed-out visit). The sign-in page empties the
// cache (sw-register.js); sign-out's Clear-Site-Data header is the other guard.
// Entries saved on the phone are sent by Background Sync where the browser has it
// (offline-outbox.js, shared with the pages).
"use strict";

const CONFIG = self.DIARY_SW;
const CACHE = "diary-" + CONFIG.version;
const SCOPE = new URL(self.registration.scope).pathname; // "/diary/"
// The pages kept for offline use, by path: the home page and today's form.
const KEPT_PAGES = [SCOPE, SCOPE + "entry/"];
const TODAY_ONLY = SCOPE + "entry/";
// The kept home page's chart images (the latest of each, whatever its ?v=).
const CHARTS = SCOPE + "charts/";
const NEVER = ["/clinic/", "/admin/", "/accounts/"];
const CACHED_AT = "X-Diary-Cached-At";
const OFFLINE_MAX_AGE_MS = 24 * 3600 * 1000;
// A patient page waits this long for the network before the kept copy is shown.
const PAGE_TIMEOUT_MS = 10000;

importScripts(CONFIG.outbox);

// Each shell file on its own: on a weak connection one that does not arrive must not stop the
// worker from starting (it is kept the next time a page uses it).
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all(CONFIG.shell.map((url) => cache.add(url).catch(() => null))))
      .then(() => keepOfflinePage(""))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => names.filter((name) => name !== CACHE))
      .then((old) => Promise.all(old.map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(staticFile(event));
  } else if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    event.respondWith(patientPage(event, url));
  } else if (url.pathname.startsWith(CHARTS)) {
    event.respondWith(chart(event, url));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === self.DiaryOutbox.SYNC_TAG) {
    event.waitUntil(sendInBackground());
  }
});

function keepable(response) {
  const cacheControl = response.headers.get("Cache-Control") || "";
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    !/no-store/i.test(cacheControl)
  );
}

// Static files: from the cache, refreshed in the background (their names change with their
// content in production, so a kept copy is the right one).
async function staticFile(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request, { ignoreSearch: false });
  const network = fetch(event.request).then(async (response) => {
    if (keepable(response)) await cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(network.catch(() => undefined));
    return cached;
  }
  return network;
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(CACHED_AT, String(Date.now()));
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

function sameLocalDay(time) {
  return new Date(time).toDateString() === new Date().toDateString();
}

async function keptPage(path) {
  const cache = await caches.open(CACHE);
  // By address alone (Django's Vary: Cookie would not match a request the worker makes).
  const cached = await cache.match(path, { ignoreSearch: true, ignoreVary: true });
  if (!cached) return null;
  // Yesterday's form would save yesterday's day: not shown.
  if (path === TODAY_ONLY && !sameLocalDay(Number(cached.headers.get(CACHED_AT)))) return null;
  return cached;
}

async function offlinePage() {
  const cache = await caches.open(CACHE);
  return cache.match(CONFIG.offline, { ignoreVary: true });
}

// The offline page for the signed-in patient, again when it is a day old or in another language.
async function keepOfflinePage(language) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(CONFIG.offline, { ignoreVary: true });
  if (
    cached &&
    (!language || cached.headers.get("Content-Language") === language) &&
    Date.now() - Number(cached.headers.get(CACHED_AT)) < OFFLINE_MAX_AGE_MS
  ) {
    return;
  }
  try {
    const response = await fetch(CONFIG.offline, { credentials: "same-origin", cache: "no-store" });
    if (keepable(response)) await cache.put(CONFIG.offline, await stamped(response));
  } catch (error) {
    // Offline, or signed out: the page is kept on a later visit.
  }
}

function withTimeout(promise, milliseconds) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), milliseconds);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}

// Patient pages: from the network; without it the kept copy, else the offline page.
async function patientPage(event, url) {
  const kept = KEPT_PAGES.includes(url.pathname) && !url.search ? url.pathname : null;
  const network = fetch(event.request).then(async (response) => {
    if (keepable(response)) {
      if (kept) {
        const cache = await caches.open(CACHE);
        await cache.put(kept, await stamped(response.clone()));
      }
      event.waitUntil(keepOfflinePage(response.headers.get("Content-Language") || ""));
    }
    return response;
  });
  try {
    const cached = kept ? await keptPage(kept) : null;
    return await (cached ? withTimeout(network, PAGE_TIMEOUT_MS) : network);
  } catch (error) {
    event.waitUntil(network.catch(() => undefined));
    const fallback = (kept && (await keptPage(kept))) || (await offlinePage());
    return fallback || Response.error();
  }
}

// A chart: from the network (kept, replacing the one before); without it, the kept one.
async function chart(event, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request);
    if (keepable(response)) {
      const earlier = await cache.keys(url.pathname, { ignoreSearch: true });
      await Promise.all(earlier.map((request) => cache.delete(request)));
      await cache.put(event.request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(url.pathname, { ignoreSearch: true, ignoreVary: true });
    return kept || Response.error();
  }
}

// Background Sync: send what waits for the signed-in patient; an open page shows the answer.
async function sendInBackground() {
  const results = await self.DiaryOutbox.sendWaiting({ scope: SCOPE });
  const saved = results.find((result) => result.outcome === "saved");
  if (saved) {
    const pages = await self.clients.matchAll({ type: "window" });
    pages.forEach((page) => page.postMessage({ type: "diary-entry-sent", url: saved.url }));
  }
  if (results.some((result) => result.outcome === "offline")) {
    throw new Error("still offline"); // the browser tries the sync again later
  }
}
