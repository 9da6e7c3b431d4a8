"""Correcting, deleting and restoring quotes, with every earlier version kept.

Each function runs inside the caller's transaction, checks everything before
it writes, and appends the record as it was to the history
(quotes.records.history) before changing it, so a failed call changes nothing
and a successful one loses nothing.

The one-statement rule (one quote per speaker and normalised text) holds
after an edit too: an edit that would make a quote the same statement as
another quote of its speaker raises DuplicateQuoteError (exit code 2) unless
``merge`` is given, and then the other quote, which already had that
statement, survives and receives the edited quote's sources, links and labels.

A changed text invalidates what was computed from the old one: the quote's
embeddings (under every model) and its automatic topic links and stance
assessments are removed, so ``quotes embed`` and ``quotes stance assign``
redo them and search by meaning never matches the new text by the old vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from quotes.errors import BadInputError, DuplicateQuoteError, NotFoundError, QuotesError
from quotes.records import history
from quotes.records.merging import absorb_quote
from quotes.records.quotes import (
    load_quotes,
    validate_kind,
    validate_text,
)
from quotes.records.sources import attach_source, find_or_create_source
from quotes.records.speakers import find_speaker, forget_resolved_speakers, require_speaker
from quotes.store.dates import PartialDate, parse_date
from quotes.store.ids import storable_ids
from quotes.store.models import (
    Embedding,
    Quote,
    QuoteTopic,
    Speaker,
    SpeakerAlias,
    StanceAssessment,
    Topic,
    TopicRejection,
)
from quotes.store.normalize import clean_text, name_key, text_hash

_UNSET: Any = object()


def require_quote(session: Session, quote_id: int) -> Quote:
    """The quote with this id, loaded with its relations; NotFoundError (exit 1) otherwise."""
    found = load_quotes(session, [quote_id])
    if not found:
        raise NotFoundError(f"no quote {quote_id}: see `quotes search` or `quotes history`.")
    return found[0]


def _same_statement(session: Session, speaker_id: int, digest: str, other_than: int) -> int | None:
    return session.scalar(
        select(Quote.id).where(
            Quote.speaker_id == speaker_id, Quote.text_hash == digest, Quote.id != other_than
        )
    )


@dataclass
class EditResult:
    """What ``edit_quote`` did."""

    quote_id: int
    #: The fields that changed (text, speaker, date, context, kind).
    changed: list[str]
    #: The quote it was merged into (``merge``), which now holds the statement.
    merged_into: int | None = None
    embeddings_removed: int = 0
    assessments_removed: int = 0
    links_removed: int = 0

    @property
    def surviving_id(self) -> int:
        return self.merged_into if self.merged_into is not None else self.quote_id

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "surviving_id": self.surviving_id}


def _new_values(
    quote: Quote,
    session: Session,
    *,
    text: str | None,
    speaker: str | None,
    date: str | None,
    context: str | None,
    kind: str | None,
) -> dict[str, Any]:
    """The validated values that differ from the quote's; nothing is written."""
    values: dict[str, Any] = {}
    if text is not None:
        cleaned = validate_text(text)
        if cleaned != quote.text:
            values["text"] = cleaned
    if speaker is not None:
        person = require_speaker(session, speaker)
        if person.id != quote.speaker_id:
            values["speaker_id"] = person.id
    if date is not None:
        when: PartialDate | None = parse_date(date) if date.strip() else None
        start, precision = (when.start, when.precision) if when else (None, None)
        if (start, precision) != (quote.date, quote.date_precision if quote.date else None):
            values["date"], values["date_precision"] = start, precision
    if context is not None:
        note = clean_text(context) or None
        if note != quote.context:
            values["context"] = note
    if kind is not None:
        chosen = validate_kind(kind)
        if chosen != quote.kind:
            values["kind"] = chosen
    return values


_FIELD_NAMES = {"speaker_id": "speaker", "date_precision": "date"}


