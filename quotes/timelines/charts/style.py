"""What the PNG and the HTML chart share: colours, line styles, title, marked shifts.

Lines differ by dash pattern and marker as well as colour, so the charts
survive grayscale printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from quotes.timelines.aggregate import Timeline, TimelinePoint
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


#: What a hollow period marker means, in both charts' legends.
THIN_LEGEND = "hollow: period on too little evidence for a shift"


def is_thin(point: TimelinePoint) -> bool:
    """A period whose score rests on too little evidence to compare (the shift rule).

    Charts draw it hollow, so a line rising from a thin period does not look
    like the shifts the chart marks.
    """
    return not point.evidence.sufficient()


def line_segments(timeline: Timeline, points: Sequence[TimelinePoint]) -> list[list[TimelinePoint]]:
    """A speaker's line, broken wherever a period between two points has no quote.

    A line drawn across an empty period would claim a position nobody stated;
    wider periods (imprecise dates) are drawn on their own, not on the line.
    """
    segments: list[list[TimelinePoint]] = []
    for point in (p for p in points if not timeline.is_coarse(p)):
        last = segments[-1][-1] if segments else None
        if last is not None and (point.period.start - last.period.end).days <= 1:
            segments[-1].append(point)
        else:
            segments.append([point])
    return segments


def shift_label(shift: Shift, *, basis: bool = False) -> str:
    """The short text a chart puts beside a shift; with ``basis``, a second line
    saying what each side rests on."""
    label = f"{shift.kind} {shift.change:+.2f}"
    if basis:
        label += f"\n{shift.before.evidence.short()} \u2192 {shift.after.evidence.short()}"
    return label


def spread_labels(
    boxes: Sequence[tuple[float, float, float, float, int]], low: float, high: float
) -> list[float]:
    """Vertical positions for labels so that no two overlap.

    Each box is ``(x_centre, y_wanted, width, height, direction)`` in one
    coordinate space (pixels or points); ``direction`` (+1 or -1) is the way
    to push a label that collides. A label moves in steps of half its height (its
    own way first, then the other) until it overlaps no label already placed,
    staying within ``[low, high]``; boxes are placed left to right.
    """
    placed: list[tuple[float, float, float, float]] = []  # x0, x1, y0, y1
    result = [0.0] * len(boxes)
    for index in sorted(range(len(boxes)), key=lambda i: boxes[i][0]):
        x, wanted, width, height, direction = boxes[index]
        x0, x1 = x - width / 2, x + width / 2

        def free(y: float, x0: float = x0, x1: float = x1, height: float = height) -> bool:
            return all(
                x1 <= a0 or x0 >= a1 or y + height / 2 <= b0 or y - height / 2 >= b1
                for a0, a1, b0, b1 in placed
            )

        # Away from the point first (half a label at a time), towards it only if needed.
        candidates = [wanted + direction * step * height / 2 for step in range(80)]
        candidates += [wanted - direction * step * height / 2 for step in range(1, 80)]
        inside = [y for y in candidates if low + height / 2 <= y <= high - height / 2]
        y = next((c for c in inside if free(c)), inside[0] if inside else wanted)
        placed.append((x0, x1, y - height / 2, y + height / 2))
        result[index] = y
    return result


def point_opacity(confidence: float | None) -> float:
    """How strongly an automatic quote point is drawn: 0.35 (unsure) to 0.95 (sure)."""
    return 0.9 if confidence is None else 0.35 + 0.6 * max(0.0, min(1.0, confidence))


def pole_lines(timeline: Timeline) -> list[str]:
    """What +1 and -1 mean on this chart: the topic's two poles."""
    lines = []
    if timeline.favor:
        lines.append(f"+1 favor: {timeline.favor}")
    if timeline.against:
        lines.append(f"-1 against: {timeline.against}")
    return lines


def evidence_note(timeline: Timeline) -> str:
    """The line that says which automatic stances the chart counts."""
    if timeline.min_confidence <= 0:
        return "Every automatic stance is counted, whatever its confidence."
    note = f"Automatic stances count only at confidence {timeline.min_confidence:.2f} or above"
    if timeline.below_bar:
        note += f" ({timeline.below_bar} below it left out)"
    return note + "; a person's label always counts."


def shift_note(shifts: Sequence[Shift]) -> str | None:
    """Said when a chart marks no shift, so an empty chart is not read as an oversight."""
    if shifts:
        return None
    from quotes.timelines.evidence import DEFAULT_MINIMUM

    return (
        "No stance shift is marked: none rests on enough evidence on both sides "
        f"({DEFAULT_MINIMUM.describe()} per period)."
    )


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
