"""The HTML pages: rendered on the server with Jinja2 (autoescaped), forms that post back.

Every page works without JavaScript; ``static/app.js`` only adds the chart's
hover panel, delete confirmation and "tick all". Forms carry the CSRF token
and every write goes through the same gate as the JSON API. After a write
the browser is redirected (303) to the result, with a fixed message code in
the URL, never text a user typed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from quotes.errors import BadInputError, QuotesError
from quotes.search.filters import QuoteFilters
from quotes.search.fulltext import HIGHLIGHT
from quotes.serve import service
from quotes.serve.app import ServerState, state_of, status_for
from quotes.serve.jobs import ImportRequest
from quotes.serve.security import CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE
from quotes.serve.service import SpeakerChoiceNeeded
from quotes.vocabulary import QuoteKind, StanceLabel, values

router = APIRouter(include_in_schema=False)

#: The search page's names for the modes, and the library's.
MODES = {"words": "text", "meaning": "semantic", "both": "hybrid"}
MODE_NAMES = {library: page for page, library in MODES.items()}

#: What a redirect after a write may say (by code, so no user text is reflected).
DONE = {
    "added": "Statement recorded.",
    "existing": "Already recorded: this is the existing quote (any new source was attached).",
    "labelled": "Stance label saved. It wins over the automatic estimate.",
    "linked": "Topic linked. No automatic run removes a person's link.",
    "saved": "Quotations saved.",
    "login": "Logged in: you can make changes.",
    "logout": "Logged out.",
}

_HIGHLIGHTED = re.compile(re.escape(HIGHLIGHT) + r"(.+?)" + re.escape(HIGHLIGHT), re.S)


def highlight(snippet: str) -> Markup:
    """A snippet with its ``**match**`` markers as ``<mark>``, everything else escaped."""
    parts = _HIGHLIGHTED.split(snippet)
    return Markup("").join(
        escape(part) if index % 2 == 0 else Markup("<mark>%s</mark>") % part
        for index, part in enumerate(parts)
    )


def _score(value: float) -> str:
    return f"{value:+.2f}"


def _lean(value: float) -> str:
    """Width of a diverging bar half (0-50 %) for a score in [-1, 1], as a CSS class."""
    return f"w{min(10, round(abs(value) * 10))}"


ENV = Environment(
    loader=PackageLoader("quotes.serve", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["highlight"] = highlight
ENV.filters["score"] = _score
ENV.filters["lean"] = _lean
ENV.globals.update(mode_names=MODE_NAMES, kinds=values(QuoteKind), labels=values(StanceLabel))


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the CSRF cookie set when the browser has none yet."""
    state = state_of(request)
    gate = state.gate
    csrf = request.cookies.get(CSRF_COOKIE)
    fresh = not gate.csrf_valid(csrf, csrf)
    if fresh or csrf is None:
        csrf = gate.new_csrf()
    may_write = gate.may_write(request.headers, request.cookies)
    done = DONE.get(request.query_params.get("done", ""))
    html = ENV.get_template(template).render(
        request=request,
        csrf=csrf,
        csrf_field=CSRF_FIELD,
        may_write=may_write,
        read_only=state.settings.read_only,
        login_needed=not may_write and not state.settings.read_only,
        logged_in=gate.logged_in(request.cookies),
        done=done,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if fresh:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {400: "Bad input", 401: "Log in needed", 403: "Not allowed", 404: "Not found"}
    return render(request, "error.html", status, title=titles.get(status, "Error"), message=message)


def _redirect(path: str, done: str | None = None, **params: Any) -> RedirectResponse:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if done:
        query["done"] = done
    return RedirectResponse(path + ("?" + urlencode(query) if query else ""), status_code=303)


async def _form_for_write(request: Request) -> FormData:
    """The posted form, after the gate said this client may write (CSRF included)."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    state_of(request).gate.check_write(
        request.headers, request.cookies, form_csrf=token if isinstance(token, str) else ""
    )
    return form


def _text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value if isinstance(value, str) else default


# --- search -----------------------------------------------------------------------


FILTER_NAMES = ("speaker", "topic", "stance", "since", "until", "kind")


def _search_filters(params: Any) -> QuoteFilters:
    return QuoteFilters(
        speaker=params.get("speaker") or None,
        topic=params.get("topic") or None,
        stance=params.get("stance") or None,
        since=params.get("since") or None,
        until=params.get("until") or None,
        kind=params.get("kind") or None,
    )


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    state = state_of(request)
    params = request.query_params
    query = params.get("q", "")
    mode_given = params.get("mode", "")
    mode = MODES.get(mode_given, mode_given) or None
    try:
        page_number = max(1, int(params.get("page", "1") or "1"))
    except ValueError:
        page_number = 1
    filters = _search_filters(params)
    form = {k: params.get(k, "") for k in ("q", "speaker", "topic", "stance", "since", "until")}
    form["kind"] = params.get("kind", "")
    context: dict[str, Any] = {
        "form": form,
        "topics": service.topic_names(state.database),
        "counts": service.counts(state.database),
        "error": None,
        "results": None,
    }
    status = 200
    try:
        chosen = service.resolve_mode(state.database, mode)
        context["mode"] = MODE_NAMES[chosen]
        if query.strip():
            found = service.search(
                state.database,
                query,
                filters=filters,
                mode=chosen,
                offset=(page_number - 1) * service.PAGE_SIZE,
                limit=service.PAGE_SIZE,
            )
            context["results"] = found
            shared = {k: v for k, v in {**form, "mode": MODE_NAMES[chosen]}.items() if v}
            context["page"] = page_number
            context["prev_url"] = (
                "/?" + urlencode({**shared, "page": page_number - 1}) if page_number > 1 else None
            )
            context["next_url"] = (
                "/?" + urlencode({**shared, "page": page_number + 1}) if found.has_more else None
            )
            download = {k: v for k, v in {**form, "mode": chosen}.items() if v}
            context["csv_url"] = "/api/v1/search/export?" + urlencode({**download, "format": "csv"})
            context["jsonl_url"] = "/api/v1/search/export?" + urlencode(
                {**download, "format": "jsonl"}
            )
        elif any(getattr(filters, name) for name in FILTER_NAMES):
            found = service.browse(
                state.database,
                filters=filters,
                offset=(page_number - 1) * service.PAGE_SIZE,
                limit=service.PAGE_SIZE,
            )
            context["results"] = found
            context["browsing"] = True
            shared = {k: v for k, v in form.items() if v}
            context["page"] = page_number
            context["prev_url"] = (
                "/?" + urlencode({**shared, "page": page_number - 1}) if page_number > 1 else None
            )
            context["next_url"] = (
                "/?" + urlencode({**shared, "page": page_number + 1}) if found.has_more else None
            )
        else:
            context["recent"] = service.recent(state.database)
    except QuotesError as exc:
        context.setdefault("mode", mode_given or "both")
        context["error"] = str(exc)
        status = status_for(exc)
    return render(request, "search.html", status, **context)


# --- quotes -------------------------------------------------------------------------


QuoteId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/quotes/{quote_id}", response_class=HTMLResponse)
def quote_page(request: Request, quote_id: QuoteId) -> HTMLResponse:
    state = state_of(request)
    document = service.quote(state.database, quote_id)
    return render(
        request,
        "quote.html",
        quote=document,
        topics=service.topic_names(state.database),
        error=None,
    )


@router.post("/quotes/{quote_id}/label")
async def label_form(request: Request, quote_id: QuoteId) -> Response:
    state = state_of(request)
    form = await _form_for_write(request)
    try:
        await run_in_threadpool(
            service.label, state.database, quote_id, _text(form, "topic"), _text(form, "stance")
        )
    except BadInputError as exc:
        document = await run_in_threadpool(service.quote, state.database, quote_id)
        topics = await run_in_threadpool(service.topic_names, state.database)
        return render(request, "quote.html", 400, quote=document, topics=topics, error=str(exc))
    return _redirect(f"/quotes/{quote_id}", "labelled")


@router.post("/quotes/{quote_id}/link")
async def link_form(request: Request, quote_id: QuoteId) -> Response:
    state = state_of(request)
    form = await _form_for_write(request)
    try:
        await run_in_threadpool(service.link, state.database, quote_id, _text(form, "topic"))
    except BadInputError as exc:
        document = await run_in_threadpool(service.quote, state.database, quote_id)
        topics = await run_in_threadpool(service.topic_names, state.database)
        return render(request, "quote.html", 400, quote=document, topics=topics, error=str(exc))
    return _redirect(f"/quotes/{quote_id}", "linked")


# --- speakers and topics ----------------------------------------------------------------


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request) -> HTMLResponse:
    return render(request, "speakers.html", speakers=service.speakers(state_of(request).database))


def _chart(timeline: Any, element_id: str) -> Markup:
    """The library's self-contained SVG chart (its text is escaped where it is drawn)."""
    from quotes.timelines.charts.html import render_legend, render_svg
    from quotes.timelines.shifts import detect_shifts

    svg = render_svg(timeline, detect_shifts(timeline.points), element_id=element_id)
    return Markup(render_legend(timeline) + svg)  # noqa: S704 (built with html.escape)


@router.get("/speakers/{name:path}", response_class=HTMLResponse)
def speaker_page(request: Request, name: str) -> HTMLResponse:
    by = request.query_params.get("by", "month")
    document = service.speaker(state_of(request).database, name, by=by)
    charts = {
        p.topic: _chart(p.timeline, f"chart-{index}")
        for index, p in enumerate(document["positions"], start=1)
    }
    return render(request, "speaker.html", speaker=document, charts=charts, by=by)


@router.get("/topics", response_class=HTMLResponse)
def topics_page(request: Request) -> HTMLResponse:
    return render(request, "topics.html", topics=service.topics(state_of(request).database))


@router.get("/topics/{name}", response_class=HTMLResponse)
def topic_page(request: Request, name: str) -> HTMLResponse:
    by = request.query_params.get("by", "month")
    document = service.topic(state_of(request).database, name, by=by)
    chart = _chart(document["timeline"], "chart-topic") if document["timeline"].points else None
    return render(request, "topic.html", topic=document, chart=chart, by=by)


# --- add ------------------------------------------------------------------------------------

ADD_FIELDS = ("text", "speaker", "date", "source_url", "outlet", "context", "kind")


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> HTMLResponse:
    state = state_of(request)
    return render(
        request,
        "add.html",
        form={"kind": "quote"},
        chosen_topics=[],
        topics=service.topic_names(state.database),
        similar=[],
        error=None,
    )


@router.post("/add")
async def add_form(request: Request) -> Response:
    state = state_of(request)
    form = await _form_for_write(request)
    values = {name: _text(form, name).strip() for name in ADD_FIELDS}
    chosen_topics = [t for t in form.getlist("topic") if isinstance(t, str) and t]
    choice = _text(form, "speaker_choice")
    new_speaker = choice == "__new__"
    speaker = choice if choice and not new_speaker else values["speaker"]
    statement = service.NewStatement(
        text=values["text"],
        speaker=speaker,
        date=values["date"] or None,
        source_url=values["source_url"] or None,
        outlet=values["outlet"] or None,
        context=values["context"] or None,
        topics=chosen_topics,
        kind=values["kind"] or "quote",
        new_speaker=new_speaker,
    )
    try:
        added = await run_in_threadpool(service.add, state.database, statement)
    except BadInputError as exc:
        topics = await run_in_threadpool(service.topic_names, state.database)
        similar = exc.similar if isinstance(exc, SpeakerChoiceNeeded) else []
        return render(
            request,
            "add.html",
            status_for(exc),
            form=values,
            chosen_topics=chosen_topics,
            topics=topics,
            similar=similar,
            error=str(exc),
        )
    state.keeper.changed()
    return _redirect(f"/quotes/{added.quote['id']}", "added" if added.created else "existing")


# --- extract ------------------------------------------------------------------------------


@router.get("/extract", response_class=HTMLResponse)
def extract_page(request: Request) -> HTMLResponse:
    return render(request, "extract.html", form={}, candidates=None, error=None, similar=[])


def _article_form(form: FormData) -> dict[str, str]:
    return {
        "article": _text(form, "article"),
        "date": _text(form, "date").strip(),
        "source_url": _text(form, "source_url").strip(),
        "outlet": _text(form, "outlet").strip(),
    }


@router.post("/extract", response_class=HTMLResponse)
async def extract_form(request: Request) -> HTMLResponse:
    """Find the candidates (reads only, so no token is needed for this step)."""
    state = state_of(request)
    values = _article_form(await request.form())
    try:
        found = await run_in_threadpool(service.extract, state.database, values["article"])
    except BadInputError as exc:
        return render(
            request, "extract.html", 400, form=values, candidates=None, error=str(exc), similar=[]
        )
    return render(
        request,
        "extract.html",
        form=values,
        candidates=found["candidates"],
        unclosed=found["unclosed_lines"],
        error=None,
        similar=[],
    )


@router.post("/extract/save")
async def extract_save(request: Request) -> Response:
    state = state_of(request)
    form = await _form_for_write(request)
    values = _article_form(form)
    chosen = []
    for raw in form.getlist("pick"):
        if isinstance(raw, str) and raw.isdigit():
            chosen.append(service.Chosen(int(raw), _text(form, f"speaker-{raw}") or None))
    try:
        if not chosen:
            raise BadInputError("no quotation was ticked: tick the ones to save.")
        saved = await run_in_threadpool(
            lambda: service.save_extracted(
                state.database,
                values["article"],
                chosen,
                date=values["date"] or None,
                source_url=values["source_url"] or None,
                outlet=values["outlet"] or None,
                new_speaker=bool(form.get("new_speaker")),
            )
        )
    except BadInputError as exc:
        found = await run_in_threadpool(service.extract, state.database, values["article"])
        return render(
            request,
            "extract.html",
            status_for(exc),
            form=values,
            candidates=found["candidates"],
            unclosed=found["unclosed_lines"],
            picked={c.start: c.speaker for c in chosen},
            error=str(exc),
            similar=exc.similar if isinstance(exc, SpeakerChoiceNeeded) else [],
        )
    state.keeper.changed()
    ids = [item["id"] for item in saved]
    quotes = await run_in_threadpool(service.quotes_by_ids, state.database, ids)
    created = {item["id"] for item in saved if item["created"]}
    return render(request, "saved.html", quotes=quotes, created=created)


# --- import ---------------------------------------------------------------------------------


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request) -> HTMLResponse:
    return render(request, "import.html", form={"encoding": "utf-8"}, error=None)


