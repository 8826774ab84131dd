"""For the offline browser tests (issue 20): the fixtures of tests/browser, a context that
allows service workers (or runs no JavaScript at all), and what a test reads from the phone.

Test modules import the fixtures from here (`from tests.offline.browser_context import *`
style, by name), since tests/browser/conftest.py does not reach this folder.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures used by the test modules)
    ARTIFACTS,
    PHONE,
    assert_accessible,
    axe_source,
    browser,
)


@pytest.fixture
def new_context(browser, request):  # noqa: F811
    """new_context(locale="ja-JP", javascript=True) -> BrowserContext with service workers on.
    A failing test leaves a screenshot of each of its pages in test-artifacts/."""
    contexts = []
    failed_before = request.session.testsfailed

    def make(locale: str = "ja-JP", *, javascript: bool = True, viewport: dict | None = None):
        context = browser.new_context(
            locale=locale,
            viewport=viewport or PHONE,
            reduced_motion="reduce",
            service_workers="allow",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    failed = request.session.testsfailed > failed_before
    for index, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for page_index, page in enumerate(context.pages):
                try:
                    name = f"{request.node.name}-{index}-{page_index}.png"
                    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
                except Exception:  # an offline error page cannot always be captured
                    pass
        context.close()


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


def worker_ready(page) -> None:
    """Wait until the page is controlled by the diary's service worker (it caches from then on).
    Its installation fetches the app shell: slow on a busy test machine, hence the longer wait."""
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
