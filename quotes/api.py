"""The public Python API: ``quotes.open(...)`` and the methods that mirror the CLI.

A notebook or a script works with one object::

    import quotes

    with quotes.open("news.db") as db:
        db.init()
        added = db.add("We cannot negotiate on our sovereignty.",
                       speaker="Mette Frederiksen", date="2026-01-22")
        for hit in db.search("sovereignty"):
            print(hit.rank, hit.quote.speaker, hit.quote.text)

Every method is one transaction (all or nothing), validates its input before
it writes, returns frozen records from :mod:`quotes.results` (``to_dict()``
gives the CLI's JSON shape) and raises the errors of :mod:`quotes.errors`
(:class:`~quotes.errors.BadInputError` for bad values,
:class:`~quotes.errors.NotFoundError` for a missing id). The CLI calls these
same methods, one per command, and only renders what they return.

Heavy libraries (numpy, torch, sentence-transformers) are imported only by the
methods that need them (``embed``, ``assign_stances``, ``cluster``, a
``semantic`` or ``hybrid`` search), so opening a database stays fast.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from quotes.results import (
    Added,
    ExtractedQuote,
    Extraction,
    Initialised,
    Labelled,
    Merged,
    QuoteRecord,
    SchemaState,
    SearchHit,
    SpeakerRecord,
    TopicRecord,
)
from quotes.store.engine import Database, open_database
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

if TYPE_CHECKING:
    from quotes.exports.csv_safety import CsvStyle
    from quotes.ingest.importing.run import ImportSummary
    from quotes.ingest.importing.run import Progress as ImportProgress
    from quotes.meaning.clusters import Group
    from quotes.meaning.stance import AssignReport
    from quotes.meaning.vectors import EmbedReport
    from quotes.records.history import Version
    from quotes.records.links import LinkResult, UnlabelResult
    from quotes.records.quote_edits import DeleteResult, EditResult, RestoreResult
    from quotes.records.speaker_edits import RoleResult, SpeakerEdit
    from quotes.records.topic_edits import TopicEdit
    from quotes.search.filters import QuoteFilters
    from quotes.timelines.aggregate import Timeline
    from quotes.timelines.shifts import Shift

#: Called with (done, total) while vectors are computed.
EmbedProgress = Callable[[int, int], None]

#: How many speakers a timeline shows when none are named.
TIMELINE_DEFAULT_SPEAKERS = 5


def open(  # noqa: A001
    target: str | Path | None = None, *, migrate: bool = True, create: bool = True
) -> QuotesDatabase:
    """Open the quotes database ``target`` names, creating it if it does not exist.

    ``target`` is a SQLAlchemy URL (``sqlite:///news.db``,
    ``postgresql+psycopg://user@host/db``) or a file path (SQLite). Without
    one: ``$QUOTES_DATABASE_URL``, else ``quotes.db`` in the user's data
    directory, as for the CLI. A new database is migrated to the newest
    schema; one at an older revision raises
    :class:`~quotes.errors.SchemaOutOfDateError` (``migrate=False`` opens it
    anyway, for :meth:`QuotesDatabase.upgrade`).
    """
    return QuotesDatabase(
        open_database(None if target is None else str(target), migrate=migrate, create=create)
    )


class QuotesDatabase:
    """A quotes database: record, find and follow statements (see :func:`open`).

    Use it as a context manager, or call :meth:`close`, to release the
    connection pool when done.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self.speakers = Speakers(database)
        self.topics = Topics(database)

    # -- the database itself -------------------------------------------------

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._database.url.render_as_string(hide_password=True)

    @property
    def database(self) -> Database:
        """The engine and sessions underneath (for code inside the library)."""
        return self._database

    def close(self) -> None:
        """Release the connections; the object must not be used afterwards."""
        from quotes.store.engine import close_database

        close_database(self._database)

    def __enter__(self) -> QuotesDatabase:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<QuotesDatabase {self.url}>"

    def init(self, *, seed: bool = False) -> Initialised:
        """Install the default topics (sovereignty, tariffs, security) that are missing;
        with ``seed``, also the bundled seed quotations (idempotent)."""
        from quotes.ingest.seeding import load_seed_quotes
        from quotes.records.topics import install_default_topics

        with self._database.session(write=True) as session:
            created = install_default_topics(session)
            seeded = load_seed_quotes(session) if seed else None
        return Initialised(
            url=self.url,
            topics_created=tuple(created),
            seeds_added=seeded.added if seeded else None,
            seeds_existing=seeded.existing if seeded else None,
        )

    def schema(self) -> SchemaState:
        """The database's schema revision and the newest one."""
        from quotes.store import migrate
        from quotes.store.engine import current_revision

        return SchemaState(current_revision(self._database), migrate.head_revision())

    def upgrade(self, revision: str = "head") -> SchemaState:
        """Migrate the schema forward to ``revision`` (default: the newest)."""
        from quotes.store import migrate

        migrate.upgrade(self._database, revision)
        return self.schema()

    def downgrade(self, revision: str) -> SchemaState:
        """Migrate the schema back to ``revision`` (``base`` removes every table)."""
        from quotes.store import migrate

        migrate.downgrade(self._database, revision)
        return self.schema()

    # -- recording -----------------------------------------------------------

    def add(
        self,
        text: str,
        speaker: str,
        *,
        date: str | None = None,
        source: str | None = None,
        outlet: str | None = None,
        context: str | None = None,
        topics: Sequence[str] = (),
        paraphrase: bool = False,
        new_speaker: bool = False,
    ) -> Added:
        """Record one statement; the same words by the same speaker are one quote.

        Adding a statement again attaches the new source to the existing quote
        (``created`` is False). A speaker name very close to a known one
        ("Mette Fredriksen") is refused unless ``new_speaker`` is set.
        """
        from quotes.records.quotes import add_quote, get_quote, quote_to_dict

        with self._database.session(write=True) as session:
            result = add_quote(
                session,
                text,
                speaker,
                date=date,
                source_url=source,
                outlet=outlet,
                context=context,
                topics=topics,
                new_speaker=new_speaker,
                kind="paraphrase" if paraphrase else "quote",
            )
            quote = QuoteRecord.from_dict(quote_to_dict(get_quote(session, result.quote_id)))
        return Added(quote, result.created, result.source_attached, result.speaker_created)

    def get(self, quote_id: int) -> QuoteRecord:
        """One quote with its sources, topics and stances (NotFoundError if missing)."""
        from quotes.records.quotes import get_quote, quote_to_dict

        with self._database.session() as session:
            return QuoteRecord.from_dict(quote_to_dict(get_quote(session, quote_id)))

    def import_file(
        self,
        source: str | Path | BinaryIO,
        *,
        format: str | None = None,
        header: bool = True,
        mapping: Sequence[str] = (),
        date_format: str | None = None,
        encoding: str = "utf-8",
        rejects: str | Path | None = None,
        dry_run: bool = False,
        strict: bool = False,
        batch_size: int | None = None,
        raw_cells: bool = False,
        bom: bool = False,
        progress: Callable[[ImportProgress], None] | None = None,
        name: str = "-",
    ) -> ImportSummary:
        """Import a CSV, TSV or JSON Lines file (a path, or an open binary stream).

        Rows that fail validation are counted and described in the summary
        (and written to ``rejects`` if given); the good rows are imported,
        committed in batches. ``strict`` writes nothing if any row is
        rejected (BadInputError); ``dry_run`` checks everything and writes
        nothing. ``mapping`` entries are ``FIELD=COLUMN`` (a header name or a
        1-based column number). A stream is called ``name`` in messages and
        is read as CSV unless ``format`` says otherwise. CSV cells that
        ``export`` neutralised (a leading apostrophe) are read back as they
        were unless ``raw_cells``; ``bom`` starts the rejects file with a
        UTF-8 byte-order mark.
        """
        from quotes.ingest.importing.run import BATCH_SIZE, ImportOptions, import_file

        options = ImportOptions(
            format=format,
            header=header,
            mapping=tuple(mapping),
            date_format=date_format,
            encoding=encoding,
            rejects=Path(rejects) if rejects is not None else None,
            dry_run=dry_run,
            strict=strict,
            batch_size=batch_size or BATCH_SIZE,
            raw_cells=raw_cells,
            bom=bom,
        )
        if isinstance(source, str | Path):
            return import_file(self._database, str(source), options, progress)
        return import_file(self._database, source, options, progress, name=name)

    def extract(
        self,
        article: str | bytes | Path,
        *,
        save: bool = False,
        date: str | None = None,
        source: str | None = None,
        outlet: str | None = None,
        new_speaker: bool = False,
        encoding: str = "utf-8",
        name: str = "the article",
    ) -> Extraction:
        """Find the quotations in a news article and attribute each to its speaker.

        ``article`` is the text, its bytes in ``encoding``, or a file holding
        them. Surnames resolve
        against the speakers the database knows. With ``save``, each attributed
        quotation is recorded like :meth:`add` (same date, source and outlet),
        all in one transaction; quotations without a speaker are not saved.
        """
        from quotes.ingest.articles import extract_article, read_article, save_candidates
        from quotes.records.sources import validate_url
        from quotes.store.dates import optional_date

        optional_date(date)
        validate_url(source)
        if isinstance(article, Path):
            name = repr(str(article)) if name == "the article" else name
            article = _read_file(article)
        text = (
            read_article(article, encoding=encoding, name=name)
            if isinstance(article, bytes)
            else article
        )
        with self._database.session(write=save) as session:
            found = extract_article(session, text)
            saved = (
                save_candidates(
                    session,
                    found.candidates,
                    text,
                    date=date,
                    source_url=source,
                    outlet=outlet,
                    new_speaker=new_speaker,
                )
                if save
                else []
            )
        by_start = {item.candidate.start: item for item in saved}
        quotations = []
        for c in found.candidates:
            item = by_start.get(c.start)
            quotations.append(
                ExtractedQuote(
                    text=c.text,
                    speaker=c.speaker,
                    kind=c.kind,
                    start=c.start,
                    end=c.end,
                    cue=c.cue,
                    partial=c.partial,
                    spans=tuple(c.spans),
                    id=item.quote_id if item else None,
                    created=item.created if item else None,
                )
            )
        return Extraction(text, tuple(quotations), tuple(found.unclosed), saved=save)

    # -- finding -------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        speaker: str | None = None,
        topic: str | None = None,
        stance: str | None = None,
        since: str | None = None,
        until: str | None = None,
        mode: str | None = None,
        limit: int = 20,
        min_confidence: float = 0.0,
        min_match: float | None = None,
        progress: EmbedProgress | None = None,
    ) -> list[SearchHit]:
        """The ``limit`` best statements for ``query`` that pass every filter.

        ``mode`` is ``text`` (words and "quoted phrases"), ``semantic``
        (meaning) or ``hybrid`` (both fused); without one, hybrid once any
        vectors exist, else text. Semantic and hybrid embed what is missing
        first (``progress`` follows that). With ``stance``, an automatic stance
        counts only at ``min_confidence`` or above. Semantic and hybrid keep
        only hits at least ``min_match`` similar to the query (default
        :data:`quotes.search.query.DEFAULT_MIN_MATCH`).
        """
        from quotes.search.query import prepare_search, search

        filters = _filters(speaker, topic, stance, since, until, min_confidence)
        if mode != "text":
            mode = prepare_search(self._database, mode, progress)
        with self._database.session() as session:
            return search(
                session, query, filters=filters, mode=mode, limit=limit, min_match=min_match
            )

    def quotes(
        self,
        *,
        speaker: str | None = None,
        topic: str | None = None,
        stance: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Iterator[QuoteRecord]:
        """Every matching quote, by speaker, date and id (read lazily, in chunks).

        The filters are checked before the first quote is returned.
        """
        from quotes.exports.export import iter_quotes

        filters = _filters(speaker, topic, stance, since, until)
        with self._database.session() as session:
            rows = iter_quotes(session, filters)  # checks the filters now
            for row in rows:
                yield QuoteRecord.from_dict(row)

    def export(
        self,
        output: str | Path | IO[str] | IO[bytes],
        *,
        format: str = "csv",
        speaker: str | None = None,
        topic: str | None = None,
        stance: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_confidence: float = 0.0,
        csv_style: CsvStyle | None = None,
    ) -> int:
        """Write every matching quote to ``output``; returns how many were written.

        ``format`` is ``csv``, ``jsonl`` or ``parquet`` (the ``parquet``
        extra). ``output`` is a file path (written under a temporary name and
        renamed at the end, never over the database or its WAL) or an open
        stream: text for csv and jsonl, binary for parquet. CSV cells a
        spreadsheet would evaluate are neutralised unless ``csv_style`` says
        otherwise (see :mod:`quotes.exports.csv_safety`).
        """
        from quotes.exports.csv_safety import SPREADSHEET_SAFE
        from quotes.exports.export import export_quotes

        filters = _filters(speaker, topic, stance, since, until, min_confidence)
        target = Path(output) if isinstance(output, str) else output
        with self._database.session() as session:
            return export_quotes(session, filters, format, target, csv_style or SPREADSHEET_SAFE)

    # -- meaning -------------------------------------------------------------

    def embed(
        self,
        *,
        model: str | None = None,
        batch_size: int = 64,
        progress: EmbedProgress | None = None,
    ) -> EmbedReport:
        """Compute the vectors quotes lack under ``model`` (identical texts once).

        ``model`` is a sentence-transformers name or path (default:
        ``$QUOTES_EMBEDDING_MODEL``, else the bundled all-MiniLM-L6-v2).
        """
        from quotes.meaning.vectors import embed_missing

        return embed_missing(self._database, model=model, batch_size=batch_size, progress=progress)

    def assign_stances(
        self,
        *,
        topic: str | None = None,
        progress: EmbedProgress | None = None,
        model: str | None = None,
    ) -> AssignReport:
        """Link quotes to the topics they are about and score their stance on each.

        Only what changed is written; a person's links and labels are never
        touched, and labels teach the topic's scorer. ``model`` is the
        sentence-transformers name or path that scores (default as for
        :meth:`embed`); its vectors are stored under its own name.
        """
        from quotes.meaning.stance import assign_stances

        return assign_stances(self._database, topic=topic, progress=progress, model=model)

    def label(self, quote_id: int, topic: str, stance: str) -> Labelled:
        """Record a person's stance label (``favor``, ``against`` or ``neutral``).

        It wins over the automatic one, links the quote to the topic by hand
        and teaches the next :meth:`assign_stances`.
        """
        from quotes.meaning.stance import label_stance

        with self._database.session(write=True) as session:
            return label_stance(session, quote_id, topic, stance)

    def cluster(
        self,
        topic: str,
        *,
        speaker: str | None = None,
        k: int | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> list[Group]:
        """Group a topic's assessed quotes by stance, largest group first.

        Automatic stances below ``min_confidence`` are left out (a person's
        label always counts).
        """
        from quotes.meaning.clusters import cluster_topic

        with self._database.session() as session:
            return cluster_topic(
                session, topic, speaker=speaker, k=k, min_confidence=min_confidence
            )

    # -- over time -----------------------------------------------------------

    def timeline(
        self,
        topic: str,
        speakers: Sequence[str] = (),
        *,
        by: str = "month",
        score: str = "mean",
        since: str | None = None,
        until: str | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> Timeline:
        """A stance timeline: one score per speaker and period, with its quotes.

        Without ``speakers``, the five speakers with the most assessed quotes on
        the topic. ``by`` is day, month, quarter or year; ``score`` is ``mean``
        or ``logodds`` (see :mod:`quotes.timelines.aggregate`). Automatic
        stances below ``min_confidence`` are left out (a person's label always
        counts); ``Timeline.below_bar`` says how many.
        """
        from quotes.timelines.query import build_timeline

        with self._database.session() as session:
            return build_timeline(
                session,
                topic,
                speakers,
                by=by,
                score=score,
                since=since,
                until=until,
                min_confidence=min_confidence,
                default_speakers=TIMELINE_DEFAULT_SPEAKERS,
            )

    def shifts(
        self,
        *,
        topic: str | None = None,
        speaker: str | None = None,
        by: str = "month",
        score: str = "mean",
        threshold: float | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> list[Shift]:
        """Points where a speaker's stance on a topic changed, with the quotes
        before and after (every speaker and topic unless named). Only confident
        evidence counts: a person's label, or automatic stances at
        ``min_confidence`` or above, enough of them in both periods."""
        from quotes.timelines.query import find_shifts
        from quotes.timelines.shifts import DEFAULT_THRESHOLD

        with self._database.session() as session:
            return find_shifts(
                session,
                topic=topic,
                speaker=speaker,
                by=by,
                score=score,
                threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
                min_confidence=min_confidence,
            )

    # -- curation ------------------------------------------------------------

    def edit(
        self,
        quote_id: int,
        *,
        text: str | None = None,
        speaker: str | None = None,
        date: str | None = None,
        context: str | None = None,
        kind: str | None = None,
        merge: bool = False,
    ) -> EditResult:
        """Correct a quote (None keeps a field, "" clears date or context); history keeps
        the previous version. Raises DuplicateQuoteError unless ``merge``."""
        from quotes.records.quote_edits import edit_quote

        with self._database.session(write=True) as session:
            return edit_quote(
                session,
                quote_id,
                text=text,
                speaker=speaker,
                date=date,
                context=context,
                kind=kind,
                merge=merge,
            )

    def delete(self, quote_ids: Sequence[int]) -> DeleteResult:
        """Delete quotes (all or none); history keeps each one for :meth:`restore`."""
        from quotes.records.quote_edits import delete_quotes

        with self._database.session(write=True) as session:
            return delete_quotes(session, quote_ids)

    def history(self, quote_id: int) -> list[Version]:
        """A quote's earlier versions, oldest first (also for a deleted quote)."""
        from quotes.records.quote_edits import quote_history

        with self._database.session() as session:
            return quote_history(session, quote_id)

    def restore(self, quote_id: int) -> RestoreResult:
        """Bring a deleted quote back under its id with its sources, links and labels."""
        from quotes.records.quote_edits import restore_quote

        with self._database.session(write=True) as session:
            return restore_quote(session, quote_id)

    def unlabel(self, quote_id: int, topic: str) -> UnlabelResult:
        """Remove a person's stance label (history keeps it)."""
        from quotes.records.links import unlabel_stance

        with self._database.session(write=True) as session:
            return unlabel_stance(session, quote_id, topic)


class Speakers:
    """``db.speakers``: speakers and the names they are known by."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def list(self) -> list[SpeakerRecord]:
        """Every speaker with aliases, roles and how many quotes they have."""
        from quotes.records.speakers import list_speakers

        with self._database.session() as session:
            return list_speakers(session)

    def add(
        self,
        name: str,
        *,
        aliases: Sequence[str] = (),
        role: str | None = None,
        organisation: str | None = None,
        role_from: str | None = None,
        role_to: str | None = None,
        country: str | None = None,
        party: str | None = None,
        wikidata: str | None = None,
    ) -> str:
        """Create a speaker (the name must be new); returns the name as stored."""
        from quotes.records.speakers import add_speaker

        with self._database.session(write=True) as session:
            return add_speaker(
                session,
                name,
                aliases=list(aliases),
                role=role,
                organisation=organisation,
                role_from=role_from,
                role_to=role_to,
                country=country,
                party=party,
                wikidata_id=wikidata,
            ).name

    def alias(self, name: str, alias: str) -> str:
        """Make ``alias`` another name of speaker ``name``; returns the speaker's name."""
        from quotes.records.speakers import add_alias

        with self._database.session(write=True) as session:
            return add_alias(session, name, alias).name

    def merge(self, source: str, into: str) -> Merged:
        """Move every quote, alias and role of ``source`` to ``into`` and delete ``source``.

        A statement both have becomes one quote with both sets of sources.
        """
        from quotes.records.merging import merge_speakers

        with self._database.session(write=True) as session:
            return merge_speakers(session, source, into)

    def edit(
        self,
        name: str,
        *,
        new_name: str | None = None,
        country: str | None = None,
        party: str | None = None,
        wikidata: str | None = None,
    ) -> SpeakerEdit:
        """Correct a speaker (None keeps a field, "" clears it); the old name stays an alias."""
        from quotes.records.speaker_edits import edit_speaker

        with self._database.session(write=True) as session:
            return edit_speaker(
                session, name, new_name=new_name, country=country, party=party, wikidata=wikidata
            )

    def history(self, name: str) -> builtins.list[Version]:
        """A speaker's earlier versions (edits, roles added), oldest first."""
        from quotes.records.speaker_edits import speaker_history

        with self._database.session() as session:
            return speaker_history(session, name)

    def role(
        self,
        name: str,
        role: str,
        *,
        organisation: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> RoleResult:
        """Add a dated role (YYYY-MM-DD, YYYY-MM or YYYY; start not after end)."""
        from quotes.records.speaker_edits import add_role

        with self._database.session(write=True) as session:
            return add_role(session, name, role, organisation=organisation, start=start, end=end)


class Topics:
    """``db.topics``: topics and their favor/against poles."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def list(self) -> list[TopicRecord]:
        """Every topic with its poles and how many quotes are linked to it."""
        from quotes.records.topics import list_topics

        with self._database.session() as session:
            return list_topics(session)

    def add(self, name: str, *, description: str, favor: str, against: str) -> str:
        """Define a topic; stance labels are relative to its ``favor`` pole.

        Returns the name as stored (lower case).
        """
        from quotes.records.topics import add_topic

        with self._database.session(write=True) as session:
            return add_topic(
                session, name, description=description, favor=favor, against=against
            ).name

    def history(self, name: str) -> builtins.list[Version]:
        """A topic's earlier descriptions and poles, oldest first."""
        from quotes.records.topic_edits import topic_history

        with self._database.session() as session:
            return topic_history(session, name)

    def link(self, quote_id: int, topic: str) -> LinkResult:
        """A person's link of a quote to a topic (clears an earlier unlink)."""
        from quotes.records.links import link_topic

        with self._database.session(write=True) as session:
            return link_topic(session, quote_id, topic)

    def unlink(self, quote_id: int, topic: str) -> LinkResult:
        """Say a quote is not about a topic; automatic assignment never relinks it."""
        from quotes.records.links import unlink_topic

        with self._database.session(write=True) as session:
            return unlink_topic(session, quote_id, topic)

    def edit(
        self,
        name: str,
        *,
        description: str | None = None,
        favor: str | None = None,
        against: str | None = None,
    ) -> TopicEdit:
        """Change a topic's texts; its automatic links and stances are removed for reassignment."""
        from quotes.records.topic_edits import edit_topic

        with self._database.session(write=True) as session:
            return edit_topic(session, name, description=description, favor=favor, against=against)


def _read_file(path: Path) -> bytes:
    """A file's bytes; a directory or an unreadable file is bad input naming it."""
    from quotes.errors import BadInputError

    if path.is_dir():
        raise BadInputError(f"cannot read {str(path)!r}: it is a directory.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read {str(path)!r}: {exc.strerror or exc}.") from None


def _filters(
    speaker: str | None,
    topic: str | None,
    stance: str | None,
    since: str | None,
    until: str | None,
    min_confidence: float = 0.0,
) -> QuoteFilters:
    from quotes.search.filters import QuoteFilters

    return QuoteFilters(
        speaker=speaker,
        topic=topic,
        stance=stance,
        since=since,
        until=until,
        min_confidence=min_confidence,
    )