def edit_quote(
    session: Session,
    quote_id: int,
    *,
    text: str | None = None,
    speaker: str | None = None,
    date: str | None = None,
    context: str | None = None,
    kind: str | None = None,
    merge: bool = False,
) -> EditResult:
    """Correct a quote; None leaves a field as it is, "" clears the date or context.

    The speaker must already exist (any alias). Raises NotFoundError for an
    unknown id, BadInputError for bad values or an edit with nothing to change,
    and DuplicateQuoteError when the result would be another quote's
    statement and ``merge`` is not set.
    """
    if all(value is None for value in (text, speaker, date, context, kind)):
        raise BadInputError(
            "nothing to edit: give --text, --speaker, --date, --context, --paraphrase or --quote."
        )
    quote = require_quote(session, quote_id)
    values = _new_values(
        quote, session, text=text, speaker=speaker, date=date, context=context, kind=kind
    )
    changed = list(dict.fromkeys(_FIELD_NAMES.get(key, key) for key in values))
    if not values:
        return EditResult(quote_id, [])
    speaker_id = values.get("speaker_id", quote.speaker_id)
    digest = text_hash(values["text"]) if "text" in values else quote.text_hash
    other = None
    if (speaker_id, digest) != (quote.speaker_id, quote.text_hash):
        other = _same_statement(session, speaker_id, digest, quote_id)
    if other is not None and not merge:
        person = session.get(Speaker, speaker_id)
        who = person.name if person is not None else "its speaker"
        raise DuplicateQuoteError(
            f"quote {quote_id} would then be the same statement by {who} as quote {other}: "
            f"pass --merge to combine them into quote {other}, or change the edit.",
            other,
        )
    if other is not None:
        return _merge_edit(session, quote, other, values, changed)
    history.append(session, "quote", quote_id, "edit", history.quote_snapshot(session, quote))
    result = EditResult(quote_id, changed)
    if "text" in values:
        values["text_hash"] = digest
        _forget_computed(session, quote_id, result)
    session.execute(update(Quote).where(Quote.id == quote_id).values(**values))
    session.expire(quote)
    session.flush()
    return result


def _merge_edit(
    session: Session, quote: Quote, other_id: int, values: dict[str, Any], changed: list[str]
) -> EditResult:
    """Fold the edited quote into ``other_id``, which already has the statement.

    Fields the edit set explicitly (date, context, kind) are applied to the
    surviving quote; a date or context it lacks is taken from the edited one.
    """
    survivor = require_quote(session, other_id)
    updates: dict[str, Any] = {}
    for key in ("date", "date_precision", "context", "kind"):
        if key in values:
            updates[key] = values[key]
    if survivor.date is None and "date" not in values and quote.date is not None:
        updates["date"], updates["date_precision"] = quote.date, quote.date_precision
    if not survivor.context and "context" not in values and quote.context:
        updates["context"] = quote.context
    updates = {k: v for k, v in updates.items() if getattr(survivor, k) != v}
    history.append(session, "quote", other_id, "edit", history.quote_snapshot(session, survivor))
    if updates:
        session.execute(update(Quote).where(Quote.id == other_id).values(**updates))
    session.expunge(survivor)
    absorb_quote(session, remove_id=quote.id, keep_id=other_id)
    return EditResult(quote.id, changed, merged_into=other_id)


def _forget_computed(session: Session, quote_id: int, result: EditResult) -> None:
    """Remove what was computed from the old text (vectors, automatic links and stances)."""
    result.embeddings_removed = _count_deleted(
        session, delete(Embedding).where(Embedding.quote_id == quote_id)
    )
    result.assessments_removed = _count_deleted(
        session,
        delete(StanceAssessment).where(
            StanceAssessment.quote_id == quote_id, StanceAssessment.method == "auto"
        ),
    )
    result.links_removed = _count_deleted(
        session,
        delete(QuoteTopic).where(QuoteTopic.quote_id == quote_id, QuoteTopic.origin == "auto"),
    )
    if result.embeddings_removed:
        _forget_vectors_after_commit(session)


