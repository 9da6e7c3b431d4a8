"""The JSON API under /api/v1/ and the pages, through FastAPI's TestClient, on both back ends."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from quotes.errors import BadInputError
from quotes.serve.settings import ServeSettings, check_settings
from tests.serve_support import TOKEN, client_for, csrf_of, quote_count, seed


@pytest.fixture
def client(db_url: str) -> TestClient:
    seed(db_url)
    with client_for(db_url) as active:
        yield active


def test_search_finds_words_with_highlighted_snippet_and_contract_shape(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "sovereignty", "mode": "text"}).json()
    assert body["mode"] == "text"
    assert body["results"], body
    hit = body["results"][0]
    assert hit["rank"] == 1 and isinstance(hit["match"], float)
    assert "**" in hit["snippet"]
    for key in ("id", "text", "speaker", "date", "kind", "sources", "topics", "stances"):
        assert key in hit
    assert "sovereignty" in hit["text"].lower()


def test_search_pages_keep_ranks_and_say_when_more(client: TestClient) -> None:
    everything = client.get("/api/v1/search", params={"q": "Arctic", "mode": "text"}).json()
    assert len(everything["results"]) >= 2
    first = client.get("/api/v1/search", params={"q": "Arctic", "mode": "text", "limit": 1}).json()
    second = client.get(
        "/api/v1/search", params={"q": "Arctic", "mode": "text", "limit": 1, "offset": 1}
    ).json()
    assert first["has_more"] and second["results"][0]["rank"] == 2
    assert second["results"][0]["id"] == everything["results"][1]["id"]


def test_kind_filter_keeps_only_paraphrases(client: TestClient) -> None:
    added = client.post(
        "/api/v1/quotes",
        json={
            "text": "Arctic security is a shared task",
            "speaker": "Mark Rutte",
            "kind": "paraphrase",
        },
    )
    assert added.status_code == 201, added.text
    body = client.get(
        "/api/v1/search", params={"q": "Arctic", "mode": "text", "kind": "paraphrase"}
    ).json()
    assert added.json()["id"] in [h["id"] for h in body["results"]]
    assert {h["kind"] for h in body["results"]} == {"paraphrase"}
    quotes = client.get("/api/v1/search", params={"q": "Arctic", "mode": "text", "kind": "quote"})
    assert quotes.json()["results"]
    assert {h["kind"] for h in quotes.json()["results"]} == {"quote"}


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"q": "x", "since": "2026-13"}, 400, "invalid --since date '2026-13'"),
        ({"q": "x", "topic": "weather"}, 400, "unknown topic 'weather'"),
        ({"q": "x", "stance": "maybe"}, 400, "unknown stance label 'maybe'"),
        ({"q": "x", "mode": "psychic"}, 400, "unknown search mode 'psychic'"),
        ({"q": "x", "kind": "rumour"}, 400, "unknown kind 'rumour'"),
        ({"q": "x", "speaker": "Nobody Atall"}, 400, "unknown speaker 'Nobody Atall'"),
        ({"q": "x", "limit": "0"}, 422, "'limit'"),
        ({"q": "x", "limit": "lots"}, 422, "'limit'"),
    ],
)
def test_bad_search_input_is_a_one_sentence_error(
    client: TestClient, params: dict[str, str], status: int, words: str
) -> None:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and words in body["error"]
    assert body["error"].endswith(".") and "Traceback" not in body["error"]


def test_unknown_ids_are_404_in_json_and_as_a_page(client: TestClient) -> None:
    assert client.get("/api/v1/quotes/999999").status_code == 404
    assert "no quote with id 999999" in client.get("/api/v1/quotes/999999").json()["error"]
    page = client.get("/quotes/999999")
    assert page.status_code == 404 and "no quote with id 999999" in page.text
    assert client.get("/api/v1/speakers/Nobody%20Atall").status_code == 404
    assert client.get("/api/v1/topics/weather").status_code == 404
    assert client.get("/api/v1/imports/nope").status_code == 404
    assert client.get("/api/v1/no-such-thing").json()["status"] == 404


def test_add_resolves_speakers_and_repeats_are_one_quote(client: TestClient) -> None:
    before = quote_count(client)
    payload = {
        "text": "Greenland is not for sale.",
        "speaker": "mette frederiksen",
        "date": "2026-01",
        "source_url": "https://example.org/a",
        "topics": ["sovereignty"],
    }
    first = client.post("/api/v1/quotes", json=payload)
    assert first.status_code == 201, first.text
    document = first.json()
    assert document["speaker"] == "Mette Frederiksen" and document["created"] is True
    assert document["date"] == "2026-01" and document["topics"] == ["sovereignty"]
    again = client.post("/api/v1/quotes", json={**payload, "source_url": "https://example.org/b"})
    assert again.status_code == 201 and again.json()["created"] is False
    assert again.json()["id"] == document["id"] and len(again.json()["sources"]) == 2
    assert quote_count(client) == before + 1


def test_a_name_close_to_a_known_speaker_asks_for_a_choice(client: TestClient) -> None:
    before = quote_count(client)
    response = client.post(
        "/api/v1/quotes", json={"text": "New words.", "speaker": "Mette Fredriksen"}
    )
    assert response.status_code == 409, response.text
    assert response.json()["similar"] == ["Mette Frederiksen"]
    assert "very close to 'Mette Frederiksen'" in response.json()["error"]
    assert quote_count(client) == before
    forced = client.post(
        "/api/v1/quotes",
        json={"text": "New words.", "speaker": "Mette Fredriksen", "new_speaker": True},
    )
    assert forced.status_code == 201 and forced.json()["speaker_created"] is True


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"text": "  ", "speaker": "A Person"}, "the quote text is empty"),
        ({"text": "x", "speaker": "A Person", "date": "yesterday"}, "invalid date 'yesterday'"),
        ({"text": "x", "speaker": "A Person", "source_url": "ftp://x"}, "invalid source URL"),
        ({"text": "x", "speaker": "A Person", "topics": ["weather"]}, "unknown topic 'weather'"),
        ({"text": "x", "speaker": "A Person", "kind": "rumour"}, "unknown kind 'rumour'"),
    ],
)
def test_bad_add_writes_nothing(client: TestClient, payload: dict[str, object], words: str) -> None:
    before = quote_count(client)
    response = client.post("/api/v1/quotes", json=payload)
    assert response.status_code == 400, response.text
    assert words in response.json()["error"]
    assert quote_count(client) == before
    assert client.get("/api/v1/speakers/A%20Person").status_code == 404


def test_label_a_stance_then_it_wins(client: TestClient) -> None:
    labelled = client.post(
        "/api/v1/quotes/1/stances", json={"topic": "security", "stance": "favor"}
    )
    assert labelled.status_code == 200, labelled.text
    stances = labelled.json()["stances"]
    assert {"topic": "security", "label": "favor", "method": "manual"}.items() <= stances[0].items()
    bad = client.post("/api/v1/quotes/1/stances", json={"topic": "security", "stance": "maybe"})
    assert bad.status_code == 400 and "unknown stance label 'maybe'" in bad.json()["error"]
    missing = client.post(
        "/api/v1/quotes/999999/stances", json={"topic": "security", "stance": "favor"}
    )
    assert missing.status_code == 404


def test_timeline_speaker_topic_and_shifts_after_labels(client: TestClient) -> None:
    ids = [
        h["id"]
        for h in client.get("/api/v1/search", params={"q": "Arctic", "mode": "text"}).json()[
            "results"
        ]
    ]
    for quote_id in ids:
        response = client.post(
            f"/api/v1/quotes/{quote_id}/stances", json={"topic": "security", "stance": "favor"}
        )
        assert response.status_code == 200
    rows = client.get("/api/v1/timeline", params={"topic": "security"}).json()
    assert rows and set(rows[0]) == {"speaker", "topic", "period", "score", "n", "quote_ids"}
    speaker = rows[0]["speaker"]
    profile = client.get(f"/api/v1/speakers/{speaker}").json()
    position = next(p for p in profile["positions"] if p["topic"] == "security")
    assert position["n"] >= 1 and position["manual"] == position["n"] and position["score"] == 1.0
    topic = client.get("/api/v1/topics/security").json()
    assert any(p["speaker"] == speaker for p in topic["speakers"])
    assert client.get("/api/v1/shifts", params={"topic": "security"}).status_code == 200
    assert client.get("/api/v1/timeline", params={"topic": "weather"}).status_code == 400
    assert (
        client.get("/api/v1/timeline", params={"topic": "security", "by": "week"}).status_code
        == 400
    )


ARTICLE = (
    "Copenhagen, January 2026.\n\n"
    '"We cannot negotiate on our sovereignty," Mette Frederiksen said on Wednesday.\n\n'
    'Ola Nordmann, a fisherman, said: "The ice is thinner every winter."\n'
)


def test_extract_then_save_the_ticked_ones(client: TestClient) -> None:
    found = client.post("/api/v1/extract", json={"text": ARTICLE}).json()
    speakers = [c["speaker"] for c in found["candidates"]]
    assert "Mette Frederiksen" in speakers
    chosen = [{"start": c["start"]} for c in found["candidates"] if c["speaker"] == "Ola Nordmann"]
    saved = client.post(
        "/api/v1/extract/save", json={"text": ARTICLE, "chosen": chosen, "date": "2026-01-21"}
    )
    assert saved.status_code == 201, saved.text
    assert [s["speaker"] for s in saved.json()] == ["Ola Nordmann"]
    quote = client.get(f"/api/v1/quotes/{saved.json()[0]['id']}").json()
    assert quote["date"] == "2026-01-21"
    wrong = client.post("/api/v1/extract/save", json={"text": ARTICLE, "chosen": [{"start": 1}]})
    assert wrong.status_code == 400 and "no quotation starts at offset 1" in wrong.json()["error"]
    empty = client.post("/api/v1/extract", json={"text": "   "})
    assert empty.status_code == 400


def _run_import(client: TestClient, name: str, data: bytes, **form: str) -> dict[str, object]:
    headers = {"x-csrf-token": csrf_of(client)}
    started = client.post(
        "/api/v1/imports", files={"file": (name, data)}, data=form, headers=headers
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    client.app.state.quotes.jobs.wait(job_id)  # type: ignore[attr-defined]
    return dict(client.get(f"/api/v1/imports/{job_id}").json())


def test_import_dry_run_then_import_with_rejects(client: TestClient) -> None:
    data = (
        b"text,speaker,date,topics\n"
        b"Tariffs hurt our farmers.,Jane Doe,2025-03,tariffs\n"
        b"No date here.,John Roe,not-a-date,\n"
        b'=HYPERLINK("x"),Jane Doe,2025,\n'
    )
    before = quote_count(client)
    dry = _run_import(client, "statements.csv", data)
    assert dry["state"] == "done", dry
    summary = dry["summary"]
    assert isinstance(summary, dict)
    assert summary["dry_run"] and summary["added"] == 2 and summary["rejected"] == 1
    assert quote_count(client) == before
    real = client.post(
        "/api/v1/imports/start",
        json={"upload": dry["upload"], "dry_run": False},
        headers={"x-csrf-token": csrf_of(client)},
    )
    assert real.status_code == 202, real.text
    job = client.app.state.quotes.jobs.wait(real.json()["id"])  # type: ignore[attr-defined]
    assert job.state == "done" and job.summary and job.summary["added"] == 2
    assert quote_count(client) == before + 2
    rejects = client.get(f"/api/v1/imports/{job.id}/rejects.csv")
    assert rejects.status_code == 200 and "not-a-date" in rejects.text


def test_an_upload_that_is_not_csv_or_jsonl_is_refused(client: TestClient) -> None:
    headers = {"x-csrf-token": csrf_of(client)}
    before = quote_count(client)
    pdf = client.post(
        "/api/v1/imports", files={"file": ("report.pdf", b"%PDF-1.4 ...")}, headers=headers
    )
    assert pdf.status_code == 400 and "upload a .csv, .tsv, .jsonl" in pdf.json()["error"]
    binary = client.post(
        "/api/v1/imports",
        files={"file": ("x.csv", b"text,speaker\n\xff\xfe\x00\x01")},
        headers=headers,
    )
    assert binary.status_code == 400 and "line 2" in binary.json()["error"]
    assert quote_count(client) == before


def test_search_download_neutralises_formulas(client: TestClient) -> None:
    client.post(
        "/api/v1/quotes", json={"text": "=cmd|' /C calc'!A0 tariffs", "speaker": "Jane Doe"}
    )
    response = client.get(
        "/api/v1/search/export", params={"q": "tariffs", "mode": "text", "format": "csv"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    mine = [row for row in rows if row["speaker"] == "Jane Doe"]
    assert mine and mine[0]["text"].startswith("'=cmd")
    lines = client.get(
        "/api/v1/search/export", params={"q": "tariffs", "mode": "text", "format": "jsonl"}
    ).text.splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    assert any(text.startswith("=cmd") for text in texts)


def test_pages_render_and_escape_what_users_typed(client: TestClient) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    added = client.post(
        "/api/v1/quotes", json={"text": payload + " tariffs", "speaker": "Eve <b>Hacker</b>"}
    )
    assert added.status_code == 201
    quote_id = added.json()["id"]
    for path in (f"/quotes/{quote_id}", "/?q=tariffs&mode=words", "/speakers", "/?q=" + payload):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "<b>Hacker</b>" not in page.text
    assert "&lt;script&gt;" in client.get(f"/quotes/{quote_id}").text


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/v1/", "/quotes/999999", "/static/app.css"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_a_paraphrase_is_never_in_quotation_marks(client: TestClient) -> None:
    added = client.post(
        "/api/v1/quotes",
        json={
            "text": "Trump said tariffs were off the table",
            "speaker": "Donald Trump",
            "kind": "paraphrase",
        },
    ).json()
    page = client.get(f"/quotes/{added['id']}").text
    assert "“Trump said tariffs" not in page and "paraphrase" in page
    results = client.get("/?q=table&mode=words").text
    assert "“Trump said" not in results and "<mark>table</mark>" in results


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    before = quote_count(client)
    blocked = client.post("/add", data={"text": "Words.", "speaker": "Jane Doe"})
    assert blocked.status_code == 403 and quote_count(client) == before
    token = csrf_of(client)
    done = client.post(
        "/add",
        data={"text": "Words.", "speaker": "Jane Doe", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/quotes/")
    assert quote_count(client) == before + 1
    cross_site = client.post(
        "/api/v1/quotes",
        content=json.dumps({"text": "More.", "speaker": "Jane Doe"}),
        headers={"content-type": "text/plain"},
    )
    assert cross_site.status_code in (403, 422) and quote_count(client) == before + 1


def test_add_form_offers_did_you_mean(client: TestClient) -> None:
    token = csrf_of(client)
    page = client.post("/add", data={"text": "Words.", "speaker": "Mark Rute", "csrf_token": token})
    assert page.status_code == 409 and "Did you mean" in page.text
    assert 'value="Mark Rutte"' in page.text
    chosen = client.post(
        "/add",
        data={
            "text": "Words.",
            "speaker": "Mark Rute",
            "speaker_choice": "Mark Rutte",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert chosen.status_code == 200 and "Mark Rutte" in chosen.text


def test_uploads_over_the_limit_are_refused(db_url: str) -> None:
    seed(db_url)
    with client_for(db_url, max_upload_bytes=1024) as small:
        before = quote_count(small)
        big = small.post("/api/v1/quotes", json={"text": "x" * 5000, "speaker": "Jane Doe"})
        assert big.status_code == 413 and "limit" in big.json()["error"]
        assert quote_count(small) == before


def test_requests_for_other_hosts_are_refused_on_a_local_bind(db_url: str) -> None:
    with client_for(db_url, base_url="http://evil.example:8000") as client:
        assert client.get("/api/v1/").status_code == 421


def test_non_local_bind_needs_a_token_or_read_only() -> None:
    with pytest.raises(BadInputError, match="refusing to listen on '0.0.0.0' without --token"):
        check_settings(ServeSettings(host="0.0.0.0"))
    check_settings(ServeSettings(host="0.0.0.0", read_only=True))
    check_settings(ServeSettings(host="0.0.0.0", token=TOKEN))
    with pytest.raises(BadInputError, match="at least 12"):
        check_settings(ServeSettings(host="0.0.0.0", token="short"))
    check_settings(ServeSettings(host="::1"))
    check_settings(ServeSettings(host="localhost"))


def test_with_a_token_writes_need_it(db_url: str) -> None:
    seed(db_url)
    with client_for(db_url, base_url="http://10.1.2.3:8000", host="0.0.0.0", token=TOKEN) as client:
        before = quote_count(client)
        payload = {"text": "Open sesame.", "speaker": "Jane Doe"}
        assert client.post("/api/v1/quotes", json=payload).status_code == 401
        wrong = client.post(
            "/api/v1/quotes", json=payload, headers={"authorization": "Bearer nope"}
        )
        assert wrong.status_code == 401 and "token" in wrong.json()["error"]
        token = csrf_of(client, "/login")
        form = client.post("/add", data={**payload, "csrf_token": token})
        assert form.status_code == 401
        assert quote_count(client) == before
        assert client.get("/api/v1/search", params={"q": "Arctic"}).status_code == 200
        ok = client.post(
            "/api/v1/quotes", json=payload, headers={"authorization": f"Bearer {TOKEN}"}
        )
        assert ok.status_code == 201
        bad_login = client.post("/login", data={"token": "guess-guess-guess", "csrf_token": token})
        assert bad_login.status_code == 401
        login = client.post(
            "/login", data={"token": TOKEN, "csrf_token": token}, follow_redirects=False
        )
        assert login.status_code == 303 and "quotes_session" in login.headers["set-cookie"]
        assert TOKEN not in login.headers["set-cookie"]
        form = client.post(
            "/add",
            data={"text": "Second.", "speaker": "Jane Doe", "csrf_token": token},
            follow_redirects=False,
        )
        assert form.status_code == 303
        assert quote_count(client) == before + 2


def test_read_only_server_refuses_every_write(db_url: str) -> None:
    seed(db_url)
    with client_for(db_url, read_only=True) as client:
        before = quote_count(client)
        response = client.post("/api/v1/quotes", json={"text": "x", "speaker": "Jane Doe"})
        assert response.status_code == 403 and "read-only" in response.json()["error"]
        assert quote_count(client) == before
        assert "Add</a>" not in client.get("/").text


def test_openapi_document_describes_the_api(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/search", "/api/v1/quotes", "/api/v1/quotes/{quote_id}"} <= set(
        document["paths"]
    )
    error = document["paths"]["/api/v1/quotes/{quote_id}"]["get"]["responses"]["404"]
    assert error["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert client.get("/docs").status_code == 404  # no CDN-loaded docs page
    page = client.get("/api")
    assert page.status_code == 200 and "GET /api/v1/search" in page.text


def test_pages_for_every_section(client: TestClient) -> None:
    for path in (
        "/",
        "/speakers",
        "/speakers/Mark%20Rutte",
        "/topics",
        "/topics/security",
        "/add",
        "/extract",
        "/import",
        "/login",
        "/?speaker=Mark+Rutte",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        # The CSP allows no inline script or style: the pages must not need any.
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), path
        assert " style=" not in response.text and " on" + "click=" not in response.text, path
    assert "Mark Rutte" in client.get("/?speaker=Mark+Rutte").text
    assert client.get("/?q=x&since=never").status_code == 400


def test_serve_command_refuses_unsafe_or_bad_settings(run_cli: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    open_bind = run_cli("serve", "--host", "0.0.0.0", "--db", db)
    assert open_bind.exit_code == 2
    assert "refusing to listen on '0.0.0.0' without --token" in open_bind.output
    bad_port = run_cli("serve", "--port", "70000", "--db", db)
    assert bad_port.exit_code == 2 and "invalid --port 70000" in bad_port.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = run_cli("serve", "--port", port, "--db", db)
    assert busy.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in busy.output


def test_searches_answer_while_a_long_import_runs(client: TestClient) -> None:
    rows = "".join(
        f"Statement number {i} about tariffs and trade.,Importer {i % 50},2024-01\n"
        for i in range(30_000)
    )
    data = ("text,speaker,date\n" + rows).encode()
    headers = {"x-csrf-token": csrf_of(client)}
    upload = client.post(
        "/api/v1/imports",
        files={"file": ("big.csv", data)},
        data={"dry_run": "false"},
        headers=headers,
    )
    assert upload.status_code == 202, upload.text
    job_id = upload.json()["id"]
    answered_while_running = 0
    for _ in range(200):
        state = client.get(f"/api/v1/imports/{job_id}").json()
        if state["state"] == "done":
            break
        started = time.perf_counter()
        response = client.get("/api/v1/search", params={"q": "Arctic", "mode": "text"})
        assert response.status_code == 200 and response.json()["results"]
        assert time.perf_counter() - started < 5
        if client.get(f"/api/v1/imports/{job_id}").json()["state"] == "running":
            answered_while_running += 1
    job = client.app.state.quotes.jobs.wait(job_id, timeout=300)  # type: ignore[attr-defined]
    assert job.state == "done" and job.summary and job.summary["added"] == 30_000
    assert answered_while_running >= 1


def test_link_a_topic_by_hand(client: TestClient) -> None:
    linked = client.post("/api/v1/quotes/1/topics", json={"topic": "tariffs"})
    assert linked.status_code == 200, linked.text
    links = {link["topic"]: link["origin"] for link in linked.json()["topic_links"]}
    assert links["tariffs"] == "manual"
    assert client.post("/api/v1/quotes/1/topics", json={"topic": "weather"}).status_code == 400
    assert client.post("/api/v1/quotes/999999/topics", json={"topic": "tariffs"}).status_code == 404
    token = csrf_of(client, "/quotes/2")
    form = client.post(
        "/quotes/2/link", data={"topic": "security", "csrf_token": token}, follow_redirects=True
    )
    assert form.status_code == 200 and "Topic linked" in form.text
    assert "security" in client.get("/api/v1/quotes/2").json()["topics"]


def test_correct_delete_history_restore(client: TestClient) -> None:
    edited = client.patch("/api/v1/quotes/1", json={"date": "2026-01-22", "kind": "paraphrase"})
    assert edited.status_code == 200, edited.text
    assert set(edited.json()["changed"]) == {"date", "kind"}
    assert edited.json()["quote"]["date"] == "2026-01-22"
    assert client.patch("/api/v1/quotes/1", json={}).status_code == 400
    assert client.patch("/api/v1/quotes/1", json={"date": "soon"}).status_code == 400
    same = client.get("/api/v1/quotes/2").json()
    clash = client.patch(
        "/api/v1/quotes/1", json={"text": same["text"], "speaker": same["speaker"]}
    )
    assert clash.status_code == 409 and clash.json()["other_id"] == 2
    assert client.delete("/api/v1/quotes/1").json() == {"deleted": [1]}
    assert client.get("/api/v1/quotes/1").status_code == 404
    history = client.get("/api/v1/quotes/1/history").json()
    assert history["exists"] is False
    assert [v["action"] for v in history["versions"]] == ["edit", "delete"]
    page = client.get("/quotes/1/history")
    assert page.status_code == 200 and "Restore it" in page.text
    assert client.post("/api/v1/quotes/1/restore").status_code == 403  # no JSON, no CSRF token
    restored = client.post("/api/v1/quotes/1/restore", json={})
    assert restored.status_code == 200 and restored.json()["quote"]["date"] == "2026-01-22"
    assert client.post("/api/v1/quotes/1/restore", json={}).status_code == 409  # exists again
    assert client.delete("/api/v1/quotes/999999").status_code == 404


def test_unlink_and_unlabel(client: TestClient) -> None:
    client.post("/api/v1/quotes/1/stances", json={"topic": "security", "stance": "favor"})
    unlabelled = client.delete("/api/v1/quotes/1/stances/security")
    assert unlabelled.status_code == 200
    assert all(s["method"] != "manual" for s in unlabelled.json()["stances"])
    again = client.delete("/api/v1/quotes/1/stances/security")
    assert again.status_code == 400 and "has no person's label" in again.json()["error"]
    unlinked = client.delete("/api/v1/quotes/1/topics/security")
    assert unlinked.status_code == 200 and "security" not in unlinked.json()["quote"]["topics"]
    assert client.delete("/api/v1/quotes/1/topics/weather").status_code == 400


def test_edit_and_delete_pages(client: TestClient) -> None:
    token = csrf_of(client, "/quotes/3/edit")
    document = client.get("/api/v1/quotes/3").json()
    form = {
        "text": document["text"],
        "speaker": document["speaker"],
        "date": "2026-01-21",
        "context": document["context"] or "",
        "kind": document["kind"],
        "csrf_token": token,
    }
    saved = client.post("/quotes/3/edit", data=form, follow_redirects=True)
    assert saved.status_code == 200 and "Quote corrected" in saved.text
    after = client.get("/api/v1/quotes/3").json()
    assert after["date"] == "2026-01-21" and after["text"] == document["text"]
    confirm = client.get("/quotes/3/delete")
    assert confirm.status_code == 200 and "Yes, delete it" in confirm.text
    unconfirmed = client.post(
        "/quotes/3/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert unconfirmed.status_code == 303 and client.get("/api/v1/quotes/3").status_code == 200
    deleted = client.post(
        "/quotes/3/delete", data={"csrf_token": token, "confirm": "yes"}, follow_redirects=True
    )
    assert "Quote deleted" in deleted.text and client.get("/api/v1/quotes/3").status_code == 404


def test_review_queue_answers_with_one_click(client: TestClient) -> None:
    """Automatic stances (written here as the assigner would) make a review queue.

    The queue ranks quotes by their vectors (typical, diverse, both poles), so
    the quotes are embedded first, with the real default model.
    """
    from quotes.meaning.vectors import embed_missing
    from quotes.store.models import QuoteTopic, StanceAssessment, Topic

    database = client.app.state.quotes.database  # type: ignore[attr-defined]
    embed_missing(database)
    with database.session(write=True) as session:
        topic = session.query(Topic).filter_by(name="security").one()
        for quote_id, score, confidence in ((1, 0.1, 0.4), (2, 0.6, 0.9)):
            session.add(QuoteTopic(quote_id=quote_id, topic_id=topic.id, origin="auto"))
            session.add(
                StanceAssessment(
                    quote_id=quote_id,
                    topic_id=topic.id,
                    label="neutral" if score < 0.15 else "favor",
                    score=score,
                    method="auto",
                    model="test",
                    confidence=confidence,
                )
            )
    queue = client.get("/api/v1/topics/security/review").json()
    assert 1 in {item["id"] for item in queue}  # the uncertain automatic stance is offered
    page = client.get("/topics/security")
    assert page.status_code == 200 and "Review queue" in page.text
    token = csrf_of(client, "/topics/security")
    answer = client.post(
        "/quotes/1/label",
        data={
            "topic": "security",
            "stance": "against",
            "next": "/topics/security#review",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/topics/security#review"
    remaining = [item["id"] for item in client.get("/api/v1/topics/security/review").json()]
    assert remaining and 1 not in remaining  # an answered quote leaves the queue
    away = client.post(
        "/quotes/2/label",
        data={
            "topic": "security",
            "stance": "favor",
            "next": "//evil.example/",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert away.headers["location"] == "/quotes/2?done=labelled"