def _import_request(form: FormData) -> ImportRequest:
    mapping = tuple(m.strip() for m in _text(form, "map").split(",") if m.strip())
    return ImportRequest(
        format=_text(form, "format") or None,
        header=not form.get("no_header"),
        mapping=mapping,
        date_format=_text(form, "date_format").strip() or None,
        encoding=_text(form, "encoding").strip() or "utf-8",
        strict=bool(form.get("strict")),
    )


@router.post("/import")
async def import_form(request: Request) -> Response:
    state = state_of(request)
    form = await _form_for_write(request)
    options = _import_request(form)
    upload = form.get("file")
    values = {k: _text(form, k) for k in ("format", "map", "date_format", "encoding")}
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise BadInputError("no file was chosen: pick a CSV, TSV or JSON Lines file.")
        data = await upload.read()
        saved = await run_in_threadpool(state.jobs.save_upload, upload.filename, data, options)
        job = state.jobs.start(saved, options, dry_run=True)
    except BadInputError as exc:
        return render(request, "import.html", 400, form=values, error=str(exc))
    return _redirect(f"/import/{job.id}")


@router.post("/import/run")
async def import_run(request: Request) -> Response:
    state = state_of(request)
    form = await _form_for_write(request)
    previous = state.jobs.get(_text(form, "job"))
    job = state.jobs.start(previous.upload, previous.request, dry_run=False)
    return _redirect(f"/import/{job.id}")