def _count_deleted(session: Session, statement: Any) -> int:
    outcome = session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(outcome, "rowcount", 0) or 0)


def _forget_vectors_after_commit(session: Session) -> None:
    """Make this process's search reload its vectors once the change is committed.

    The in-process matrix of quotes.search.semantic notices new and deleted
    vectors of deleted quotes, but not a vector removed from a quote that
    still exists; a long-running process (the web app, a notebook) would
    otherwise keep matching the new text by its old vector.
    """

    def clear(_session: Session) -> None:
        from quotes.search.semantic import clear_cache

        clear_cache()

    event.listen(session, "after_commit", clear, once=True)


@dataclass
class DeleteResult:
    deleted: list[int] = field(default_factory=list)


def delete_quotes(session: Session, quote_ids: Sequence[int]) -> DeleteResult:
    """Delete the quotes, each kept whole in history; an unknown id deletes nothing."""
    wanted = list(dict.fromkeys(quote_ids))
    if not wanted:
        raise BadInputError("no quote ids given: name the quotes to delete.")
    found = load_quotes(session, wanted)
    missing = sorted(set(wanted) - {q.id for q in found})
    if missing:
        ids = ", ".join(str(i) for i in missing)
        raise NotFoundError(
            f"no quote {ids}: nothing was deleted (see `quotes search` or `quotes history`)."
        )
    for quote in found:
        history.append(session, "quote", quote.id, "delete", history.quote_snapshot(session, quote))
    for quote in found:
        session.expunge(quote)
    session.execute(
        delete(Quote).where(Quote.id.in_(wanted)).execution_options(synchronize_session=False)
    )
    session.flush()
    _forget_vectors_after_commit(session)
    return DeleteResult(wanted)


@dataclass
class RestoreResult:
    """What ``restore_quote`` brought back, and what it could not."""

    quote_id: int
    speaker: str
    speaker_created: bool
    sources: int
    topic_links: int
    stances: int
    #: Topics of the snapshot that no longer exist (their links and labels are skipped).
    missing_topics: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def restore_quote(session: Session, quote_id: int) -> RestoreResult:
    """Bring a deleted (or merged-away) quote back under its old id from its last snapshot.

    Its sources, topic links, stance assessments (a person's and automatic)
    and rejected topics come back; its speaker is found by any name it had,
    or recreated. Embeddings are recomputed by the next ``quotes embed``.
    """
    if not storable_ids(session, [quote_id]):
        raise NotFoundError(f"no quote {quote_id}, and no history for that id.")
    snapshot = history.last_snapshot(session, "quote", quote_id, history.GONE_ACTIONS)
    if session.get(Quote, quote_id) is not None:
        if snapshot is not None and _latest_action(session, quote_id) in history.GONE_ACTIONS:
            # SQLite gives the highest id again once its row is deleted.
            raise QuotesError(
                f"quote {quote_id} exists: a newer quote took the deleted quote's id, so "
                f"it cannot come back under it (its text is in `quotes history {quote_id}`)."
            )
        raise QuotesError(
            f"quote {quote_id} exists, so there is nothing to restore: "
            f"see `quotes history {quote_id}` and `quotes edit {quote_id}`."
        )
    if snapshot is None:
        raise NotFoundError(f"no deleted quote {quote_id} in the history: nothing to restore.")
    person, created = _speaker_for(session, snapshot)
    text = str(snapshot["text"])
    digest = text_hash(text)
    other = _same_statement(session, person.id, digest, quote_id)
    if other is not None:
        raise DuplicateQuoteError(
            f"quote {quote_id} is the same statement by {person.name} as quote {other}, "
            f"which holds its sources and links now: see `quotes show {other}`.",
            other,
        )
    when = parse_date(snapshot["date"]) if snapshot.get("date") else None
    created_at = snapshot.get("created_at")
    quote = Quote(
        id=quote_id,
        speaker_id=person.id,
        text=text,
        text_hash=digest,
        date=when.start if when else None,
        date_precision=when.precision if when else None,
        kind=snapshot.get("kind") or "quote",
        context=snapshot.get("context"),
        language=snapshot.get("language"),
    )
    if created_at:
        quote.created_at = datetime.fromisoformat(created_at)
    session.add(quote)
    session.flush()
    result = RestoreResult(quote_id, person.name, created, 0, 0, 0)
    for source in snapshot.get("sources", []):
        source_id = find_or_create_source(
            session, source.get("url"), source.get("outlet"), source.get("title")
        )
        if attach_source(session, quote_id, source_id):
            result.sources += 1
    _restore_links(session, quote_id, snapshot, result)
    session.flush()
    restored = require_quote(session, quote_id)
    history.append(session, "quote", quote_id, "restore", history.quote_snapshot(session, restored))
    return result


