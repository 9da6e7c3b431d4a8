"""The JSON API's documents, as pydantic models, so the OpenAPI document describes them.

They follow the CLI contract's shapes (a quote object, search hits with
``rank`` and ``match``, timeline rows, extraction candidates) plus the extra
fields the library already returns; ``extra="allow"`` keeps any field a newer
library adds (stance ``confidence``, say) instead of dropping it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    """Every error: the CLI's one-sentence message and the HTTP status."""

    error: str = Field(description="One sentence naming the bad value and what is accepted.")
    status: int


class SourceOut(_Open):
    url: str | None
    outlet: str | None
    title: str | None = None


class StanceOut(_Open):
    topic: str
    label: str = Field(description="favor, against or neutral (toward the topic's favor pole).")
    score: float = Field(description="-1 (against pole) .. +1 (favor pole).")
    method: str = Field(description="manual (a person's label) or auto (an estimate).")
    model: str | None = None
    confidence: float | None = Field(
        default=None, description="Automatic stances: calibrated probability the label is right."
    )


class TopicLinkOut(_Open):
    topic: str
    origin: str
    confidence: float | None = None


class QuoteOut(_Open):
    id: int
    text: str
    speaker: str
    date: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY: the precision given.")
    kind: str = Field(description="quote (verbatim words) or paraphrase (reported speech).")
    context: str | None = None
    sources: list[SourceOut]
    topics: list[str]
    stances: list[StanceOut]
    topic_links: list[TopicLinkOut] = []


class AddedOut(QuoteOut):
    created: bool = Field(description="False when the statement was already recorded.")
    speaker_created: bool


class HitOut(QuoteOut):
    rank: int = Field(description="1-based, counted from the first page.")
    match: float = Field(
        description="text: bm25 / ts_rank (higher is better, comparable within one list); "
        "semantic: cosine similarity in [-1, 1]; hybrid: reciprocal rank fusion scaled to [0, 1]."
    )
    snippet: str | None = Field(description="The matching words wrapped in ** (text and hybrid).")


class SearchOut(BaseModel):
    query: str
    mode: str
    offset: int
    limit: int
    has_more: bool
    results: list[HitOut]


class NewQuoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=20_000)
    speaker: str = Field(max_length=300)
    date: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD, YYYY-MM, YYYY")
    source_url: str | None = Field(default=None, max_length=2048)
    outlet: str | None = Field(default=None, max_length=300)
    context: str | None = Field(default=None, max_length=20_000)
    topics: list[str] = Field(default=[], max_length=50)
    kind: str = Field(default="quote", description="quote or paraphrase")
    new_speaker: bool = Field(
        default=False, description="Create the speaker even if the name is close to a known one."
    )


class LabelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(max_length=100)
    stance: str = Field(max_length=10, description="favor, against or neutral")


class TopicIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(max_length=100)


class SpeakerSummaryOut(_Open):
    name: str
    aliases: list[str]
    country: str | None
    party: str | None
    wikidata_id: str | None
    roles: list[str]
    quotes: int


class RoleOut(BaseModel):
    title: str
    organisation: str | None
    from_: str | None = Field(alias="from")
    to: str | None

    model_config = ConfigDict(populate_by_name=True)


class TimelineRowOut(BaseModel):
    speaker: str
    topic: str
    period: str
    score: float
    n: int
    quote_ids: list[int]


class PositionOut(_Open):
    topic: str
    score: float = Field(description="Weighted mean of the quotes' effective stances, -1..1.")
    n: int = Field(description="Dated quotes with a stance on the topic (the evidence).")
    manual: int = Field(description="How many of them carry a person's label.")
    counts: dict[str, int]
    first: str
    last: str
    quote_ids: list[int]
    timeline: list[TimelineRowOut]


class SpeakerOut(_Open):
    name: str
    aliases: list[str]
    country: str | None
    party: str | None
    wikidata_id: str | None
    roles: list[RoleOut]
    quotes: int
    latest: list[QuoteOut]
    positions: list[PositionOut]


class TopicSummaryOut(_Open):
    name: str
    description: str
    favor: str
    against: str
    quotes: int


class ClusterQuoteOut(_Open):
    id: int
    text: str
    speaker: str
    date: str | None
    score: float
    label: str


class ClusterOut(_Open):
    group: int
    stance: str
    mean_score: float
    size: int
    speakers: dict[str, int]
    terms: list[str]
    quotes: list[ClusterQuoteOut]
    quote_ids: list[int]


class SpeakerPositionOut(PositionOut):
    speaker: str


class TopicOut(_Open):
    name: str
    description: str
    favor: str
    against: str
    assessed: int
    speakers: list[SpeakerPositionOut]
    clusters: list[ClusterOut]


class EvidenceOut(_Open):
    id: int
    text: str
    date: str
    score: float
    label: str
    method: str
    source: str | None


class ShiftOut(_Open):
    speaker: str
    topic: str
    kind: str
    from_period: str
    to_period: str
    from_score: float
    to_score: float
    change: float
    before: EvidenceOut
    after: EvidenceOut


class ExtractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=200_000, description="The article as plain text.")


class CandidateOut(_Open):
    text: str
    speaker: str | None
    kind: str
    start: int = Field(description="Character offset of the quoted text in the article.")
    end: int
    cue: str | None = Field(description='The attribution phrase ("Rutte said").')


class ExtractOut(BaseModel):
    candidates: list[CandidateOut]
    unclosed_lines: list[int] = Field(
        description="Lines with a quotation mark that is never closed (that quotation is skipped)."
    )


class ChosenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0, description="The candidate's start offset, from /extract.")
    speaker: str | None = Field(
        default=None, max_length=300, description="Who said it, if not the extractor's guess."
    )


class SaveExtractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=200_000)
    chosen: list[ChosenIn] = Field(max_length=1000)
    date: str | None = Field(default=None, max_length=10)
    source_url: str | None = Field(default=None, max_length=2048)
    outlet: str | None = Field(default=None, max_length=300)
    new_speaker: bool = False


class SavedOut(CandidateOut):
    id: int
    created: bool


class ImportJobOut(BaseModel):
    id: str
    upload: str = Field(description="The saved file: start the real import from it.")
    file: str
    dry_run: bool
    state: str = Field(description="queued, running, done or failed")
    rows: int
    percent: float | None
    summary: dict[str, Any] | None
    error: str | None
    rejects: bool = Field(description="A rejects CSV is available at .../rejects.csv")


class ImportStartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    upload: str = Field(max_length=64)
    dry_run: bool = False
    format: str | None = Field(default=None, max_length=10)
    header: bool = True
    map: list[str] = Field(default=[], max_length=50)
    date_format: str | None = Field(default=None, max_length=50)
    encoding: str = Field(default="utf-8", max_length=40)
    strict: bool = False


class CountsOut(BaseModel):
    quotes: int
    speakers: int
    topics: int
    read_only: bool
    writes_need_token: bool
    model_ready: bool