@router.get("/import/{job_id}", response_class=HTMLResponse)
def import_job_page(request: Request, job_id: str) -> HTMLResponse:
    job = state_of(request).jobs.get(job_id)
    return render(request, "import_job.html", job=job, info=job.to_dict())


# --- the API, for people ------------------------------------------------------------------


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    """The OpenAPI document as a page (FastAPI's own docs pages load scripts from a CDN)."""
    document = request.app.openapi()
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": operation.get("parameters", []),
                    "body": ", ".join(body),
                }
            )
    return render(
        request,
        "api.html",
        operations=operations,
        version=document.get("openapi", ""),
        writes_need_token=state_of(request).settings.writes_need_token,
    )


# --- login ---------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    state = state_of(request)
    return render(request, "login.html", error=None, has_token=state.settings.token is not None)


@router.post("/login")
async def login_form(request: Request) -> Response:
    state: ServerState = state_of(request)
    form = await request.form()
    if not state.gate.csrf_valid(request.cookies.get(CSRF_COOKIE), _text(form, CSRF_FIELD)):
        return render(
            request, "login.html", 403, error="the form expired: try again.", has_token=True
        )
    if state.settings.token is None or not state.gate.token_matches(_text(form, "token")):
        return render(
            request,
            "login.html",
            401,
            error="that is not this server's token: nothing changed.",
            has_token=state.settings.token is not None,
        )
    response = _redirect("/", "login")
    response.set_cookie(
        SESSION_COOKIE, state.gate.session_value(), httponly=True, samesite="strict", path="/"
    )
    return response


@router.post("/logout")
async def logout_form(request: Request) -> Response:
    response = _redirect("/", "logout")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
