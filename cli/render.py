"""Rendering quotes for people (rich tables) and for programs (JSON, CSV)."""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Sequence
from typing import Any

from rich.markup import escape
from rich.table import Table

from quotes.exports.csv_safety import SPREADSHEET_SAFE, CsvStyle
from quotes.records.reported import as_said
from quotes.results import QuoteRecord
from quotes.search.fulltext import HIGHLIGHT
from quotes.vocabulary import effective_per_topic

from .common import console

_HIGHLIGHTED = re.compile(re.escape(HIGHLIGHT) + r"(.+?)" + re.escape(HIGHLIGHT))


def highlighted(snippet: str) -> str:
    """Rich markup for a snippet whose matches are wrapped in ``**``."""
    return _HIGHLIGHTED.sub(lambda m: f"[bold yellow]{m.group(1)}[/]", escape(snippet))


def confidence_text(stance: dict[str, Any]) -> str:
    """``manual`` for a person's label, else the automatic stance's confidence."""
    if stance["method"] == "manual":
        return "manual"
    confidence = stance.get("confidence")
    return "confidence unknown" if confidence is None else f"confidence {confidence:.2f}"


def stance_text(quote: dict[str, Any]) -> str:
    """The stance that counts on each topic (a person's label wins), in one line."""
    effective = effective_per_topic(QuoteRecord.from_dict(quote).stances)
    # "auto" in words: a confidence alone did not tell a reader the stance is an estimate.
    return ", ".join(
        f"{s.topic}: {s.label} ({s.score:+.2f}, "
        f"{'' if s.method == 'manual' else 'auto, '}{confidence_text(s.to_dict())})"
        for s in effective
    )


def quotes_table(rows: Sequence[dict[str, Any]], *, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=True, expand=False)
    has_rank = bool(rows) and "rank" in rows[0]
    if has_rank:
        table.add_column("#", justify="right")
        table.add_column("match", justify="right")
    table.add_column("id", justify="right", style="dim")
    table.add_column("date")
    table.add_column("speaker", style="cyan")
    table.add_column("text", ratio=3)
    table.add_column("topics / stance", ratio=1)
    for row in rows:
        said = as_said(row.get("snippet") or row["text"], row["kind"])
        text = highlighted(said) if row.get("snippet") else escape(said)
        cells = [
            str(row["id"]),
            row["date"] or "",
            escape(row["speaker"]),
            text,
            escape(stance_text(row) or ", ".join(row["topics"])),
        ]
        ranked = [str(row["rank"]), f"{row['match']:.2f}"] if has_rank else []
        table.add_row(*ranked, *cells)
    return table


def print_quote_detail(quote: dict[str, Any]) -> None:
    kind = "" if quote["kind"] == "quote" else f" ({quote['kind']})"
    console.print(
        f"[bold]#{quote['id']}[/] {escape(quote['speaker'])}, {quote['date'] or 'undated'}{kind}"
    )
    console.print(f"  {escape(as_said(quote['text'], quote['kind']))}")
    if quote["context"]:
        console.print(f"  [dim]context:[/] {escape(quote['context'])}")
    for source in quote["sources"]:
        parts = [p for p in (source["outlet"], source["url"]) if p]
        console.print(f"  [dim]source:[/] {escape(' — '.join(parts))}")
    for link in quote["topic_links"]:
        sure = link.get("confidence")
        how = link["origin"] + ("" if sure is None else f", confidence {sure:.2f}")
        console.print(f"  [dim]topic:[/] {link['topic']} ({how})")
    for stance in quote["stances"]:
        model = f", {stance['model']}" if stance.get("model") else ""
        console.print(
            f"  [dim]stance:[/] {stance['topic']}: {stance['label']} "
            f"{stance['score']:+.2f} ({stance['method']}{escape(model)}"
            f"{'' if stance['method'] == 'manual' else ', ' + confidence_text(stance)})"
        )


def write_csv(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], style: CsvStyle = SPREADSHEET_SAFE
) -> None:
    """CSV to stdout; cells a spreadsheet would evaluate are neutralised unless raw."""
    sys.stdout.write(style.start())
    writer = csv.DictWriter(
        sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(style.mapping(row))
