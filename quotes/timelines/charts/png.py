"""The PNG timeline, drawn with matplotlib's Agg renderer.

The figure is built with ``matplotlib.figure.Figure`` directly, never pyplot, so
no global backend or window is involved and nothing leaks between calls.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from quotes.timelines.aggregate import Timeline
from quotes.timelines.charts.style import (
    THIN_LEGEND,
    chart_title,
    evidence_note,
    is_thin,
    line_segments,
    marked_shifts,
    point_opacity,
    pole_lines,
    shift_label,
    shift_note,
    spread_labels,
    style,
)
from quotes.timelines.shifts import Shift

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 120


def _days(days: list[date]) -> list[float]:
    """Dates as matplotlib's float day numbers (the date axis converts them back)."""
    from matplotlib.dates import date2num

    return [float(date2num(day)) for day in days]  # type: ignore[no-untyped-call]


def build_figure(timeline: Timeline, shifts: Sequence[Shift]) -> Figure:
    """The chart as a matplotlib Figure: one labelled line per speaker."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = Figure(figsize=(10, 5.5), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    series = timeline.series()
    for index, speaker in enumerate(timeline.speakers):
        points = series.get(speaker)
        if not points:
            continue
        colour, dash, marker = style(index)
        for number, line in enumerate(line_segments(timeline, points)):
            ax.plot(  # broken at empty periods: no line claims what nobody said
                _days([p.period.midpoint for p in line]),
                [p.score for p in line],
                color=colour,
                linestyle=dash,
                marker=marker,
                markersize=7,
                linewidth=2,
                label=f"{speaker} (period score)" if number == 0 else "_nolegend_",
            )
        thin = [p for p in points if not timeline.is_coarse(p) and is_thin(p)]
        if thin:  # hollow: this period's score rests on too little evidence for a shift
            ax.plot(
                _days([p.period.midpoint for p in thin]),
                [p.score for p in thin],
                linestyle="none",
                marker=marker,
                markersize=7,
                markerfacecolor="white",
                markeredgecolor=colour,
                markeredgewidth=1.5,
                label="_thin",
                zorder=3,
            )
        for wide in (p for p in points if timeline.is_coarse(p)):
            # A period wider than asked for: a hollow marker spanning its width.
            start, middle, end = _days([wide.period.start, wide.period.midpoint, wide.period.end])
            ax.errorbar(
                [middle],
                [wide.score],
                xerr=[[middle - start], [end - middle]],
                color=colour,
                marker=marker,
                markerfacecolor="white",
                markersize=7,
                capsize=3,
                linestyle="none",
                linewidth=1.2,
            )
        quotes = [o for p in points for o in p.observations]
        manual = [o for o in quotes if o.method == "manual"]
        auto = [o for o in quotes if o.method != "manual"]
        if auto:  # hollow, small, fainter the less confident: an estimate
            from matplotlib.colors import to_rgba

            ax.scatter(
                _days([o.span.midpoint for o in auto]),
                [o.score for o in auto],
                marker="o",
                s=18,
                facecolors="none",
                edgecolors=[to_rgba(colour, point_opacity(o.confidence)) for o in auto],
                linewidths=0.9,
                zorder=3,
            )
        if manual:  # filled diamonds with a dark edge: a person read them
            ax.scatter(
                _days([o.span.midpoint for o in manual]),
                [o.score for o in manual],
                marker="D",
                s=42,
                facecolors=colour,
                edgecolors="0.1",
                linewidths=0.9,
                zorder=4,
            )
    marked = marked_shifts(shifts)
    _decorate(ax, timeline)
    handles, _ = ax.get_legend_handles_labels()
    methods = {o.method for o in timeline.observations}
    if "auto" in methods:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markerfacecolor="none",
                markeredgecolor="0.3",
                label="quote (automatic score)",
            )
        )
    if "manual" in methods:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                color="0.3",
                markeredgecolor="0.1",
                label="quote (person's label)",
            )
        )
    if shifts:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="$\u2195$",
                color="0.1",
                markersize=10,
                label="shift"
                if len(marked) == len(shifts)
                else f"shift (largest {len(marked)} of {len(shifts)} marked)",
            )
        )
    if any(is_thin(p) and not timeline.is_coarse(p) for p in timeline.points):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="s",  # not the small circle of a quote
                markersize=8,
                markerfacecolor="white",
                markeredgecolor="0.3",
                markeredgewidth=1.5,
                label=THIN_LEGEND,
            )
        )
    if any(timeline.is_coarse(p) for p in timeline.points):
        handles.append(
            Line2D(
                [],
                [],
                color="0.3",
                marker="|",
                markersize=8,
                linewidth=1.2,
                label="period of less precisely dated quotes",
            )
        )
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False
    )
    # The title first, then what +1 and -1 mean right under it, before the plot.
    figure.suptitle(chart_title(timeline), x=0.01, ha="left", fontsize=12)
    subtitle = [_short(line) for line in pole_lines(timeline)] + [evidence_note(timeline)]
    nothing = shift_note(shifts)
    if nothing:
        subtitle.append(_short(nothing, NOTE_CHARS))
    ax.set_title("\n".join(subtitle), loc="left", fontsize=7.5, color="0.25")
    _annotate(figure, ax, timeline, marked)
    return figure


#: Pole texts are wrapped at this many characters under the PNG's title (never cut:
#: the proposition is what the scores mean).
POLE_CHARS = 170


#: Notes under the poles wrap sooner: they must stay clear of the legend column.
NOTE_CHARS = 130


def _short(text: str, width: int = POLE_CHARS) -> str:
    import textwrap

    return textwrap.fill(text, width, subsequent_indent="    ")


def _annotate(figure: Figure, ax: Axes, timeline: Timeline, shifts: Sequence[Shift]) -> None:
    """Label each shift, moving labels apart so that none overlaps another.

    The layout is fixed first, so the labels are placed in the final pixel
    coordinates; they are kept out of the layout so placing them moves nothing.
    """
    if not shifts:
        return
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    figure.draw_without_rendering()
    texts, boxes = [], []
    for shift in shifts:
        colour = style(timeline.speakers.index(shift.speaker))[0]
        anchor = ax.transData.transform(
            (_days([shift.after.period.midpoint])[0], shift.after.score)
        )
        text = ax.annotate(
            shift_label(shift, basis=True),
            xy=(float(anchor[0]), float(anchor[1])),
            xycoords="figure pixels",
            textcoords="figure pixels",
            ha="center",
            va="center",
            fontsize=7,
            arrowprops={"arrowstyle": "->", "color": "0.2", "lw": 0.8},
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": colour, "lw": 0.8},
            zorder=5,
            annotation_clip=False,
        )
        text.set_in_layout(False)
        extent = text.get_window_extent(renderer)
        below = shift.change > 0  # a rise is labelled under its point, a fall above it
        step = 30 if below else -30
        wanted = float(anchor[1]) - step
        boxes.append(
            (float(anchor[0]), wanted, extent.width + 6, extent.height + 4, -1 if below else 1)
        )
        texts.append(text)
    area = ax.get_window_extent(renderer)
    ys = spread_labels(boxes, float(area.y0), float(area.y1))
    for text, (x, _, width, _, _), y in zip(texts, boxes, ys, strict=True):
        x = min(max(x, float(area.x0) + width / 2), float(area.x1) - width / 2)
        text.set_position((x, y))
        # A label nearer its point is drawn over the arrows of labels further out.
        text.set_zorder(5 + 1 / (1 + abs(y - float(text.xy[1]))))


def _decorate(ax: Axes, timeline: Timeline) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    ax.axhline(0, color="0.6", linewidth=0.8, zorder=1)
    ax.set_ylim(-1.12, 1.12)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_yticklabels(["-1 against", "-0.5", "0", "+0.5", "+1 favor"])
    ax.set_ylabel("stance score")
    ax.set_xlabel("date")
    ax.grid(True, color="0.9", linewidth=0.6)
    spans = [o.span for o in timeline.observations]
    if spans:
        first = min(s.start for s in spans)
        last = max(s.end for s in spans)
        pad = max(timedelta(days=15), (last - first) / 30)
        low, high = _days([first - pad, last + pad])
        ax.set_xlim(low, high)
    locator = AutoDateLocator(minticks=3, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def render_png(timeline: Timeline, shifts: Sequence[Shift]) -> bytes:
    """The PNG file's bytes."""
    figure = build_figure(timeline, shifts)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
