"""End to end in a real browser: headless Chromium (Debian's ``chromium``) via Playwright.

A real ``quotes serve`` process runs over a database with the demo data,
embedded and stance-assessed with the real default model, and the browser
does the job a reporter would: search by words and by meaning, open a quote,
label its stance, add a statement, extract from a pasted article and save,
read a quote off the timeline chart, and a speaker page. Then the security
promises: the token gate on a non-local bind, and hostile text shown as text.

Without Chromium these tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

TOKEN = "newsroom-token-for-tests"
ARTICLE = (
    "Nuuk, January 2026.\n\n"
    '"We cannot negotiate on our sovereignty," Mette Frederiksen said on Wednesday.\n\n'
    'Aaja Lynge, a fisherman in Sisimiut, said: "The ice is thinner every winter."\n'
)


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true: the browser tests must run")
        pytest.skip(reason)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: str, *args: str, host: str = "127.0.0.1") -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    command = [sys.executable, "-m", "quotes.cli", "serve", "--db", db, "--port", str(port)]
    command += ["--host", host, *args]
    process = subprocess.Popen(
        command,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"quotes serve exited: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            with urllib.request.urlopen(base + "/api/v1/", timeout=2) as answer:
                if answer.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("quotes serve did not answer within 60 s")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's data, embedded, with topics and stances assigned (real model)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from quotes.demo import load_demo_data
    from quotes.meaning.stance import assign_stances
    from quotes.store.engine import close_all, open_database

    path = str(tmp_path_factory.mktemp("browser") / "demo.db")
    database = open_database(path)
    load_demo_data(database)
    assign_stances(database)  # embeds what is missing first
    close_all()
    return path


@pytest.fixture(scope="module")
def server(demo_db: str) -> Iterator[str]:
    process, base = start_server(demo_db)
    # The model warms in the background: wait so meaning search is ready.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with urllib.request.urlopen(base + "/api/v1/", timeout=5) as answer:
            if json.load(answer)["model_ready"]:
                break
        time.sleep(0.3)
    yield base
    stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    problems: list[str] = []

    def console(message: Any) -> None:
        # A form answered 4xx on purpose (a choice to make, a token to give) is
        # logged by Chromium too; a server error, a CSP violation or a script
        # error is a failure.
        expected = re.search(r"status of 4\d\d", message.text)
        if message.type == "error" and not expected:
            problems.append(message.text)

    opened.on("console", console)
    opened.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    opened.problems = problems
    yield opened
    context.close()
    assert not problems, problems  # no CSP violation, no script error, no alert


def search(page: Any, base: str, query: str, mode: str) -> None:
    answer = page.goto(base + "/")
    assert answer.status == 200, page.content()
    page.fill("input[name=q]", query)
    page.check(f"input[name=mode][value={mode}]")
    page.click("form.search button[type=submit]")
    page.wait_for_load_state()


def test_search_by_words_highlights_the_match(server: str, page: Any) -> None:
    search(page, server, "sovereignty", "words")
    assert "by words" in page.inner_text(".result-head")
    assert page.locator(".results .card").count() >= 1
    assert page.locator(".results mark").first.inner_text().lower() == "sovereignty"
    assert page.get_attribute("a:text('CSV')", "href").startswith("/api/v1/search/export?")


def test_search_by_meaning_finds_statements_without_the_words(server: str, page: Any) -> None:
    search(page, server, "Greenland belongs to its people, not to America", "meaning")
    assert "by meaning" in page.inner_text(".result-head")
    cards = page.locator(".results .card")
    assert cards.count() >= 5
    texts = " ".join(cards.all_inner_texts()).lower()
    assert "sovereignty" in texts or "greenland" in texts


def test_open_a_quote_and_label_its_stance(server: str, page: Any) -> None:
    search(page, server, "sovereignty", "words")
    page.locator(".results .card a.more").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(server + "/quotes/")
    assert page.locator("h2:text('Sources')").count() == 1
    page.select_option("select[name=topic]", "sovereignty")
    page.check("input[name=stance][value=against]")
    page.click("form.label-form button[type=submit]")
    page.wait_for_load_state()
    assert "Stance label saved" in page.inner_text(".notice")
    labelled = page.locator("li.stance:has-text('sovereignty')")
    assert "against" in labelled.inner_text() and "person's label" in labelled.inner_text()


def test_add_a_statement(server: str, page: Any) -> None:
    page.goto(server + "/add")
    page.fill("textarea[name=text]", "Greenland's future is decided in Nuuk.")
    page.fill("input[name=speaker]", "Naja Kristiansen")
    page.fill("input[name=date]", "2026-01-15")
    page.check("input[name=topic][value=sovereignty]")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert "Statement recorded" in page.inner_text(".notice")
    assert "Greenland's future is decided in Nuuk." in page.inner_text("blockquote.statement")
    assert "2026-01-15" in page.inner_text(".meta")


def test_add_offers_did_you_mean_for_a_close_name(server: str, page: Any) -> None:
    page.goto(server + "/add")
    page.fill("textarea[name=text]", "Security in the Arctic is NATO's business.")
    page.fill("input[name=speaker]", "Mark Rute")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert "Did you mean" in page.inner_text(".did-you-mean")
    page.check("input[name=speaker_choice][value='Mark Rutte']")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert "Mark Rutte" in page.inner_text(".meta")


def test_extract_from_a_pasted_article_and_save(server: str, page: Any) -> None:
    page.goto(server + "/extract")
    page.fill("textarea[name=article]", ARTICLE)
    page.fill("input[name=date]", "2026-01-21")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    items = page.locator(".candidates li")
    assert items.count() == 2
    assert page.input_value("input[name^=speaker-] >> nth=0") == "Mette Frederiksen"
    page.click("button[data-tick=none]")  # the script unticks every box
    assert page.locator("input[name=pick]:checked").count() == 0
    page.locator("input[name=pick]").nth(1).check()
    page.click("#candidates button[type=submit]")
    page.wait_for_load_state()
    assert "Saved 1 quotation" in page.inner_text("h1")
    assert "The ice is thinner every winter." in page.inner_text(".results")


def test_speaker_page_shows_position_and_timeline_hover(server: str, page: Any) -> None:
    from urllib.parse import quote as url_quote

    with urllib.request.urlopen(server + "/api/v1/timeline?topic=sovereignty", timeout=10) as r:
        rows = json.load(r)
    assert rows, "the demo data has a sovereignty timeline"
    speaker = rows[0]["speaker"]
    page.goto(f"{server}/speakers/{url_quote(speaker)}")
    assert page.inner_text("h1") == speaker
    assert page.locator("section.position").count() >= 1
    assert "based on" in page.inner_text("section.position p.evidence >> nth=0")
    chart = page.locator(".chart").first
    point = chart.locator("circle.quote").first
    expected = point.get_attribute("data-text")
    point.hover()
    panel = chart.locator(".detail .text")
    assert expected and expected in panel.inner_text()
    assert chart.locator(".detail a.open").get_attribute("href").startswith("/quotes/")


def test_hostile_text_is_rendered_as_text(server: str, page: Any) -> None:
    payload = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script>"
    request = urllib.request.Request(
        server + "/api/v1/quotes",
        data=json.dumps({"text": payload + " Arctic", "speaker": "X <i>Y</i>"}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        quote_id = json.load(answer)["id"]
    page.goto(f"{server}/quotes/{quote_id}")
    assert payload in page.inner_text("blockquote.statement")
    assert page.title() != "pwned" and page.locator("img[src=x]").count() == 0
    assert "X <i>Y</i>" in page.inner_text(".meta")
    search(page, server, payload, "words")
    assert page.title() != "pwned"


def test_non_local_bind_needs_a_token_and_writes_need_it(demo_db: str, browser: Any) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "quotes.cli", "serve", "--db", demo_db, "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "refusing to listen on '0.0.0.0' without --token" in refused.stderr
    process, base = start_server(demo_db, "--token", TOKEN, host="0.0.0.0")
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/add")
        assert page.locator("textarea[name=text]").count() == 0
        status = page.evaluate(
            """() => fetch('/api/v1/quotes', {method: 'POST',
                 headers: {'content-type': 'application/json'},
                 body: JSON.stringify({text: 'Sneaky.', speaker: 'Nobody'})}).then(r => r.status)"""
        )
        assert status == 401
        page.click("a:text('Log in')")
        page.fill("input[name=token]", TOKEN)
        page.click("form.stacked button[type=submit]")
        page.wait_for_load_state()
        assert "Logged in" in page.inner_text(".notice")
        page.goto(base + "/add")
        page.fill("textarea[name=text]", "Written with the token.")
        page.fill("input[name=speaker]", "Token Holder")
        page.click("form.stacked button[type=submit]")
        page.wait_for_load_state()
        assert "Statement recorded" in page.inner_text(".notice")
        context.close()
    finally:
        stop(process)
