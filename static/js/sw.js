// The diary's service worker, served at /diary/sw.js (diary/views/offline.py), so it controls
// the patient's pages only. The view writes self.DIARY_SW above this file: the app shell's
// addresses, the offline page's and the outbox script's, and a version made from their content.
//
// What it keeps (the older versions' caches are deleted when it starts):
// - "diary-<version>": the app shell (CSS, scripts, icons) and any other static file a patient
//   page used — no patient data — and the key of the patient last seen (PATIENT_ENTRY);
// - "diary-<version>-p-<patient key>", one patient's pages: the offline page in the patient's
//   language, the last home page and today's form seen online (today's form is shown only on
//   the same day), the home page's latest charts. Only the cache of the patient last seen
//   signed in is ever used; a page of another patient (its diary-patient meta) deletes it
//   first. Nothing is served older than the session's absolute limit (maxAgeMs, from
//   SESSION_ABSOLUTE_HOURS), and a patient page that comes back as a redirect (signed out)
//   deletes every patient cache.
// Nothing under /clinic/, /admin/ or /accounts/, nothing but GET, nothing sent with
// Cache-Control: no-store. The sign-in page empties CacheStorage too (sw-register.js).
// Sign-out's Clear-Site-Data: "cache" header clears the browser's HTTP cache only, not
// CacheStorage: it does not replace the deletions here.
// Entries saved on the phone are sent by Background Sync where the browser has it
// (offline-outbox.js, shared with the pages).
"use strict";

const CONFIG = self.DIARY_SW;
const CACHE = "diary-" + CONFIG.version; // the shell: no patient data
const PATIENT_PREFIX = CACHE + "-p-";
const SCOPE = new URL(self.registration.scope).pathname; // "/diary/"
// The pages kept for offline use, by path: the home page and today's form.
const KEPT_PAGES = [SCOPE, SCOPE + "entry/"];
const TODAY_ONLY = SCOPE + "entry/";
// The kept home page's chart images (the latest of each, whatever its ?v=).
const CHARTS = SCOPE + "charts/";
const NEVER = ["/clinic/", "/admin/", "/accounts/"];
const CACHED_AT = "X-Diary-Cached-At";
const OFFLINE_MAX_AGE_MS = 24 * 3600 * 1000;
// No patient page older than a session may last (config/settings.py SESSION_ABSOLUTE_HOURS).
const MAX_AGE_MS = CONFIG.maxAgeMs || 12 * 3600 * 1000;
// In the shell cache: the key of the patient whose pages may be served.
const PATIENT_ENTRY = SCOPE + "sw-patient";
const PATIENT_META = /<meta\b[^>]*\bname="diary-patient"[^>]*\bcontent="([^"]*)"/;
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
      .then((names) => names.filter((name) => name !== CACHE && !name.startsWith(PATIENT_PREFIX)))
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

// A patient page says whose it is (sw-register.js), before anything of theirs is kept.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "diary-patient" && event.data.key) {
    event.waitUntil(patientIs(event.data.key));
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

function fresh(response) {
  const age = Date.now() - Number(response.headers.get(CACHED_AT));
  return age >= 0 && age < MAX_AGE_MS;
}

async function currentPatient() {
  const cache = await caches.open(CACHE);
  const entry = await cache.match(PATIENT_ENTRY);
  return entry ? entry.text() : "";
}

// The patient's own cache, or null when no patient is known.
async function patientCache() {
  const key = await currentPatient();
  return key ? caches.open(PATIENT_PREFIX + key) : null;
}

async function forgetPatients(except) {
  const names = await caches.keys();
  const others = names.filter((n) => n.startsWith("diary-") && n.includes("-p-") && n !== except);
  await Promise.all(others.map((name) => caches.delete(name)));
}

// `key` is signed in now: every other patient's cache goes, then it is the current one.
async function patientIs(key) {
  await forgetPatients(PATIENT_PREFIX + key);
  if ((await currentPatient()) !== key) {
    const cache = await caches.open(CACHE);
    await cache.put(PATIENT_ENTRY, new Response(key));
  }
  return caches.open(PATIENT_PREFIX + key);
}

