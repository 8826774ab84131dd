// On a patient's page (the diary-patient meta): start the diary's service worker (sw.js),
// which keeps the app shell and the last pages seen for use without a connection. The kept
// pages belong to one patient: when the page's key is not the one kept beside the cache
// ("/diary/sw-patient"), every patient cache is deleted first (another patient was signed
// in here, by whatever way), and the worker is told whose pages it may keep and serve now.
// On a signed-out page (the sign-in page): delete everything it kept. Entries waiting to be
// sent (IndexedDB) stay. (Sign-out's Clear-Site-Data "cache" clears the HTTP cache only.)
(function () {
  "use strict";
  const script = document.currentScript;
  const meta = document.querySelector('meta[name="diary-patient"]');
  const hasCaches = "caches" in window;

  async function forgetOthers(key) {
    if (!hasCaches) return;
    const entry = await caches.match("/diary/sw-patient");
    const kept = entry ? await entry.text() : "";
    if (kept === key) return;
    const names = await caches.keys();
    const others = names.filter((name) => name.includes("-p-") && !name.endsWith("-p-" + key));
    await Promise.all(others.map((name) => caches.delete(name)));
  }

  function tell(worker, key) {
    if (worker) worker.postMessage({ type: "diary-patient", key });
  }

  if (meta && meta.content) {
    const key = meta.content;
    forgetOthers(key)
      .catch(() => undefined)
      .then(() => {
        if (!("serviceWorker" in navigator) || !script || !script.dataset.worker) return;
        tell(navigator.serviceWorker.controller, key);
        return navigator.serviceWorker
          .register(script.dataset.worker, { scope: script.dataset.scope })
          .then(() => navigator.serviceWorker.ready)
          .then((registration) => tell(registration.active, key));
      })
      .catch(() => undefined); // without it the pages work as before, online
  } else if (hasCaches) {
    caches
      .keys()
      .then((names) => Promise.all(names.map((name) => caches.delete(name))))
      .catch(() => undefined);
  }
})();
