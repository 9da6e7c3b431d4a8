"""Reading quote documents without the ORM gives exactly what the ORM objects give."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select, update

from quotes.records.documents import quote_documents
from quotes.records.quotes import add_quote, load_quotes, quote_to_dict
from quotes.records.topics import get_topic
from quotes.store.engine import Database
from quotes.store.models import Quote, QuoteSource, QuoteTopic, StanceAssessment
from quotes.vocabulary import Method


@pytest.fixture
def varied(seeded, db: Database) -> list[int]:
    """Quotes with none, one and several sources, topic links and stances of both methods."""
    with db.session(write=True) as session:
        bare = add_quote(
            session, "A statement with nothing attached.", "Nobody In Particular", new_speaker=True
        ).quote_id
        rich = add_quote(
            session,
            "We cannot negotiate on our sovereignty.",
            "Mette Frederiksen",
            date="2026-01",
            source_url="https://example.org/a",
            outlet="Outlet A",
            context='Said "plainly" <b>in</b> =Copenhagen',
            topics=["sovereignty"],
            new_speaker=True,
        ).quote_id
        add_quote(
            session,
            "We cannot negotiate on our sovereignty.",
            "Mette Frederiksen",
            source_url="https://example.org/b",
            outlet="Outlet B",
        )
        # Two sources attached at the same instant: the second key breaks the tie.
        same = datetime(2026, 1, 22, 12, 0, tzinfo=UTC)
        session.execute(
            update(QuoteSource).where(QuoteSource.quote_id == rich).values(created_at=same)
        )
        tariffs = get_topic(session, "tariffs")
        sovereignty = get_topic(session, "sovereignty")
        session.add(
            QuoteTopic(
                quote_id=rich,
                topic_id=tariffs.id,
                origin=Method.AUTO.value,
                confidence=0.7234567891234567,
            )
        )
        for topic, method, score, confidence in [
            (sovereignty, Method.AUTO, 0.123456789012345, 0.876543210987654),
            (sovereignty, Method.MANUAL, 1.0, None),
            (tariffs, Method.AUTO, -0.33333333333333331, 0.51),
        ]:
            session.add(
                StanceAssessment(
                    quote_id=rich,
                    topic_id=topic.id,
                    label="favor" if score > 0 else "against",
                    score=score,
                    method=method.value,
                    model=None if method == Method.MANUAL else "m",
                    confidence=confidence,
                )
            )
        ids = [bare, rich]
        ids += list(session.scalars(select(Quote.id).where(Quote.id.not_in(ids))))
    return ids


def test_documents_equal_the_orm_shape_in_the_order_asked(db: Database, varied: list[int]) -> None:
    order = [varied[1], 10**12, varied[0], *reversed(varied[2:]), varied[1]]
    with db.session() as session:
        expected = [quote_to_dict(q) for q in load_quotes(session, order)]
    with db.session() as session:
        got = quote_documents(session, order)
    assert got == expected
    rich = got[0]
    assert [s["url"] for s in rich["sources"]] == ["https://example.org/a", "https://example.org/b"]
    assert rich["topics"] == ["sovereignty", "tariffs"]
    assert [(s["topic"], s["method"]) for s in rich["stances"]] == [
        ("sovereignty", "manual"),
        ("sovereignty", "auto"),
        ("tariffs", "auto"),
    ]
    assert rich["topic_links"][1]["confidence"] == 0.7234567891234567  # not rounded in SQL
    assert rich["date"] == "2026-01"


def test_no_ids_no_documents_and_no_statement(db: Database, varied: list[int]) -> None:
    statements: list[str] = []
    engine = db.engine

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with db.session() as session:
            session.execute(select(1))  # the session's own set-up, if any, is done
            statements.clear()
            assert quote_documents(session, []) == []
            assert quote_documents(session, [10**30]) == []  # no such row can exist
            assert statements == []
            assert quote_documents(session, [-5]) == []  # one look, nothing to link
            assert len(statements) == 1
            statements.clear()
            assert len(quote_documents(session, varied)) == len(varied)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 2, statements
