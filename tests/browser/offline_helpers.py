"""For the offline browser tests (issue 20): what a test reads from the phone (the entries
waiting in IndexedDB, the addresses in CacheStorage) and a wait for the service worker.
The context that allows service workers is the `new_context` fixture of conftest.py.
"""

from __future__ import annotations

import time

# In the page: the entries waiting on the phone, and every address kept in CacheStorage.
WAITING_JS = "() => window.DiaryOutbox.all()"
CACHED_URLS_JS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(request.url);
  }
  return urls;
}"""


def until(check, seconds: float = 15) -> None:
    """Poll `check()` until it is true (the worker and the pages work in the background)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "still not so"
        time.sleep(0.2)


def worker_ready(page) -> None:
    """Wait until the page is controlled by the diary's service worker (it caches from then on).
    Its installation fetches the app shell: slow on a busy test machine, hence the longer wait."""

    def active() -> bool:
        state = page.evaluate(WORKER_STATE_JS)
        return isinstance(state, dict) and state["active"] == "activated"

    try:
        until(active, seconds=45)
    except AssertionError as error:
        state = page.evaluate(WORKER_STATE_JS)
        raise AssertionError(f"{page.url}: the worker did not activate: {state}") from error
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        # Active, yet its clients.claim() has not reached this page (it happens on a busy
        # machine): a page loaded with an active worker is always controlled.
        page.reload()
    try:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=45_000)
    except Exception as error:
        state = page.evaluate(WORKER_STATE_JS)
        raise AssertionError(f"{page.url} is not controlled by the worker: {state}") from error


WORKER_STATE_JS = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return "no registration";
  const { installing, waiting, active } = registration;
  return { scope: registration.scope, installing: installing && installing.state,
           waiting: waiting && waiting.state, active: active && active.state };
}"""
