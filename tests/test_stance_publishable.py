"""Stance a reader could publish, with the real default model, on both back ends.

The issue's behaviour tests: a paraphrase prints without quotation marks in
every output; a shift built only on low-confidence evidence is not reported;
review suggestions change after a label. Confidences are written straight
into the rows where a test needs a known value (the calibration itself is the
model's business and has its own tests).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from quotes.store.engine import open_database
from quotes.store.models import QuoteTopic, StanceAssessment, TopicRejection

pytestmark = [pytest.mark.model, pytest.mark.slow]

WHALING = (
    "whaling",
    "--description",
    "Commercial whaling: hunting whales for meat and oil, quotas and the moratorium.",
    "--favor",
    "Commercial whaling should be allowed. Whale hunting is a legitimate tradition "
    "and a sustainable industry.",
    "--against",
    "Whaling must be banned. Killing whales is cruel and endangers the species.",
)
FAVOR = [
    ("2020-03-02", "Commercial whaling should be allowed again, it is our tradition."),
    ("2020-05-11", "Whale hunting is a legitimate and sustainable industry for our coast."),
    ("2020-09-20", "We will defend our right to hunt whales as our ancestors did."),
]
AGAINST = [
    ("2022-02-14", "Whaling must be banned for good, killing whales is cruel."),
    ("2022-06-01", "Hunting whales endangers the species and has to stop."),
    ("2022-10-30", "No more harpoons: whales must be protected, not killed."),
]
PARAPHRASE = "She said that the whaling quota would be cut to zero next year."


def _add(cli: Any, text: str, when: str, *extra: str) -> int:
    result = cli.ok(
        "add",
        text,
        "--speaker",
        "Kari Hunter",
        "--new-speaker",
        "--date",
        when,
        "--topic",
        "whaling",
        "--json",
        *extra,
    )
    return int(json.loads(result.stdout)["id"])


@pytest.fixture
def whaling(cli: Any) -> dict[str, int]:
    cli.ok("topics", "add", *WHALING)
    ids = {text: _add(cli, text, when) for when, text in FAVOR + AGAINST}
    ids[PARAPHRASE] = _add(cli, PARAPHRASE, "2021-04-01", "--paraphrase")
    cli.ok("stance", "assign", "--topic", "whaling")
    return ids


def _set_confidence(db_url: str, value: float) -> None:
    with open_database(db_url).session(write=True) as session:
        session.execute(
            update(StanceAssessment)
            .where(StanceAssessment.method == "auto")
            .values(confidence=value)
        )


def test_a_paraphrase_is_never_shown_in_quotation_marks(
    cli: Any, db_url: str, whaling: dict[str, int], tmp_path: Path
) -> None:
    _set_confidence(db_url, 0.9)
    marks = ("“", "”", '"')
    quote_id = str(whaling[PARAPHRASE])
    outputs = {
        "show": cli.ok("show", quote_id).stdout,
        "search": cli.ok("search", "quota cut to zero", "--mode", "text").stdout,
        "cluster": cli.ok("cluster", "--topic", "whaling").stdout,
        "position": cli.ok("position", "--speaker", "Kari Hunter", "--topic", "whaling").stdout,
        "review": cli.ok(
            "stance", "review", "--topic", "whaling", "--limit", "7", input="s\n" * 7
        ).stdout,
    }
    chart = tmp_path / "whaling.html"
    cli.ok(
        "timeline",
        "--topic",
        "whaling",
        "--speaker",
        "Kari Hunter",
        "--format",
        "html",
        "--output",
        str(chart),
        "--min-confidence",
        "0",
    )
    from html import unescape

    outputs["html"] = unescape(chart.read_text("utf-8"))
    for name, out in outputs.items():
        if name in ("cluster", "position") and "She said" not in out:
            continue  # not among the quotes this output picks to show
        flat = " ".join(out.split())  # rich wraps long lines
        assert "(paraphrase) She said that the whaling quota" in flat, name
        for mark in marks:
            assert f"{mark}She said" not in flat and f"{mark} She said" not in flat, name
    # Verbatim words are still quoted, so the difference is visible.
    assert "“Commercial whaling should be allowed again" in " ".join(
        cli.ok("search", "tradition", "--mode", "text").stdout.split()
    )
    # CSV: the kind column says it; the text is the statement itself, unquoted.
    rows = list(csv.DictReader(io.StringIO(cli.ok("export", "--speaker", "Kari Hunter").stdout)))
    row = next(r for r in rows if r["id"] == quote_id)
    assert row["kind"] == "paraphrase" and row["text"] == PARAPHRASE
    assert row["auto_confidence"] == "whaling=0.900"
    # JSON keeps the bare text and its kind, and each stance its confidence.
    shown = json.loads(cli.ok("show", quote_id, "--json").stdout)
    assert shown["kind"] == "paraphrase" and shown["text"] == PARAPHRASE
    assert [s["confidence"] for s in shown["stances"] if s["method"] == "auto"] == [0.9]


def test_a_shift_on_low_confidence_evidence_is_not_reported(
    cli: Any, db_url: str, whaling: dict[str, int]
) -> None:
    def shifts(*args: str) -> list[dict[str, Any]]:
        out = cli.ok("shifts", "--speaker", "Kari Hunter", "--by", "year", "--json", *args)
        return json.loads(out.stdout)  # type: ignore[no-any-return]

    # The model reads the 2020 statements as favor and the 2022 ones as against ...
    everything = shifts("--min-confidence", "0")
    assert [(s["kind"], s["from_period"], s["to_period"]) for s in everything] == [
        ("reversal", "2020", "2022")
    ]
    # ... but when it is unsure of every one of them, there is no shift to report.
    _set_confidence(db_url, 0.3)
    assert shifts() == []
    text = cli.ok("shifts", "--speaker", "Kari Hunter", "--by", "year").stdout
    assert "No stance shifts found" in text
    position = json.loads(
        cli.ok("position", "--speaker", "Kari Hunter", "--topic", "whaling", "--json").stdout
    )
    assert position["position"] == "not enough evidence"
    # Confident automatic evidence, three quotes a side: reported, and it says so.
    _set_confidence(db_url, 0.85)
    (shift,) = shifts()
    assert shift["from_basis"]["summary"] == "3 automatic, mean confidence 0.85"
    assert shift["to_basis"]["automatic"] == 3
    table = " ".join(cli.ok("shifts", "--speaker", "Kari Hunter", "--by", "year").stdout.split())
    assert "rests on 3 automatic, mean confidence 0.85" in table


def test_review_suggestions_change_after_labels(
    cli: Any, db_url: str, whaling: dict[str, int]
) -> None:
    def suggestions() -> list[dict[str, Any]]:
        out = cli.ok("stance", "review", "--topic", "whaling", "--limit", "10", "--json").stdout
        return json.loads(out)  # type: ignore[no-any-return]

    before = suggestions()
    assert len(before) == 7 and all(s["label"] for s in before)
    truth = {text: "favor" for _, text in FAVOR} | {text: "against" for _, text in AGAINST}
    by_id = {whaling[text]: label for text, label in truth.items()}

    def answer_for(quote_id: int) -> str:
        """The true label; off-topic for the paraphrase."""
        return {"favor": "f", "against": "a"}.get(by_id.get(quote_id, "off-topic"), "o")

    # Each session asks first what the listing puts first; every answer refits
    # the topic, so the next listing may order the rest differently.
    answered: list[int] = []
    for _ in range(3):
        top = int(suggestions()[0]["id"])
        cli.ok("stance", "review", "--topic", "whaling", "--limit", "1", input=answer_for(top))
        answered.append(top)
    middle = suggestions()
    assert set(answered).isdisjoint(s["id"] for s in middle)  # saved: never asked again
    assert middle != before
    # Quitting keeps what was answered; the rest comes back next time.
    top = int(suggestions()[0]["id"])
    rest = cli.ok("stance", "review", "--topic", "whaling", input=answer_for(top) + "\nq\n")
    answered.append(top)
    assert "Reviewed whaling: " in rest.stdout
    with open_database(db_url).session() as session:
        manual = session.scalars(
            select(StanceAssessment.quote_id).where(StanceAssessment.method == "manual")
        ).all()
        rejected = session.scalars(select(TopicRejection.quote_id)).all()
        links = session.scalars(select(QuoteTopic.quote_id)).all()
    assert sorted(manual + rejected) == sorted(answered)
    if whaling[PARAPHRASE] in answered:  # off-topic: remembered, unlinked, not suggested
        assert rejected == [whaling[PARAPHRASE]] and whaling[PARAPHRASE] not in links
    after = suggestions()
    assert {s["id"] for s in after} == {s["id"] for s in before} - set(answered)


def test_review_bad_input(cli: Any, whaling: dict[str, int]) -> None:
    assert cli("stance", "review", "--topic", "fishing").exit_code == 2
    assert cli("stance", "review", "--topic", "whaling", "--limit", "0").exit_code == 2
    # An unknown answer is asked again, not a crash; end of input means quit.
    out = cli.ok("stance", "review", "--topic", "whaling", input="maybe\n").stdout
    assert "unknown answer 'maybe'" in out and "0 labelled, 0 off-topic, 0 skipped" in out


def test_a_paraphrase_behind_a_shift_is_shown_as_reported_speech(
    cli: Any, db_url: str, whaling: dict[str, int], tmp_path: Path
) -> None:
    """The shifts table, its JSON, the HTML chart and the PNG never quote a paraphrase."""
    _set_confidence(db_url, 0.9)
    cli.ok("stance", "label", str(whaling[PARAPHRASE]), "--topic", "whaling", "--stance", "against")
    found = json.loads(
        cli.ok("shifts", "--speaker", "Kari Hunter", "--by", "year", "--json").stdout
    )
    (shift,) = [s for s in found if s["to_period"] == "2021"]
    assert shift["after"]["id"] == whaling[PARAPHRASE]
    assert shift["after"]["kind"] == "paraphrase" and shift["after"]["text"] == PARAPHRASE
    assert shift["to_basis"]["summary"] == "1 labelled quote"
    table = " ".join(cli.ok("shifts", "--speaker", "Kari Hunter", "--by", "year").stdout.split())
    assert "(paraphrase) She said that the whaling quota" in table
    for mark in ("“", "”", '"'):
        assert f"{mark}She said" not in table
    chart = tmp_path / "whaling.html"
    cli.ok(
        "timeline",
        "--topic",
        "whaling",
        "--speaker",
        "Kari Hunter",
        "--by",
        "year",
        "--format",
        "html",
        "--output",
        str(chart),
    )
    from html import unescape

    page = unescape(chart.read_text("utf-8"))
    assert "<h2>Shifts</h2>" in page and "(paraphrase) She said" in page
    assert "“She said" not in page and '"She said' not in page
    # The PNG's shift annotations carry numbers and evidence counts, never words.
    from quotes.api import open as open_quotes
    from quotes.timelines.charts.png import build_figure
    from quotes.timelines.shifts import detect_shifts

    timeline = open_quotes(db_url).timeline("whaling", ["Kari Hunter"], by="year")
    figure = build_figure(timeline, detect_shifts(timeline.points))
    drawn = " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))
    assert "1 labelled" in drawn and "She said" not in drawn
