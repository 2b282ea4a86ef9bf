"""Screenshots of the chat page at desktop and phone widths, for docs/screenshots/: the Kent papers ingested
into a throwaway home, served, and driven in Debian's headless Chromium as a reader would.

    .venv/bin/python benchmarks/screenshots.py [../shared/corpus/kcsp] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmarks.serving import served
from index.build import ingest_paths
from partnership_qa.settings import Settings

QUESTION = "What was resolved at the meeting on 14 March 2024?"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("../shared/corpus/kcsp"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: `make test` installs it (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pqa-shots-") as home:
        ingest_paths([args.corpus], Settings(home=Path(home)))
        with served(Path(home), args.port) as (url, _):
            shoot(url, chromium, args.out)
    for path in sorted(args.out.glob("*.png")):
        print(path)


def shoot(url: str, chromium: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            for name, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url)
                page.fill("#question", QUESTION)
                page.keyboard.press("Enter")
                page.locator(".a li button.marker").nth(2).click(timeout=60_000)
                page.wait_for_function("document.querySelector('#source-text mark') !== null")
                page.screenshot(path=str(out / f"{name}-answer.png"), full_page=name == "phone")
                if name == "desktop":
                    page.click("#tab-meetings")
                    page.locator("#meeting .decision").first.click(timeout=30_000)
                    page.wait_for_function("document.querySelector('#source-text mark') !== null")
                    page.screenshot(path=str(out / "desktop-meeting.png"))
                    page.click("#tab-timeline")
                    page.fill("#timeline-topic", "Community Safety Agreement")
                    page.click("#timeline-form button[type=submit]")
                    page.locator("#timeline-list li").first.wait_for(timeout=30_000)
                    page.screenshot(path=str(out / "desktop-timeline.png"))
                page.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
