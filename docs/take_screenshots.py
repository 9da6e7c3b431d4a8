"""Take the README's screenshots of `quotes serve` on the demo database.

    make demo                                   # builds quotes-demo.db
    .venv/bin/python docs/take_screenshots.py [quotes-demo.db]

Starts `quotes serve` on a free local port, opens the search and speaker pages
in headless Chromium (Debian's ``chromium``, through Playwright) and writes
``docs/serve-search.png`` and ``docs/serve-speaker.png``.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent


def main() -> None:
    database = sys.argv[1] if len(sys.argv) > 1 else "quotes-demo.db"
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("install Debian's chromium first: apt-get install -y chromium")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "quotes.cli", "serve", "--db", database, "--port", str(port)]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/api/v1/", timeout=2) as answer:
                    if b'"model_ready":true' in answer.read():
                        break
            except OSError:
                pass
            time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1000, "height": 1100})
            page.goto(base + "/?q=sovereignty&mode=both")
            page.screenshot(path=str(HERE / "serve-search.png"))
            with urllib.request.urlopen(base + "/api/v1/topics/security", timeout=30) as answer:
                speaker = json.load(answer)["speakers"][0]["speaker"]
            page.goto(base + "/speakers/" + quote(speaker))
            point = page.locator(".chart circle.quote").first
            if point.count():
                point.scroll_into_view_if_needed()
                point.hover()
            page.screenshot(path=str(HERE / "serve-speaker.png"), full_page=False)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"Wrote {HERE / 'serve-search.png'} and {HERE / 'serve-speaker.png'}")


if __name__ == "__main__":
    main()