async function signedOut() {
  await forgetPatients(null);
  const cache = await caches.open(CACHE);
  await cache.delete(PATIENT_ENTRY);
}

// A patient page came back as a redirect: to the sign-in page (signed out), or within the
// diary (a page with nothing to ask). The offline page tells which.
async function afterRedirect() {
  try {
    const probe = await fetch(CONFIG.offline, { credentials: "same-origin", cache: "no-store" });
    if (!probe.ok || !new URL(probe.url).pathname.startsWith(SCOPE)) await signedOut();
  } catch (error) {
    // Offline now: decided on the next visit.
  }
}

function sameLocalDay(time) {
  return new Date(time).toDateString() === new Date().toDateString();
}

async function keptPage(path) {
  const cache = await patientCache();
  if (!cache) return null;
  // By address alone (Django's Vary: Cookie would not match a request the worker makes).
  const cached = await cache.match(path, { ignoreSearch: true, ignoreVary: true });
  if (!cached || !fresh(cached)) return null;
  // Yesterday's form would save yesterday's day: not shown.
  if (path === TODAY_ONLY && !sameLocalDay(Number(cached.headers.get(CACHED_AT)))) return null;
  return cached;
}

async function offlinePage() {
  const cache = await patientCache();
  const cached = cache && (await cache.match(CONFIG.offline, { ignoreVary: true }));
  return cached && fresh(cached) ? cached : null;
}

// The offline page for the signed-in patient, again when it is a day old or in another language.
async function keepOfflinePage(language) {
  const cache = await patientCache();
  if (!cache) return;
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
    if (!keepable(response)) return;
    const page = await stamped(response);
    const key = PATIENT_META.exec(await page.clone().text());
    // Only the current patient's own page, into their own cache.
    if (key && key[1] === (await currentPatient())) await cache.put(CONFIG.offline, page);
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
    if (response.type === "opaqueredirect" || !new URL(response.url).pathname.startsWith(SCOPE)) {
      event.waitUntil(afterRedirect());
    } else if (keepable(response)) {
      const page = await stamped(response.clone());
      const key = PATIENT_META.exec(await page.clone().text());
      if (key && key[1]) {
        const cache = await patientIs(key[1]);
        if (kept) await cache.put(kept, page);
        event.waitUntil(keepOfflinePage(response.headers.get("Content-Language") || ""));
      }
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
  const cache = await patientCache();
  try {
    const response = await fetch(event.request);
    if (cache && keepable(response)) {
      const earlier = await cache.keys(url.pathname, { ignoreSearch: true });
      await Promise.all(earlier.map((request) => cache.delete(request)));
      await cache.put(event.request, await stamped(response.clone()));
    }
    return response;
  } catch (error) {
    const kept =
      cache && (await cache.match(url.pathname, { ignoreSearch: true, ignoreVary: true }));
    return kept && fresh(kept) ? kept : Response.error();
  }
}

// Background Sync: send what waits for the signed-in patient; the page that saved the entry
// (if open) shows the answer: the saved page, or the server's page for a conflict. Each page
// decides by the record's id and day whether it is its own (offline-entry.js): not every tab
// moves.
async function sendInBackground() {
  const results = await self.DiaryOutbox.sendWaiting({ scope: SCOPE });
  const told = results.filter((r) => r.outcome === "saved" || r.outcome === "attention");
  if (told.length) {
    // Pages it does not control too: a page loaded while the worker was starting (its claim
    // not yet there) must still move to its answer.
    const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    told.forEach((result) =>
      pages.forEach((page) =>
        page.postMessage({
          type: result.outcome === "saved" ? "diary-entry-sent" : "diary-entry-attention",
          url: result.url,
          id: result.record.id,
          day: result.record.day,
        })
      )
    );
  }
  if (results.some((result) => result.outcome === "offline")) {
    throw new Error("still offline"); // the browser tries the sync again later
  }
}
