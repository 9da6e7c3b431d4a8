"""The curation functions called as a library: typed errors, results, one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quotes.errors import BadInputError, DuplicateQuoteError, NotFoundError, QuotesError
from quotes.meaning.stance import label_stance
from quotes.records.links import unlabel_stance
from quotes.records.quote_edits import delete_quotes, edit_quote, quote_history, restore_quote
from quotes.records.quotes import add_quote, get_quote, quote_to_dict
from quotes.records.speaker_edits import add_role, edit_speaker
from quotes.records.topics import install_default_topics
from quotes.store.engine import Database
from quotes.store.models import HistoryEntry


def _history_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(HistoryEntry)) or 0)


def _setup(db: Database) -> tuple[int, int]:
    with db.session(write=True) as session:
        install_default_topics(session)
        first = add_quote(
            session,
            "Greenland is not for sale.",
            "Mette Frederiksen",
            source_url="https://example.com/1",
            topics=["sovereignty"],
            new_speaker=True,
        ).quote_id
        second = add_quote(session, "Greenland is not for sale!", "Mette Frederiksen").quote_id
        label_stance(session, first, "sovereignty", "favor")
    return first, second


def test_duplicate_edit_raises_with_the_other_id_and_writes_nothing(db: Database) -> None:
    first, second = _setup(db)
    before = _history_count(db)
    with pytest.raises(DuplicateQuoteError) as caught, db.session(write=True) as session:
        edit_quote(session, second, text="greenland is NOT for sale.")
    assert caught.value.other_id == first and caught.value.exit_code == 2
    assert _history_count(db) == before
    with db.session() as session:
        assert get_quote(session, second).text == "Greenland is not for sale!"


def test_a_failure_after_the_first_write_rolls_everything_back(db: Database) -> None:
    first, second = _setup(db)
    before = _history_count(db)
    with pytest.raises(NotFoundError), db.session(write=True) as session:
        edit_quote(session, first, date="2026")  # writes a version and the date...
        delete_quotes(session, [second, 999])  # ...then the command fails
    assert _history_count(db) == before
    with db.session() as session:
        assert get_quote(session, first).date is None


def test_delete_restore_round_trip(db: Database) -> None:
    first, _ = _setup(db)
    with db.session() as session:
        original = quote_to_dict(get_quote(session, first))
    with db.session(write=True) as session:
        assert delete_quotes(session, [first, first]).deleted == [first]
    with db.session() as session:
        versions = quote_history(session, first)
    assert [v.action for v in versions] == ["label", "delete"]
    assert versions[-1].changes["text"] == {"from": "Greenland is not for sale.", "to": None}
    with db.session(write=True) as session:
        result = restore_quote(session, first)
        restored = quote_to_dict(get_quote(session, first))
    assert (result.sources, result.topic_links, result.stances) == (1, 1, 1)
    assert not result.speaker_created and result.missing_topics == []
    assert restored == original
    with pytest.raises(QuotesError, match="exists"), db.session(write=True) as session:
        restore_quote(session, first)
    with pytest.raises(NotFoundError), db.session() as session:
        quote_history(session, 999)


def test_unlabel_and_speaker_errors(db: Database) -> None:
    first, second = _setup(db)
    with db.session(write=True) as session:
        assert unlabel_stance(session, first, "sovereignty").label == "favor"
    with pytest.raises(BadInputError), db.session(write=True) as session:
        unlabel_stance(session, second, "sovereignty")
    with pytest.raises(BadInputError, match="after it ends"), db.session(write=True) as session:
        add_role(session, "Mette Frederiksen", "PM", start="2020-02", end="2020-01")
    with db.session(write=True) as session:
        same = add_role(session, "Mette Frederiksen", "PM", start="2020-01", end="2020-01")
    assert same.added and same.role == "PM (2020-01-01..2020-01-31)"
    with db.session(write=True) as session:
        edit = edit_speaker(session, "Mette Frederiksen", new_name="METTE FREDERIKSEN")
    assert edit.changed == ["name"] and edit.name == "METTE FREDERIKSEN"
    with db.session() as session:
        assert get_quote(session, first).speaker.name == "METTE FREDERIKSEN"
