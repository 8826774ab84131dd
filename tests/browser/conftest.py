"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Outside CI they skip when /usr/bin/chromium (or axe-core, installed by `make test` with
`npm ci`) is missing; under CI=true they must run. A failing test leaves a screenshot in
test-artifacts/.
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts"
# axe-core comes from the npm registry through package-lock.json (`npm ci` in `make test`);
# it is injected into the page under test, never served by the application.
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"
# Violations that fail a test. axe's "moderate" and "minor" findings are reported, not failed.
BLOCKING_IMPACTS = {"serious", "critical"}
# Chromium must not try to reach the internet: this machine has none, and tests need none.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (.ci/run).")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # for setup are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, request):
    """A factory: new_page(locale="ja-JP", viewport=PHONE) -> Page, closed after the test."""
    contexts = []

    def make(locale: str = "ja-JP", viewport: dict | None = None):
        # Reduced motion: no CSS transitions, so a focus ring is drawn at once, not faded in.
        # No service worker: its own requests (installing, update checks) would reach the live
        # server while the test's database is being emptied. The offline tests allow it
        # (`new_context`) and close their context before that.
        context = browser.new_context(
            locale=locale,
            viewport=viewport or PHONE,
            reduced_motion="reduce",
            service_workers="block",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "report_call", None) and request.node.report_call.failed
    for index, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for page_index, page in enumerate(context.pages):
                name = f"{request.node.name}-{index}-{page_index}.png"
                page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        context.close()


@pytest.fixture
def new_context(browser, request):
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
    if contexts:
        # A request the worker had in flight may still be answered by the live server: let it
        # finish before the test's database is emptied.
        time.sleep(0.5)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        if IN_CI:
            pytest.fail(f"{AXE_JS} is missing: `make test` installs it with `npm ci`.")
        pytest.skip("axe-core is not installed: run `npm ci` (make test does)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source):
    """assert_accessible(page): run axe-core on the page; fail on serious or critical violations.

    The checked paths are kept in assert_accessible.paths, so a journey can show what it covered.
    """
    paths: list[str] = []

    def check(page) -> None:
        page.wait_for_load_state()
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, so the page's CSP stays as it is.
            page.evaluate(axe_source)
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        violations = results["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{page.url}:\n{_describe(blocking)}"
        if violations:  # moderate or minor: shown in pytest's warnings summary
            warnings.warn(f"axe-core on {page.url}:\n{_describe(violations)}", stacklevel=2)
        paths.append(urlsplit(page.url).path)

    check.paths = paths
    return check


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )
