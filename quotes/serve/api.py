"""The JSON API under ``/api/v1/``: the library's operations, the contract's shapes.

Each route parses its parameters, calls one function of
:mod:`quotes.serve.service` and returns its document. Writes pass the gate
first (:mod:`quotes.serve.security`). Errors are ``{"error": sentence,
"status": code}``; the OpenAPI document is at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response

from quotes.errors import BadInputError, NotFoundError
from quotes.search.filters import QuoteFilters
from quotes.serve import service
from quotes.serve.app import ServerState, state_of
from quotes.serve.downloads import search_csv, search_jsonl
from quotes.serve.jobs import ImportRequest
from quotes.serve.schemas import (
    AddedOut,
    CountsOut,
    ErrorOut,
    ExtractIn,
    ExtractOut,
    ImportJobOut,
    ImportStartIn,
    LabelIn,
    NewQuoteIn,
    QuoteOut,
    SavedOut,
    SaveExtractIn,
    SearchOut,
    ShiftOut,
    SpeakerOut,
    SpeakerSummaryOut,
    TimelineRowOut,
    TopicIn,
    TopicOut,
    TopicSummaryOut,
)
from quotes.serve.security import is_json
from quotes.vocabulary import choose

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in {
        400: "Bad input: the sentence names the value and what is accepted.",
        404: "No such quote, speaker, topic or job.",
        409: "A choice is needed (a speaker name close to known ones) or the schema is old.",
        413: "The request body is larger than the upload limit.",
        422: "The request does not have the documented shape.",
        503: "The database or the model is not available.",
    }.items()
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorOut, "description": "This server needs its token for changes."},
    403: {"model": ErrorOut, "description": "Read-only server, or the CSRF check failed."},
}

router = APIRouter(responses=ERRORS)
State = Annotated[ServerState, Depends(state_of)]


def writer(request: Request) -> None:
    """Dependency of every write: token, read-only and CSRF rules."""
    state_of(request).gate.check_write(
        request.headers, request.cookies, json_body=is_json(request.headers)
    )


Write = Depends(writer)

Text = Annotated[str | None, Query(max_length=300)]
Day = Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY")]


@router.get("/", response_model=CountsOut, summary="What this server holds and allows")
def status(state: State) -> dict[str, Any]:
    return {
        **service.counts(state.database),
        "read_only": state.settings.read_only,
        "writes_need_token": state.settings.writes_need_token,
        "model_ready": state.keeper.model_ready.is_set(),
    }


def _filters(
    speaker: Text = None,
    topic: Annotated[str | None, Query(max_length=100)] = None,
    stance: Annotated[
        str | None, Query(max_length=10, description="favor, against or neutral")
    ] = None,
    since: Day = None,
    until: Day = None,
    kind: Annotated[str | None, Query(max_length=10, description="quote or paraphrase")] = None,
) -> QuoteFilters:
    return QuoteFilters(
        speaker=speaker or None,
        topic=topic or None,
        stance=stance or None,
        since=since or None,
        until=until or None,
        kind=kind or None,
    )


Filters = Annotated[QuoteFilters, Depends(_filters)]
Query_ = Annotated[str, Query(max_length=1000, description='Words and "quoted phrases".')]
Mode = Annotated[
    str | None,
    Query(max_length=10, description="text, semantic or hybrid (default: hybrid with vectors)"),
]


@router.get("/search", response_model=SearchOut, summary="Search statements")
def search(
    state: State,
    filters: Filters,
    q: Query_ = "",
    mode: Mode = None,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE)] = service.PAGE_SIZE,
) -> dict[str, Any]:
    page = service.search(state.database, q, filters=filters, mode=mode, offset=offset, limit=limit)
    return {
        "query": page.query,
        "mode": page.mode,
        "offset": page.offset,
        "limit": page.limit,
        "has_more": page.has_more,
        "results": page.hits,
    }


DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


@router.get(
    "/search/export",
    summary="Search results as a CSV or JSON Lines file",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def search_export(
    state: State,
    filters: Filters,
    q: Query_ = "",
    mode: Mode = None,
    format: Annotated[str, Query(max_length=10, description="csv or jsonl")] = "csv",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> Response:
    fmt = choose(format, tuple(DOWNLOAD_TYPES), "download format")
    page = service.search(state.database, q, filters=filters, mode=mode, limit=limit, most=10_000)
    body = search_csv(page.hits) if fmt == "csv" else search_jsonl(page.hits)
    return Response(
        body,
        media_type=DOWNLOAD_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="quotes-search.{fmt}"'},
    )


#: Quote ids are 32-bit integers on PostgreSQL; a larger number cannot be one.
QuoteId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The quote's id.")]


@router.get("/quotes/{quote_id}", response_model=QuoteOut, summary="One quote")
def get_quote(state: State, quote_id: QuoteId) -> dict[str, Any]:
    return service.quote(state.database, quote_id)


@router.post(
    "/quotes",
    response_model=AddedOut,
    status_code=201,
    responses=WRITE_ERRORS,
    dependencies=[Write],
    summary="Record one statement (like `quotes add`)",
)
def add_quote(state: State, body: NewQuoteIn) -> dict[str, Any]:
    added = service.add(
        state.database,
        service.NewStatement(
            text=body.text,
            speaker=body.speaker,
            date=body.date or None,
            source_url=body.source_url or None,
            outlet=body.outlet or None,
            context=body.context or None,
            topics=body.topics,
            kind=body.kind,
            new_speaker=body.new_speaker,
        ),
    )
    state.keeper.changed()
    return {**added.quote, "created": added.created, "speaker_created": added.speaker_created}


@router.post(
    "/quotes/{quote_id}/stances",
    response_model=QuoteOut,
    responses=WRITE_ERRORS,
    dependencies=[Write],
    summary="A person's stance label (it wins over the automatic one)",
)
def label_stance(state: State, quote_id: QuoteId, body: LabelIn) -> dict[str, Any]:
    return service.label(state.database, quote_id, body.topic, body.stance)


@router.post(
    "/quotes/{quote_id}/topics",
    response_model=QuoteOut,
    responses=WRITE_ERRORS,
    dependencies=[Write],
    summary="Link the quote to a topic by hand",
)
def link_topic(state: State, quote_id: QuoteId, body: TopicIn) -> dict[str, Any]:
    return service.link(state.database, quote_id, body.topic)


@router.get("/speakers", response_model=list[SpeakerSummaryOut], summary="Every speaker")
def list_speakers(state: State) -> list[dict[str, Any]]:
    return service.speakers(state.database)


Granularity = Annotated[str, Query(max_length=10, description="day, month, quarter or year")]


@router.get(
    "/speakers/{name:path}",
    response_model=SpeakerOut,
    summary="A speaker: names, roles, latest quotes, per-topic positions",
)
def get_speaker(state: State, name: str, by: Granularity = "month") -> dict[str, Any]:
    document = service.speaker(state.database, name, by=by)
    document["positions"] = [p.to_dict() for p in document["positions"]]
    return document


@router.get("/topics", response_model=list[TopicSummaryOut], summary="Every topic")
def list_topics(state: State) -> list[dict[str, Any]]:
    return service.topics(state.database)


@router.get(
    "/topics/{name}",
    response_model=TopicOut,
    summary="A topic: poles, speakers' positions side by side, stance groups",
)
def get_topic(state: State, name: str, by: Granularity = "month") -> dict[str, Any]:
    document = service.topic(state.database, name, by=by)
    document.pop("timeline")
    return document


@router.get("/timeline", response_model=list[TimelineRowOut], summary="A stance timeline")
def timeline(
    state: State,
    topic: Annotated[str, Query(max_length=100)],
    speaker: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006 (FastAPI copies it)
    by: Granularity = "month",
    score: Annotated[str, Query(max_length=10, description="mean or logodds")] = "mean",
    since: Day = None,
    until: Day = None,
) -> list[dict[str, object]]:
    found = service.timeline(
        state.database, topic, speaker, by=by, score=score, since=since, until=until
    )
    return found.rows()


@router.get("/shifts", response_model=list[ShiftOut], summary="Where stances changed")
def shifts(
    state: State,
    topic: Annotated[str | None, Query(max_length=100)] = None,
    speaker: Text = None,
    by: Granularity = "month",
    score: Annotated[str, Query(max_length=10, description="mean or logodds")] = "mean",
) -> list[dict[str, Any]]:
    return service.shifts(state.database, topic=topic, speaker=speaker, by=by, score=score)


@router.post("/extract", response_model=ExtractOut, summary="Quotations in an article")
def extract(state: State, body: ExtractIn) -> dict[str, Any]:
    return service.extract(state.database, body.text)


@router.post(
    "/extract/save",
    response_model=list[SavedOut],
    status_code=201,
    responses=WRITE_ERRORS,
    dependencies=[Write],
    summary="Record the chosen quotations of an article",
)
def save_extract(state: State, body: SaveExtractIn) -> list[dict[str, Any]]:
    saved = service.save_extracted(
        state.database,
        body.text,
        [service.Chosen(c.start, c.speaker) for c in body.chosen],
        date=body.date or None,
        source_url=body.source_url or None,
        outlet=body.outlet or None,
        new_speaker=body.new_speaker,
    )
    state.keeper.changed()
    return saved


@router.post(
    "/imports",
    response_model=ImportJobOut,
    status_code=202,
    responses=WRITE_ERRORS,
    dependencies=[Write],
    summary="Upload a CSV/TSV/JSONL file and start a dry run (or the import)",
)
async def upload_import(
    request: Request,
    file: Annotated[UploadFile, File(description="CSV, TSV or JSON Lines")],
    dry_run: Annotated[bool, Form()] = True,
    format: Annotated[str | None, Form(max_length=10)] = None,
    header: Annotated[bool, Form()] = True,
    map: Annotated[str | None, Form(max_length=1000, description="FIELD=COLUMN,...")] = None,
    date_format: Annotated[str | None, Form(max_length=50)] = None,
    encoding: Annotated[str, Form(max_length=40)] = "utf-8",
    strict: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    state = state_of(request)
    options = ImportRequest(
        format=format or None,
        header=header,
        mapping=tuple(m for m in (map or "").split(",") if m.strip()),
        date_format=date_format or None,
        encoding=encoding or "utf-8",
        strict=strict,
    )
    data = await file.read()
    upload = await run_in_threadpool(
        state.jobs.save_upload, file.filename or "upload", data, options
    )
    return state.jobs.start(upload, options, dry_run=dry_run).to_dict()


@router.post(
    "/imports/start",
    response_model=ImportJobOut,
    status_code=202,
    responses=WRITE_ERRORS,
    dependencies=[Write],
    summary="Run an uploaded file again (the real import after a dry run)",
)
def start_import(state: State, body: ImportStartIn) -> dict[str, Any]:
    options = ImportRequest(
        format=body.format or None,
        header=body.header,
        mapping=tuple(body.map),
        date_format=body.date_format or None,
        encoding=body.encoding or "utf-8",
        strict=body.strict,
    )
    return state.jobs.start(body.upload, options, dry_run=body.dry_run).to_dict()


@router.get("/imports/{job_id}", response_model=ImportJobOut, summary="An import's progress")
def import_job(state: State, job_id: str) -> dict[str, Any]:
    return state.jobs.get(job_id).to_dict()


@router.get(
    "/imports/{job_id}/rejects.csv",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}}},
    summary="The rejected rows of an import (line, reason, record)",
)
def import_rejects(state: State, job_id: str) -> FileResponse:
    job = state.jobs.get(job_id)
    if job.rejects_path is None or not job.has_rejects:
        if job.state in ("queued", "running"):
            raise BadInputError(f"import {job_id!r} is still running: ask again when it is done.")
        raise NotFoundError(f"import {job_id!r} rejected no rows: there is no rejects file.")
    return FileResponse(
        job.rejects_path,
        media_type="text/csv",
        filename=f"rejects-{job.filename.rsplit('.', 1)[0]}.csv",
    )
