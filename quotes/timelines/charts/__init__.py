"""Timeline charts: a PNG for print and an HTML page for the screen.

Both draw the same picture: dates on x, the stance score -1..1 on y, one line
per speaker through the period scores, every quote as a point at the middle of
the span its date really covers, and detected shifts marked (the shared style
is in :mod:`quotes.timelines.charts.style`). matplotlib is imported only when
a PNG is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quotes.timelines.aggregate import Timeline
from quotes.timelines.charts.style import (
    CHART_FORMATS,
    MAX_MARKED_SHIFTS,
    ChartFormat,
    marked_shifts,
)
from quotes.timelines.shifts import Shift

__all__ = ["CHART_FORMATS", "MAX_MARKED_SHIFTS", "ChartFormat", "marked_shifts", "render_chart"]


def render_chart(timeline: Timeline, shifts: Sequence[Shift], fmt: ChartFormat) -> bytes:
    """The chart file's bytes; the caller writes them (so nothing half-written is left)."""
    if fmt == "png":
        from quotes.timelines.charts.png import render_png

        return render_png(timeline, shifts)
    from quotes.timelines.charts.html import render_html

    return render_html(timeline, shifts).encode("utf-8")


def write_chart(timeline: Timeline, shifts: Sequence[Shift], path: Path, fmt: ChartFormat) -> None:
    """Render, then write in one step."""
    data = render_chart(timeline, shifts, fmt)
    path.write_bytes(data)
