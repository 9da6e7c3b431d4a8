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
from quotes.timelines.charts.style import chart_title, marked_shifts, style
from quotes.timelines.shifts import Shift
from quotes.vocabulary import Method

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
        line = [p for p in points if not timeline.is_coarse(p)]
        ax.plot(
            _days([p.period.midpoint for p in line]),
            [p.score for p in line],
            color=colour,
            linestyle=dash,
            marker=marker,
            markersize=7,
            linewidth=2,
            label=f"{speaker} (period score)",
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
        manual = [o for o in quotes if o.method == Method.MANUAL]
        auto = [o for o in quotes if o.method != Method.MANUAL]
        for group, filled in ((auto, False), (manual, True)):
            if group:
                ax.scatter(
                    _days([o.span.midpoint for o in group]),
                    [o.score for o in group],
                    marker=marker,
                    s=22,
                    facecolors=colour if filled else "none",
                    edgecolors=colour,
                    alpha=0.75,
                    linewidths=1,
                    zorder=3,
                )
    marked = marked_shifts(shifts)
    for shift in marked:
        _annotate(ax, shift, style(timeline.speakers.index(shift.speaker))[0])
    _decorate(ax, timeline)
    handles, _ = ax.get_legend_handles_labels()
    methods = {o.method for o in timeline.observations}
    if Method.AUTO in methods:
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
    if Method.MANUAL in methods:
        handles.append(
            Line2D(
                [], [], linestyle="none", marker="o", color="0.3", label="quote (person's label)"
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
    ax.set_title(chart_title(timeline))
    return figure


def _annotate(ax: Axes, shift: Shift, colour: str) -> None:
    x = shift.after.period.midpoint
    y = shift.after.score
    offset = -28 if shift.change > 0 else 22
    ax.annotate(
        f"{shift.kind} {shift.change:+.2f}",
        xy=(x, y),
        xytext=(0, offset),
        textcoords="offset points",
        ha="center",
        fontsize=7,
        arrowprops={"arrowstyle": "->", "color": "0.2", "lw": 0.8},
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": colour, "lw": 0.8},
        zorder=4,
    )


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
