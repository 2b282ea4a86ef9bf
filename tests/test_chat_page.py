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


def _browser(p):  # type: ignore[no-untyped-def]
    """Debian's headless Chromium, with nothing reaching outside the machine."""
    return p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )


@pytest.fixture
def page_url(papers: Path) -> Iterator[str]:
    ingest_paths([papers], Settings())
    with app_server() as url:
        yield url


def test_ask_click_marker_and_see_highlighted_quote(page_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
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

            # The PDF's own page, the quote marked on it.
            page.click("#show-page")
            page.wait_for_function("document.getElementById('source-page').naturalWidth > 0", timeout=30_000)
            assert page.locator("#source-text").is_hidden()
            assert "Page 1 of harbour.pdf" in page.locator("#source-page-note").inner_text()
            page.click("#show-text")
            assert page.locator("#source-text mark").is_visible()

            page.fill("#question", "What is the recipe for a Victoria sponge?")
            page.click("button[type=submit]")
            page.locator(".a.none").first.wait_for(timeout=30_000)
            assert "No answer found" in page.locator(".a.none").first.inner_text()
        finally:
            browser.close()


def test_meeting_and_timeline_views_open_their_sources_and_keep_restricted_items_for_members(
    seed_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("PQA_HOME", str(seed_home))
    monkeypatch.setenv("PQA_API_KEYS", "member-key=member")
    october = "14 October 2014 – Kent Community Safety Partnership"
    with app_server() as url, sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page()
            page.goto(url)
            page.click("#tab-meetings")
            page.locator("#meeting-select option").first.wait_for(state="attached", timeout=30_000)
            page.select_option("#meeting-select", label=october)
            page.get_by_text("75. Notes of meeting held on 8 July 2014").wait_for(timeout=10_000)
            meeting = page.locator("#meeting")
            assert meeting.locator(".decision").count() == 11
            assert "1 restricted decision is not shown." in meeting.inner_text()
            assert "90." not in meeting.inner_text() and "education representative" not in page.content()
            assert "Draft minutes" in meeting.locator(".status").inner_text()
            meeting.locator(".decision", has_text="revised Terms of Reference").click()
            page.wait_for_function("document.querySelector('#source-text mark') !== null")
            assert "approved** the revised Terms of Reference" in page.locator("#source-text mark").inner_text()
            assert "minute 86" in page.locator("#source-meta").inner_text()
            page.screenshot(path=str(tmp_path / "meeting.png"))

            page.click("#tab-timeline")
            page.fill("#timeline-topic", "Prevent Duty Delivery Board")
            page.click("#timeline-form button[type=submit]")
            entries = page.locator("#timeline-list li")
            entries.first.wait_for(timeout=30_000)
            assert entries.count() == 3
            assert entries.nth(0).inner_text().startswith("18 July 2018")
            assert entries.nth(2).inner_text().startswith("14 March 2024")
            entries.nth(2).locator("button.marker").click()
            page.wait_for_function(
                "document.querySelector('#source-text mark')?.innerText.includes('unable to attend')"
            )
            page.screenshot(path=str(tmp_path / "timeline.png"))

            # With a member's key the restricted item and its decision are there.
            page.click("summary")
            page.fill("#api-key", "member-key")
            page.dispatch_event("#api-key", "change")
            page.click("#tab-meetings")
            page.locator("#meeting-select option").first.wait_for(state="attached", timeout=30_000)
            page.select_option("#meeting-select", label=october)
            page.get_by_text("90. Domestic Homicide Reviews (DHR's)").wait_for(timeout=10_000)
            assert page.locator("#meeting .decision").count() == 12
            assert "not shown" not in page.locator("#meeting").inner_text()
        finally:
            browser.close()


def test_the_api_docs_load_nothing_from_outside_the_server(page_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(page_url + "/docs")
            # The docs render the API's own description, read from its OpenAPI schema.
            page.get_by_text("Answers about partnership papers, with citations.").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            outside = [url for url in requested if not url.startswith((page_url, "data:", "blob:"))]
            assert requested and outside == []
            assert page.request.get(page_url + "/redoc").status == 404  # ReDoc's page fetches a CDN logo
        finally:
            browser.close()


def test_waiting_an_error_and_a_new_conversation(page_url: str) -> None:
    import json
    import time

    from playwright.sync_api import Route, sync_playwright

    sent: list[dict[str, object]] = []

    def slow(route: Route) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        time.sleep(1.5)  # long enough to see the page wait
        route.continue_()

    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page()
            page.goto(page_url)
            page.route("**/ask", slow)
            page.fill("#question", "How many lamp columns were installed?")
            page.keyboard.press("Enter")  # Enter sends
            page.locator(".pending").wait_for(timeout=5_000)
            assert page.locator("#ask button[type=submit]").is_disabled()
            page.locator("button.marker").first.wait_for(timeout=30_000)
            assert not page.locator("#ask button[type=submit]").is_disabled() and page.locator(".pending").count() == 0
            assert page.evaluate("document.activeElement.id") == "question"  # ready for the next question
            page.fill("#question", "Who installed them?")
            page.keyboard.press("Enter")
            page.locator(".a").nth(1).wait_for(timeout=30_000)
            assert sent[0]["conversation_id"] is None and sent[1]["conversation_id"]  # a follow-up

            page.click("#new-conversation")
            assert page.locator("#log .q").count() == 0
            page.fill("#question", "How many lamp columns were installed?")
            page.keyboard.press("Enter")
            page.locator(".a").first.wait_for(timeout=30_000)
            assert sent[2]["conversation_id"] is None  # started afresh

            # A proxy's error page, not JSON: the conversation says what happened.
            page.unroute("**/ask")
            page.route("**/ask", lambda route: route.fulfill(status=502, body="<h1>Bad gateway</h1>"))
            page.fill("#question", "Anything?")
            page.keyboard.press("Enter")
            error = page.locator(".a.none").last
            error.wait_for(timeout=10_000)
            assert "The server answered 502" in error.inner_text()
            assert not page.locator("#ask button[type=submit]").is_disabled()
        finally:
            browser.close()


def test_on_a_phone_the_source_sits_below_at_full_width_with_its_header_in_view(
    seed_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("PQA_HOME", str(seed_home))
    with app_server() as url, sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(url)
            page.fill("#question", "What was resolved at the meeting on 14 March 2024?")
            page.keyboard.press("Enter")
            items = page.locator(".a li")
            items.first.wait_for(timeout=30_000)
            assert items.count() >= 10  # the meeting's items as a list, one a line
            aside = page.locator("aside").bounding_box()
            assert aside is not None and aside["width"] >= 300
            items.nth(7).locator("button.marker").click()
            page.wait_for_function("document.querySelector('#source-text mark') !== null")
            page.wait_for_timeout(300)  # the scroll to the quote
            header = page.locator("#source-meta").bounding_box()
            mark = page.locator("#source-text mark").bounding_box()
            assert header is not None and mark is not None
            assert header["y"] >= 0 and header["y"] + header["height"] <= 844  # meeting, date, minute in view
            assert mark["y"] < 844 and mark["y"] + mark["height"] > 0
            assert "minute 116" in page.locator("#source-meta").inner_text()
            page.screenshot(path=str(tmp_path / "phone.png"))
        finally:
            browser.close()


def test_follow_ups_say_what_they_carry_and_a_new_subject_starts_its_own(
    seed_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("PQA_HOME", str(seed_home))
    with app_server() as url, sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page()
            page.goto(url)
            answers = page.locator("#log .a")

            def ask(question: str, n: int) -> str:
                page.fill("#question", question)
                page.keyboard.press("Enter")
                answers.nth(n).wait_for(timeout=30_000)
                return answers.nth(n).inner_text()

            ask("What was resolved about the Community Safety Agreement at the 14 March 2024 meeting?", 0)
            who = ask("Who presented it?", 1)
            assert who.startswith("Following on: about") and "the meeting of 14 March 2024" in who
            assert "Ms S Brinson" in who
            other = ask("What about the Serious Violence Duty?", 2)
            assert other.startswith("Following on: the meeting of 14 March 2024.") and "Serious Violence Duty" in other
            assert "about Community Safety Agreement" not in other
        finally:
            browser.close()
