"""What the PNG and the HTML chart share: colours, line styles, title, marked shifts.

Lines differ by dash pattern and marker as well as colour, so the charts
survive grayscale printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from quotes.timelines.aggregate import Timeline
from quotes.timelines.shifts import Shift

ChartFormat = Literal["png", "html"]
CHART_FORMATS: tuple[ChartFormat, ...] = ("png", "html")

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: Dash patterns and markers that tell speakers apart without colour.
DASHES = ("solid", "dashed", "dashdot", "dotted")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")


#: At most this many shifts are marked on a chart (the largest changes), so a
#: dense daily timeline stays readable; ``quotes shifts`` lists them all.
MAX_MARKED_SHIFTS = 12


def marked_shifts(shifts: Sequence[Shift]) -> list[Shift]:
    """The shifts a chart marks: the largest changes, at most ``MAX_MARKED_SHIFTS``."""
    largest = sorted(shifts, key=lambda s: -abs(s.change))[:MAX_MARKED_SHIFTS]
    return sorted(largest, key=lambda s: (s.after.period.sort_key, s.speaker))


def style(index: int) -> tuple[str, str, str]:
    """(colour, dash, marker) of the ``index``-th speaker."""
    return (
        COLOURS[index % len(COLOURS)],
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


def chart_title(timeline: Timeline) -> str:
    method = "weighted mean" if timeline.method == "mean" else "log-odds position"
    return f"Stance on {timeline.topic} by {timeline.granularity} ({method})"
