"""Speakers and their names: resolution through aliases, near-duplicate checks, merge.

Every name a speaker is known by, the canonical one included, is a row in
``speaker_aliases`` with a case-folded unique key, so "trump", "Donald Trump"
and "President Trump" resolve in one indexed lookup once aliased. A new name
that is very close to a known one ("Mette Fredriksen") is most likely a typo,
so callers are told instead of a second speaker being created silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session, selectinload

from quotes.errors import BadInputError
from quotes.results import SpeakerRecord
from quotes.store.dates import optional_date
from quotes.store.models import Quote, Role, Speaker, SpeakerAlias
from quotes.store.normalize import clean_text, name_key
from quotes.store.upsert import insert_if_absent

MAX_NAME_LENGTH = 300
#: rapidfuzz ratio (0-100) above which two names are "very close". 88 catches
#: one or two dropped or swapped letters in a full name without pairing
#: different people who share a first name.
SIMILAR_NAME_SCORE = 88


def validate_name(name: str, *, what: str = "speaker name") -> str:
    cleaned = clean_text(name, what=what)
    if not cleaned:
        raise BadInputError(f"the {what} is empty: give a name such as 'Mette Frederiksen'.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise BadInputError(
            f"the {what} {cleaned[:40]!r}... is {len(cleaned)} characters long; "
            f"the limit is {MAX_NAME_LENGTH}."
        )
    return cleaned


def validate_wikidata(wikidata_id: str | None) -> str | None:
    """A Wikidata item id (``Q12345``) or None; anything else is bad input."""
    if wikidata_id is not None and not (wikidata_id[:1] == "Q" and wikidata_id[1:].isdigit()):
        raise BadInputError(f"invalid Wikidata id {wikidata_id!r}: use the form Q12345.")
    return wikidata_id


def find_speaker(session: Session, name: str) -> Speaker | None:
    """The speaker known by ``name`` (any alias, any case), or None."""
    return session.scalar(
        select(Speaker).join(SpeakerAlias).where(SpeakerAlias.alias_key == name_key(name))
    )


def similar_names(session: Session, name: str, limit: int = 3) -> list[str]:
    """Canonical names of speakers whose name or alias is very close to ``name``.

    Very close means a fuzzy ratio of at least SIMILAR_NAME_SCORE, or ``name``
    being exactly the surname of a known speaker ("Rutte" -> "Mark Rutte").
    """
    key = name_key(name)
    rows = session.execute(select(SpeakerAlias.alias_key, Speaker.name).join(Speaker)).all()
    names_by_key: dict[str, str] = dict(rows)
    found: list[str] = []
    for alias_key, score, _ in process.extract(
        key, list(names_by_key), scorer=fuzz.ratio, limit=limit * 3
    ):
        if score >= SIMILAR_NAME_SCORE:
            found.append(names_by_key[alias_key])
    if " " not in key:
        found += [n for k, n in names_by_key.items() if k.split(" ")[-1] == key]
    return list(dict.fromkeys(found))[:limit]


@dataclass(frozen=True)
class SpeakerRef:
    """Just what recording a quote needs to know about its speaker."""

    id: int
    name: str


_CACHE = "quotes.speaker_refs"
_BY_ALIAS = (
    select(Speaker.__table__.c.id, Speaker.__table__.c.name)
    .join(SpeakerAlias.__table__)
    .where(SpeakerAlias.__table__.c.alias_key == bindparam("key"))
)


def _cache(session: Session) -> dict[str, SpeakerRef]:
    cache: dict[str, SpeakerRef] = session.info.setdefault(_CACHE, {})
    return cache


def forget_resolved_speakers(session: Session) -> None:
    """Drop the per-transaction name cache (aliases or speakers changed)."""
    session.info.pop(_CACHE, None)


def resolve_speaker(
    session: Session, name: str, *, allow_similar: bool = False
) -> tuple[SpeakerRef, bool]:
    """Find the speaker called ``name`` or create one; returns (speaker, created).

    Unless ``allow_similar`` is set, a new name very close to a known speaker's
    raises BadInputError with the suggestion, and nothing is created. Names are
    cached for the session (one transaction), since adding many statements by
    the same few speakers is the common case; Core statements keep it cheap.
    """
    cleaned = validate_name(name)
    key = name_key(cleaned)
    cache = _cache(session)
    if key in cache:
        return cache[key], False
    row = session.connection().execute(_BY_ALIAS, {"key": key}).first()
    if row is not None:
        cache[key] = SpeakerRef(row[0], row[1])
        return cache[key], False
    if not allow_similar:
        similar = similar_names(session, cleaned)
        if similar:
            options = " or ".join(repr(s) for s in similar)
            raise BadInputError(
                f"unknown speaker {cleaned!r} is very close to {options}: use that name, "
                "or pass --new-speaker to create a new speaker."
            )
    # Another process may be creating the same speaker right now: insert only
    # if absent, and if it won, use its row (quotes.store.upsert).
    speakers = Speaker.__table__
    speaker_id = session.execute(
        insert_if_absent(session, speakers)  # type: ignore[arg-type]
        .values(name=cleaned, name_key=key)
        .returning(speakers.c.id)
    ).scalar()
    if speaker_id is None:
        connection = session.connection()
        row = (
            connection.execute(_BY_ALIAS, {"key": key}).first()
            or connection.execute(
                select(speakers.c.id, speakers.c.name).where(speakers.c.name_key == key)
            ).one()
        )
        cache[key] = SpeakerRef(row[0], row[1])
        return cache[key], False
    session.execute(
        insert(SpeakerAlias).values(speaker_id=speaker_id, alias=cleaned, alias_key=key)
    )
    cache[key] = SpeakerRef(speaker_id, cleaned)
    return cache[key], True


def _create(session: Session, name: str) -> Speaker:
    speaker = Speaker(name=name, name_key=name_key(name))
    speaker.aliases.append(SpeakerAlias(alias=name, alias_key=name_key(name)))
    session.add(speaker)
    session.flush()
    return speaker


def add_speaker(
    session: Session,
    name: str,
    *,
    aliases: list[str] | None = None,
    role: str | None = None,
    organisation: str | None = None,
    role_from: str | None = None,
    role_to: str | None = None,
    country: str | None = None,
    party: str | None = None,
    wikidata_id: str | None = None,
) -> Speaker:
    """Create a speaker with aliases and an optional role; the name must be new."""
    cleaned = validate_name(name)
    existing = find_speaker(session, cleaned)
    if existing is not None:
        raise BadInputError(f"speaker {cleaned!r} already exists (as {existing.name!r}).")
    start = optional_date(role_from, what="--role-from date")
    end = optional_date(role_to, what="--role-to date")
    validate_wikidata(wikidata_id)
    country, party, organisation = (
        clean_text(value, what=what) if value else None
        for value, what in ((country, "country"), (party, "party"), (organisation, "organisation"))
    )
    speaker = _create(session, cleaned)
    speaker.country, speaker.party, speaker.wikidata_id = country, party, wikidata_id
    for alias in aliases or []:
        add_alias(session, cleaned, alias)
    if role:
        speaker.roles.append(
            Role(
                title=validate_name(role, what="role"),
                organisation=organisation,
                start_date=start.start if start else None,
                end_date=end.end if end else None,
            )
        )
    session.flush()
    return speaker


def require_speaker(session: Session, name: str) -> Speaker:
    """The speaker called ``name``; an unknown name is bad input, with suggestions."""
    speaker = find_speaker(session, validate_name(name))
    if speaker is None:
        similar = similar_names(session, name)
        hint = f" Did you mean {' or '.join(repr(s) for s in similar)}?" if similar else ""
        raise BadInputError(f"unknown speaker {name!r}: see `quotes speakers list`.{hint}")
    return speaker


def add_alias(session: Session, name: str, alias: str) -> Speaker:
    """Make ``alias`` another name of the speaker ``name``."""
    speaker = require_speaker(session, name)
    cleaned = validate_name(alias, what="alias")
    owner = find_speaker(session, cleaned)
    if owner is not None and owner.id != speaker.id:
        raise BadInputError(
            f"alias {cleaned!r} already belongs to {owner.name!r}: "
            f"use `quotes speakers merge` if they are the same person."
        )
    if owner is None:
        session.add(SpeakerAlias(speaker_id=speaker.id, alias=cleaned, alias_key=name_key(cleaned)))
        session.flush()
        forget_resolved_speakers(session)
    return speaker


def list_speakers(session: Session) -> list[SpeakerRecord]:
    """Every speaker with aliases, roles and how many quotes they have."""
    counts = dict(
        session.execute(select(Quote.speaker_id, func.count()).group_by(Quote.speaker_id)).all()
    )
    speakers = session.scalars(
        select(Speaker)
        .options(selectinload(Speaker.aliases), selectinload(Speaker.roles))
        .order_by(Speaker.name)
    ).all()
    return [
        SpeakerRecord(
            name=s.name,
            aliases=tuple(a.alias for a in s.aliases if a.alias_key != s.name_key),
            country=s.country,
            party=s.party,
            wikidata_id=s.wikidata_id,
            roles=tuple(role_text(r) for r in s.roles),
            quotes=counts.get(s.id, 0),
        )
        for s in speakers
    ]


def role_text(role: Role) -> str:
    text = role.title + (f", {role.organisation}" if role.organisation else "")
    if role.start_date or role.end_date:
        start = role.start_date.isoformat() if role.start_date else ""
        end = role.end_date.isoformat() if role.end_date else ""
        text += f" ({start}..{end})"
    return text