def _restore_links(
    session: Session, quote_id: int, snapshot: dict[str, Any], result: RestoreResult
) -> None:
    topics: dict[str, int] = {}

    def topic_id(name: str) -> int | None:
        if name not in topics:
            found = session.scalar(select(Topic.id).where(Topic.name == name))
            if found is None:
                if name not in result.missing_topics:
                    result.missing_topics.append(name)
                return None
            topics[name] = found
        return topics[name]

    for link in snapshot.get("topic_links", []):
        found = topic_id(link["topic"])
        if found is not None:
            session.add(
                QuoteTopic(
                    quote_id=quote_id,
                    topic_id=found,
                    origin=link["origin"],
                    confidence=link.get("confidence"),
                )
            )
            result.topic_links += 1
    for stance in snapshot.get("stances", []):
        found = topic_id(stance["topic"])
        if found is not None:
            session.add(
                StanceAssessment(
                    quote_id=quote_id,
                    topic_id=found,
                    label=stance["label"],
                    score=stance["score"],
                    method=stance["method"],
                    model=stance.get("model"),
                    confidence=stance.get("confidence"),
                )
            )
            result.stances += 1
    for name in snapshot.get("rejected_topics", []):
        found = topic_id(name)
        if found is not None:
            session.add(TopicRejection(quote_id=quote_id, topic_id=found))


def _latest_action(session: Session, quote_id: int) -> str | None:
    rows = history.entries(session, "quote", quote_id)
    return rows[-1].action if rows else None


def _speaker_for(session: Session, snapshot: dict[str, Any]) -> tuple[Speaker, bool]:
    """The snapshot's speaker by any of its names (renamed or merged since), or a new one."""
    record: dict[str, Any] = snapshot.get("speaker_record") or {}
    names = [snapshot["speaker"], *record.get("aliases", [])]
    for name in names:
        found = find_speaker(session, name)
        if found is not None:
            return found, False
    name = str(snapshot["speaker"])
    speaker = Speaker(
        name=name,
        name_key=name_key(name),
        country=record.get("country"),
        party=record.get("party"),
    )
    wikidata = record.get("wikidata_id")
    taken = select(Speaker.id).where(Speaker.wikidata_id == wikidata)
    if wikidata and session.scalar(taken) is None:
        speaker.wikidata_id = wikidata
    session.add(speaker)
    session.flush()
    by_key = {name_key(alias): alias for alias in reversed([name, *record.get("aliases", [])])}
    for key, alias in by_key.items():
        session.add(SpeakerAlias(speaker_id=speaker.id, alias=alias, alias_key=key))
    session.flush()
    forget_resolved_speakers(session)
    return speaker, True


def quote_history(session: Session, quote_id: int) -> list[history.Version]:
    """A quote's earlier versions, oldest first, also for a deleted quote.

    An id that is neither a quote nor in the history raises NotFoundError.
    """
    found = load_quotes(session, [quote_id])
    current = history.quote_snapshot(session, found[0]) if found else None
    versions = history.versions(session, "quote", quote_id, current)
    if current is None and not versions:
        raise NotFoundError(f"no quote {quote_id}, and no history for that id.")
    return versions
