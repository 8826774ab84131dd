// Diary entries saved on the phone while there was no connection, and sending them.
// Shared by the pages (offline-entry.js) and the service worker (sw.js, Background Sync), so it
// uses no DOM. One IndexedDB store, "entries", keyed by the entry's submission id; a small
// wrapper of its own rather than a library: four operations, and it must load with
// importScripts in the worker as well as with a script tag.
//
// A record: {id, revision, patient, action, day, fields: [[name, value], …], savedAt, attention}.
// `revision` counts the answers kept under the key (1, 2, …; sent as answers_revision).
// `id` is the idempotency key the server knows as submission_id: every retry sends the same
// one, so the entry is stored once however often it is sent. `attention` is set when the
// server answered something the patient must see (a conflict with a newer version, answers to
// correct): such a record is not shown again by itself, only with "Send now".
(function (scope) {
  "use strict";

  const DB_NAME = "diary-offline";
  const STORE = "entries";
  const SYNC_TAG = "diary-entries";
  const LOCK = "diary-outbox";
  const SEND_TIMEOUT_MS = 20000;

  function request(idbRequest) {
    return new Promise((resolve, reject) => {
      idbRequest.onsuccess = () => resolve(idbRequest.result);
      idbRequest.onerror = () => reject(idbRequest.error);
    });
  }

  function open() {
    const opening = scope.indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "id" });
    return request(opening);
  }

  async function withStore(mode, work) {
    const db = await open();
    try {
      const transaction = db.transaction(STORE, mode);
      const done = new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
      const result = await work(transaction.objectStore(STORE));
      await done;
      return result;
    } finally {
      db.close();
    }
  }

  const all = () => withStore("readonly", (store) => request(store.getAll()));
  const put = (record) => withStore("readwrite", (store) => request(store.put(record)));
  const get = (id) => withStore("readonly", (store) => request(store.get(id)));
  const remove = (id) => withStore("readwrite", (store) => request(store.delete(id)));

  // Deleted only if it is still the version that was sent: answers saved again meanwhile stay,
  // under a new key (the old one is spent), and go as a submission of their own.
  function removeSent(record) {
    return withStore("readwrite", async (store) => {
      const current = await request(store.get(record.id));
      if (!current) return;
      await request(store.delete(record.id));
      if (current.savedAt !== record.savedAt) {
        const again = Object.assign({}, current, { id: newId() });
        again.fields = again.fields.map(([name, value]) =>
          name === "submission_id" ? [name, again.id] : [name, value]
        );
        await request(store.put(again));
      }
    });
  }

  function markAttention(record) {
    return withStore("readwrite", async (store) => {
      const current = await request(store.get(record.id));
      if (current) await request(store.put(Object.assign(current, { attention: true })));
    });
  }

  function newId() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    const bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    const parts = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)];
    return [...parts, hex.slice(20)].join("-");
  }

  function withTimeout(url, options) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
    return fetch(url, Object.assign({ signal: controller.signal }, options)).finally(() =>
      clearTimeout(timer)
    );
  }

  // Attribute values as Django writes them (&quot; &amp; &#x27; …) back to text.
  function unescape(value) {
    return value
      .replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }

  function attribute(tag, name) {
    const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return match ? unescape(match[1]) : "";
  }

  // Who is signed in, and a CSRF token for them, from a fresh copy of the entry form (the CSRF
  // cookie is HttpOnly, and a page kept offline may hold a token from before a sign-in).
  async function session(scopePath) {
    const response = await withTimeout(scopePath + "entry/", {
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!new URL(response.url).pathname.startsWith(scopePath) || !response.ok) return null;
    const html = await response.text();
    const meta = /<meta\b[^>]*\bname="diary-patient"[^>]*>/.exec(html);
    const token = /<input\b[^>]*\bname="csrfmiddlewaretoken"[^>]*>/.exec(html);
    if (!meta || !token) return null;
    return { patient: attribute(meta[0], "content"), token: attribute(token[0], "value") };
  }

  function body(record, token) {
    const form = new FormData();
    record.fields.forEach(([name, value]) => form.append(name, value));
    form.set("csrfmiddlewaretoken", token);
    return form;
  }

  // One record, once. The outcome: "saved" (url: the confirmation page), "signed-out",
  // "attention" (the server's page must be shown to the patient: 409 both versions, 200 the
  // form with what to correct), or "offline" (no answer, or a server error: tried again later).
  async function sendOne(record, token, scopePath) {
    let response;
    try {
      response = await withTimeout(record.action, {
        method: "POST",
        body: body(record, token),
        credentials: "same-origin",
        redirect: "follow",
      });
    } catch (error) {
      return { record, outcome: "offline" };
    }
    const path = new URL(response.url).pathname;
    if (response.ok && response.redirected && /\/entry\/[^/]+\/saved\/$/.test(path)) {
      await removeSent(record);
      return { record, outcome: "saved", url: response.url };
    }
    if (!path.startsWith(scopePath)) return { record, outcome: "signed-out", url: response.url };
    if (response.status >= 500) return { record, outcome: "offline" }; // tried again later
    await markAttention(record);
    return { record, outcome: "attention", status: response.status };
  }

  // Send every waiting entry of the signed-in patient, once each (one sender at a time across
  // the pages and the worker). `patient`: the page's own patient; the signed-in one must match.
  // `attention`: also the records the patient has been shown before; `include`: these ids
  // whatever they are (a page's own, marked by another sender a moment ago).
  async function sendWaiting({ scope: scopePath, patient = null, attention = false, include = [] }) {
    const run = async () => {
      const waiting = (await all()).filter(
        (record) => attention || !record.attention || include.includes(record.id)
      );
      if (!waiting.length) return [];
      let signedIn;
      try {
        signedIn = await session(scopePath);
      } catch (error) {
        return [{ outcome: "offline" }];
      }
      if (!signedIn || (patient && signedIn.patient !== patient)) return [];
      const results = [];
      for (const record of waiting.filter((r) => r.patient === signedIn.patient)) {
        // Read again: another sender may have sent it a moment ago.
        if (!(await get(record.id))) continue;
        const result = await sendOne(record, signedIn.token, scopePath);
        results.push(Object.assign(result, { token: signedIn.token }));
        if (result.outcome === "offline" || result.outcome === "signed-out") break;
      }
      return results;
    };
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, run) : run();
  }

  scope.DiaryOutbox = { SYNC_TAG, all, put, get, remove, newId, sendOne, sendWaiting };
})(self);
