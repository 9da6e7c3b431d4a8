"""``quotes position`` and the evidence rule shifts share, on both back ends.

Stances are written straight into the database (confidence included, as
``stance assign`` writes it), so these tests exercise the reading side.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from quotes.records.quotes import add_quote
from quotes.records.topics import install_default_topics
from quotes.store.engine import Database
from quotes.store.models import StanceAssessment, Topic

# speaker, date, text, kind, method, label, score, confidence
ROWS: list[tuple[str, str, str, str, str, str, float, float | None]] = [
    (
        "Mette Frederiksen",
        "2025-01-10",
        "Greenland is not for sale.",
        "quote",
        "manual",
        "favor",
        1.0,
        None,
    ),
    (
        "Mette Frederiksen",
        "2025-01-20",
        "Our borders are not negotiable.",
        "quote",
        "auto",
        "favor",
        0.7,
        0.92,
    ),
    (
        "Mette Frederiksen",
        "2025-02-03",
        "She said Denmark would never give up Greenland.",
        "paraphrase",
        "auto",
        "favor",
        0.6,
        0.85,
    ),
    (
        "Mette Frederiksen",
        "2025-02-09",
        "We can talk about everything else.",
        "quote",
        "auto",
        "against",
        -0.4,
        0.35,
    ),
    # Trump: three automatic scores each month, all shaky.
    ("Donald Trump", "2025-01-07", "We need Greenland.", "quote", "auto", "against", -0.8, 0.4),
    ("Donald Trump", "2025-01-08", "Denmark should sell.", "quote", "auto", "against", -0.7, 0.45),
    (
        "Donald Trump",
        "2025-01-09",
        "It is a real estate deal.",
        "quote",
        "auto",
        "against",
        -0.6,
        0.5,
    ),
    ("Donald Trump", "2025-04-02", "We respect Denmark.", "quote", "auto", "favor", 0.6, 0.4),
    ("Donald Trump", "2025-04-03", "Denmark is a great ally.", "quote", "auto", "favor", 0.7, 0.5),
    ("Donald Trump", "2025-04-04", "Greenland is theirs.", "quote", "auto", "favor", 0.8, 0.45),
]


@pytest.fixture
def stored(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    with db.session(write=True) as session:
        install_default_topics(session)
        topic = session.scalar(select(Topic).where(Topic.name == "sovereignty"))
        assert topic is not None
        for number, (speaker, when, text, kind, method, label, score, confidence) in enumerate(
            ROWS
        ):
            added = add_quote(
                session,
                text,
                speaker,
                date=when,
                kind=kind,
                outlet="Reuters",
                source_url=f"https://news.example/{number}",
                topics=["sovereignty"],
                new_speaker=True,
            )
            ids[text] = added.quote_id
            session.add(
                StanceAssessment(
                    quote_id=added.quote_id,
                    topic_id=topic.id,
                    label=label,
                    score=score,
                    method=method,
                    model="test" if method == "auto" else None,
                    confidence=confidence,
                )
            )
    return ids


def _position(cli: Any, *args: str) -> dict[str, Any]:
    result = cli.ok("position", "--topic", "sovereignty", "--json", *args)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_position_with_its_receipts(cli: Any, stored: dict[str, int]) -> None:
    found = _position(cli, "--speaker", "Mette Frederiksen")
    assert found["position"] == found["label"] == "favor"
    # The 0.35 automatic "against" is under the bar: left out, not counted.
    assert found["evidence"] == {
        "labelled": 1,
        "automatic": 2,
        "mean_confidence": pytest.approx(0.885),
        "summary": "1 labelled quote + 2 automatic (mean confidence 0.89)",
    }
    assert found["left_out"] == {"below_confidence": 1, "undated": 0}
    # (2 * 1.0 + 0.7 + 0.6) / 4, and every counted quote agrees.
    assert found["score"] == pytest.approx(0.825)
    assert found["confidence"] == pytest.approx((2 + 0.92 + 0.85) / 4)
    strongest = found["for"]
    assert strongest[0]["id"] == stored["Greenland is not for sale."]  # a person's label first
    assert strongest[0]["method"] == "manual" and strongest[0]["date"] == "2025-01-10"
    assert strongest[0]["source"] == "Reuters, https://news.example/0"
    assert found["against"] == []
    # Every stance counted: the shaky "against" now weighs in and lowers the confidence.
    everything = _position(cli, "--speaker", "Mette Frederiksen", "--min-confidence", "0")
    assert everything["evidence"]["automatic"] == 3
    assert everything["confidence"] < found["confidence"]
    assert [q["id"] for q in everything["against"]] == [
        stored["We can talk about everything else."]
    ]


def test_thin_evidence_says_so(cli: Any, stored: dict[str, int]) -> None:
    found = _position(cli, "--speaker", "Donald Trump")
    assert found["position"] == "not enough evidence" and found["label"] is None
    assert found["score"] is None and found["confidence"] is None
    assert found["evidence"]["automatic"] == 0 and found["left_out"]["below_confidence"] == 6
    assert "3 automatic assessments above the confidence bar" in found["rule"]
    text = cli.ok("position", "--speaker", "Donald Trump", "--topic", "sovereignty").stdout
    assert "not enough evidence" in text
    # Lowering the bar is the user's explicit choice: then there is a position.
    lowered = _position(cli, "--speaker", "Donald Trump", "--min-confidence", "0.3")
    assert lowered["label"] == "neutral" and lowered["evidence"]["automatic"] == 6
    # A date range narrows the evidence: only January, clearly against.
    january = _position(
        cli, "--speaker", "Donald Trump", "--min-confidence", "0.3", "--until", "2025-01"
    )
    assert january["label"] == "against" and january["until"] == "2025-01"
    # Strength times certainty: -0.8 x 0.4 before -0.7 x 0.45 before -0.6 x 0.5.
    assert [q["date"] for q in january["against"]] == ["2025-01-07", "2025-01-08", "2025-01-09"]


def test_a_paraphrase_is_never_in_quotation_marks(cli: Any, stored: dict[str, int]) -> None:
    paraphrase = "She said Denmark would never give up Greenland."
    out = cli.ok("position", "--speaker", "Mette Frederiksen", "--topic", "sovereignty").stdout
    assert f"(paraphrase) {paraphrase}" in out
    assert f"“{paraphrase}" not in out and f'"{paraphrase}' not in out
    assert "“Greenland is not for sale.”" in out  # verbatim words are quoted
    shown = cli.ok("show", str(stored[paraphrase])).stdout
    assert f"(paraphrase) {paraphrase}" in shown and "“" not in shown
    table = cli.ok("search", "Greenland", "--mode", "text").stdout
    assert "(paraphrase) She said" in table and "“She said" not in table


def test_shifts_need_confident_evidence_on_both_sides(cli: Any, stored: dict[str, int]) -> None:
    # Trump goes from clearly against to clearly favor, but only on shaky scores.
    assert json.loads(cli.ok("shifts", "--speaker", "Donald Trump", "--json").stdout) == []
    lowered = json.loads(
        cli.ok("shifts", "--speaker", "Donald Trump", "--min-confidence", "0.3", "--json").stdout
    )
    assert [(s["kind"], s["from_period"], s["to_period"]) for s in lowered] == [
        ("reversal", "2025-01", "2025-04")
    ]
    assert lowered[0]["from_basis"]["summary"] == "3 automatic, mean confidence 0.45"
    assert lowered[0]["before"]["confidence"] == pytest.approx(0.4, abs=0.11)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--speaker", "Nobody Known"), "Nobody Known"),
        (("--speaker", "Donald Trump", "--since", "2025-13"), "2025-13"),
        (("--speaker", "Donald Trump", "--min-confidence", "1.5"), "--min-confidence"),
        (("--speaker", "Donald Trump", "--topic", "fishing"), "fishing"),
    ],
)
def test_bad_input_exits_2(
    cli: Any, stored: dict[str, int], args: tuple[str, ...], message: str
) -> None:
    base = [] if "--topic" in args else ["--topic", "sovereignty"]
    result = cli("position", *base, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_min_confidence_filters_stance_search_and_clusters(
    cli: Any, stored: dict[str, int]
) -> None:
    def ids(*args: str) -> set[int]:
        out = cli.ok("search", "Greenland", "--mode", "text", "--json", *args).stdout
        return {hit["id"] for hit in json.loads(out)}

    favor = ids("--stance", "favor")  # default: every stance counts
    assert stored["She said Denmark would never give up Greenland."] in favor
    assert stored["Greenland is theirs."] in favor  # automatic, confidence 0.45
    strict = ids("--stance", "favor", "--min-confidence", "0.9")
    assert strict == {stored["Greenland is not for sale."]}  # a person's label always counts
    table = cli.ok("search", "Greenland", "--mode", "text").stdout
    assert "confidence 0.45" in table and "manual" in table
    # An automatic stance says it is one, not only how sure it is.
    assert "auto, confidence 0.45" in " ".join(table.split())
    exported = cli.ok("export", "--stance", "favor", "--min-confidence", "0.8").stdout
    assert "Greenland is theirs." not in exported and "Greenland is not for sale." in exported
    assert cli("search", "x", "--stance", "favor", "--min-confidence", "-1").exit_code == 2

    def members(*args: str) -> int:
        out = cli.ok("cluster", "--topic", "sovereignty", "--json", *args).stdout
        return sum(group["size"] for group in json.loads(out))

    assert members() == len(ROWS)
    assert members("--min-confidence", "0.7") == 3  # the label and the two confident ones
    group_quotes = [
        q
        for g in json.loads(cli.ok("cluster", "--topic", "sovereignty", "--json").stdout)
        for q in g["quotes"]
    ]
    assert all({"method", "confidence", "kind"} <= set(q) for q in group_quotes)


def test_timeline_counts_only_confident_stances(cli: Any, stored: dict[str, int]) -> None:
    args = ("timeline", "--topic", "sovereignty", "--speaker", "Donald Trump", "--format", "json")
    empty = cli.ok(*args)
    assert json.loads(empty.stdout) == []
    assert "6 quotes whose only stance is automatic with confidence below 0.70" in empty.output
    rows = json.loads(cli.ok(*args, "--min-confidence", "0.45").stdout)
    assert [(r["period"], r["n"]) for r in rows] == [("2025-01", 2), ("2025-04", 2)]
    table = cli.ok("timeline", "--topic", "sovereignty", "--speaker", "Mette Frederiksen").stdout
    assert "1 labelled quote + 1 automatic" in table


def test_review_answers_and_off_topic(db: Database, stored: dict[str, int]) -> None:
    from quotes.errors import BadInputError
    from quotes.meaning.reviewing import parse_answer, save_answer
    from quotes.store.models import QuoteTopic, TopicRejection

    assert [parse_answer(a) for a in ("f", " Against ", "N", "o", "off-topic", "s", "q")] == [
        "favor",
        "against",
        "neutral",
        "off-topic",
        "off-topic",
        "skip",
        "quit",
    ]
    with pytest.raises(BadInputError, match="unknown answer 'maybe'"):
        parse_answer("maybe")
    shaky = stored["We can talk about everything else."]
    assert save_answer(db, shaky, "sovereignty", "skip") is False
    assert save_answer(db, shaky, "sovereignty", "off-topic") is True
    with db.session() as session:
        topic = session.scalar(select(Topic.id).where(Topic.name == "sovereignty"))
        assert session.get(TopicRejection, (shaky, topic)) is not None
        assert session.get(QuoteTopic, (shaky, topic)) is None
        assert not session.scalars(
            select(StanceAssessment).where(StanceAssessment.quote_id == shaky)
        ).all()


def test_search_csv_and_show_carry_confidence(cli: Any, stored: dict[str, int]) -> None:
    import csv
    import io

    out = cli.ok("search", "Greenland", "--mode", "text", "--csv").stdout
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(out))}
    theirs = rows[stored["Greenland is theirs."]]
    assert theirs["auto_confidence"] == "sovereignty=0.450"
    assert theirs["auto_stance"] == "sovereignty=favor:+0.800"
    labelled = rows[stored["Greenland is not for sale."]]
    assert labelled["stance"] == "sovereignty=favor" and labelled["auto_confidence"] == ""
    shown = cli.ok("show", str(stored["Greenland is theirs."])).stdout
    assert "favor +0.80 (auto, test, confidence 0.45)" in shown
