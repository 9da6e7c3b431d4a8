"""Full-text search on either back end, from plain words and "quoted phrases".

Users type words and phrases; nothing they type is an operator. Every term is
re-quoted before it reaches FTS5 or PostgreSQL, so stray quotes, ``*``,
parentheses, AND/OR/NOT or SQL fragments are searched as text and can never be
a syntax error. SQLite ranks with bm25 over an FTS5 index (porter stemming);
PostgreSQL with ts_rank_cd over a generated tsvector (English stemming).

The ranking query reads only the full-text index (the quotes table too when
filters apply) and returns ids and scores; snippets are made in a second
query for the ``limit`` rows shown, since in one query the engine would make a
snippet for every matching row before sorting (a common word at 1M quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from quotes.store.models import Quote

_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+", re.UNICODE)
HIGHLIGHT = "**"
_FTS = table("quotes_fts", column("rowid"))


def parse_query(query: str) -> list[list[str]]:
    """Split a query into terms: each a phrase (list of words) or a single word.

    Balanced double quotes make phrases; unbalanced quotes and every other
    character that is not part of a word are dropped.
    """
    normalised = query.replace("\u201c", '"').replace("\u201d", '"')
    terms: list[list[str]] = []
    position = 0
    for match in _PHRASE.finditer(normalised):
        terms += [[w] for w in _WORD.findall(normalised[position : match.start()])]
        words = _WORD.findall(match.group(1))
        if words:
            terms.append(words)
        position = match.end()
    terms += [[w] for w in _WORD.findall(normalised[position:])]
    return terms


@dataclass
class TextHit:
    quote_id: int
    match: float
    snippet: str


def text_search(
    session: Session, query: str, clauses: list[ColumnElement[bool]], limit: int
) -> list[TextHit]:
    """Best matches first; ``match`` is higher for better matches."""
    terms = parse_query(query)
    if not terms:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite_search(session, terms, clauses, limit)
    return _postgres_search(session, terms, clauses, limit)


def _sqlite_search(
    session: Session, terms: list[list[str]], clauses: list[ColumnElement[bool]], limit: int
) -> list[TextHit]:
    match_expression = " ".join('"' + " ".join(words) + '"' for words in terms)
    matches = text("quotes_fts MATCH :fts_query").bindparams(fts_query=match_expression)
    rank: ColumnElement[float] = literal_column("bm25(quotes_fts)")
    rowid = _FTS.c.rowid
    statement = select(rowid, rank).select_from(_FTS).where(matches)
    if clauses:  # without filters the quotes table is not read at all
        statement = statement.join(Quote, Quote.id == rowid).where(*clauses)
    ranked = session.execute(statement.order_by(rank, rowid).limit(limit)).all()
    if not ranked:
        return []
    # Snippets for the rows shown only: in the ranking query SQLite would
    # compute one for every matching row before sorting.
    snippet: ColumnElement[str] = literal_column(
        f"snippet(quotes_fts, 0, '{HIGHLIGHT}', '{HIGHLIGHT}', '…', 24)"
    )
    ids = [int(row[0]) for row in ranked]
    shown = select(rowid, snippet).select_from(_FTS).where(matches, rowid.in_(ids))
    snippets = {int(row[0]): str(row[1]) for row in session.execute(shown)}
    return [TextHit(int(row[0]), -float(row[1]), snippets.get(int(row[0]), "")) for row in ranked]


def _postgres_search(
    session: Session, terms: list[list[str]], clauses: list[ColumnElement[bool]], limit: int
) -> list[TextHit]:
    tsquery: ColumnElement[Any] = func.phraseto_tsquery("english", " ".join(terms[0]))
    for words in terms[1:]:
        tsquery = tsquery.op("&&")(func.phraseto_tsquery("english", " ".join(words)))
    vector: ColumnElement[Any] = literal_column("quotes.search_vector")
    rank = func.ts_rank_cd(vector, tsquery)
    statement = (
        select(Quote.id, rank)
        .where(vector.op("@@")(tsquery))
        .where(*clauses)
        .order_by(rank.desc(), Quote.id)
        .limit(limit)
    )
    ranked = session.execute(statement).all()
    if not ranked:
        return []
    # ts_headline re-parses the text: run it for the rows shown only.
    options = f"StartSel={HIGHLIGHT}, StopSel={HIGHLIGHT}, MaxWords=40, MinWords=20"
    snippet = func.ts_headline("english", Quote.text, tsquery, options)
    ids = [int(row[0]) for row in ranked]
    shown = select(Quote.id, snippet).where(Quote.id.in_(ids))
    snippets = {int(row[0]): str(row[1]) for row in session.execute(shown)}
    return [TextHit(int(row[0]), float(row[1]), snippets.get(int(row[0]), "")) for row in ranked]
