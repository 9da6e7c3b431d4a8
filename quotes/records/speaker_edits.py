"""Correcting a speaker and adding the roles they held, with earlier versions kept.

A renamed speaker keeps the old name as an alias, so quotes, searches and
imports that use it still find the person. A new name or Wikidata id that
belongs to another speaker is refused with a pointer to ``speakers merge``:
two records for one person are merged, never silently renamed into each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records import history
from quotes.records.speakers import (
    find_speaker,
    forget_resolved_speakers,
    require_speaker,
    role_text,
    validate_name,
    validate_wikidata,
)
from quotes.store.dates import optional_date
from quotes.store.models import Role, Speaker, SpeakerAlias
from quotes.store.normalize import clean_text, name_key


@dataclass
class SpeakerEdit:
    """What ``edit_speaker`` changed."""

    name: str
    previous_name: str
    changed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _optional(value: str | None) -> str | None:
    """None leaves a field alone; an empty string clears it."""
    return None if value is None else clean_text(value)


def edit_speaker(
    session: Session,
    name: str,
    *,
    new_name: str | None = None,
    country: str | None = None,
    party: str | None = None,
    wikidata: str | None = None,
) -> SpeakerEdit:
    """Correct the speaker known as ``name``; None leaves a field, "" clears it."""
    if all(value is None for value in (new_name, country, party, wikidata)):
        raise BadInputError("nothing to edit: give --name, --country, --party or --wikidata.")
    speaker = require_speaker(session, name)
    values: dict[str, Any] = {}
    if new_name is not None:
        cleaned = validate_name(new_name)
        owner = find_speaker(session, cleaned)
        if owner is not None and owner.id != speaker.id:
            raise BadInputError(
                f"the name {cleaned!r} belongs to speaker {owner.name!r}: if they are the same "
                f"person, use `quotes speakers merge {speaker.name!r} {owner.name!r}`."
            )
        if cleaned != speaker.name:
            values["name"] = cleaned
    for key, value in (("country", country), ("party", party)):
        if value is not None and (_optional(value) or None) != getattr(speaker, key):
            values[key] = _optional(value) or None
    if wikidata is not None:
        item = validate_wikidata(wikidata.strip() or None)
        if item is not None:
            holder = session.scalar(select(Speaker).where(Speaker.wikidata_id == item))
            if holder is not None and holder.id != speaker.id:
                raise BadInputError(
                    f"Wikidata id {item} belongs to speaker {holder.name!r}: if they are the "
                    f"same person, use `quotes speakers merge {speaker.name!r} {holder.name!r}`."
                )
        if item != speaker.wikidata_id:
            values["wikidata_id"] = item
    result = SpeakerEdit(speaker.name, speaker.name)
    if not values:
        return result
    history.append(session, "speaker", speaker.id, "edit", history.speaker_snapshot(speaker))
    if "name" in values:
        _rename(session, speaker, values.pop("name"))
        result.changed.append("name")
    for key, value in values.items():
        setattr(speaker, key, value)
        result.changed.append("wikidata" if key == "wikidata_id" else key)
    session.flush()
    forget_resolved_speakers(session)
    result.name = speaker.name
    return result


def _rename(session: Session, speaker: Speaker, new_name: str) -> None:
    """The new canonical name; the old one stays an alias (every name is an alias row)."""
    key = name_key(new_name)
    alias = session.scalar(select(SpeakerAlias).where(SpeakerAlias.alias_key == key))
    if alias is None:
        session.add(SpeakerAlias(speaker_id=speaker.id, alias=new_name, alias_key=key))
    else:  # the same name in another case or spacing, or an alias promoted
        alias.alias = new_name
    speaker.name, speaker.name_key = new_name, key
    session.flush()


@dataclass
class RoleResult:
    speaker: str
    role: str
    added: bool

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def add_role(
    session: Session,
    name: str,
    title: str,
    *,
    organisation: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> RoleResult:
    """Record an office the speaker held; an identical role is not added twice.

    Dates take the usual forms (YYYY-MM-DD, YYYY-MM, YYYY): a start is the
    first day of its period, an end the last, and the start may not be after
    the end.
    """
    speaker = require_speaker(session, name)
    cleaned = validate_name(title, what="role")
    where = clean_text(organisation) if organisation and organisation.strip() else None
    begins = optional_date(start, what="--from date")
    ends = optional_date(end, what="--to date")
    if begins is not None and ends is not None and begins.start > ends.end:
        raise BadInputError(
            f"the role starts ({begins}) after it ends ({ends}): --from must not be after --to."
        )
    role = Role(
        title=cleaned,
        organisation=where,
        start_date=begins.start if begins else None,
        end_date=ends.end if ends else None,
    )
    same = [
        r
        for r in speaker.roles
        if (r.title, r.organisation, r.start_date, r.end_date)
        == (role.title, role.organisation, role.start_date, role.end_date)
    ]
    if same:
        return RoleResult(speaker.name, role_text(same[0]), added=False)
    history.append(session, "speaker", speaker.id, "role", history.speaker_snapshot(speaker))
    speaker.roles.append(role)
    session.flush()
    return RoleResult(speaker.name, role_text(role), added=True)


def speaker_history(session: Session, name: str) -> list[history.Version]:
    """The speaker's earlier versions (edits, roles added, speakers merged into it).

    A merged-away speaker's own history is under its old id; its names now
    resolve to the speaker it was merged into, whose history this is.
    """
    speaker = require_speaker(session, name)
    return history.versions(session, "speaker", speaker.id, history.speaker_snapshot(speaker))
