// On a patient's page (the diary-patient meta): start the diary's service worker (sw.js),
// which keeps the app shell and the last pages seen for use without a connection.
// On a signed-out page (the sign-in page): delete everything it kept, beside the
// Clear-Site-Data header of sign-out. Entries waiting to be sent (IndexedDB) stay.
(function () {
  "use strict";
  const script = document.currentScript;
  const meta = document.querySelector('meta[name="diary-patient"]');
  if (meta && meta.content) {
    if ("serviceWorker" in navigator && script && script.dataset.worker) {
      navigator.serviceWorker
        .register(script.dataset.worker, { scope: script.dataset.scope })
        .catch(() => undefined); // without it the pages work as before, online
    }
  } else if ("caches" in window) {
    caches
      .keys()
      .then((names) => Promise.all(names.map((name) => caches.delete(name))))
      .catch(() => undefined);
  }
})();
