"""The chat page in a real headless Chromium: ask, click a marker, see the highlighted quote."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.build import ingest_paths
from partnership_qa.settings import Settings
from tests.servers import app_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (make test installs it)")


@pytest.fixture
def page_url(papers: Path) -> Iterator[str]:
    ingest_paths([papers], Settings())
    with app_server() as url:
        yield url


def test_ask_click_marker_and_see_highlighted_quote(page_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            page = browser.new_page()
            page.goto(page_url)
            page.fill("#question", "How many lamp columns were installed on the quayside?")
            page.click("button[type=submit]")
            marker = page.locator("button.marker").first
            marker.wait_for(timeout=30_000)
            assert "46 new lamp columns" in page.locator(".a").first.inner_text()
            marker.click()
            highlighted = page.locator("#source-text mark")
            highlighted.wait_for(timeout=10_000)
            assert "46 new lamp columns" in highlighted.inner_text()
            meta = page.locator("#source-meta").inner_text()
            assert "minute 13" in meta and "page 1" in meta
            page.screenshot(path=str(tmp_path / "chat.png"))

            page.fill("#question", "What is the recipe for a Victoria sponge?")
            page.click("button[type=submit]")
            page.locator(".a.none").first.wait_for(timeout=30_000)
            assert "No answer found" in page.locator(".a.none").first.inner_text()
        finally:
            browser.close()
