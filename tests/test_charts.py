"""The PNG and HTML charts drawn from a constructed timeline."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest

from quotes.records.reported import as_said
from quotes.timelines.aggregate import Observation, Timeline, TimelinePoint, build_points
from quotes.timelines.charts import render_chart, write_chart
from quotes.timelines.charts.html import date_ticks
from quotes.timelines.charts.png import build_figure
from quotes.timelines.evidence import EvidenceMinimum
from quotes.timelines.shifts import Shift, detect_shifts

SPEAKERS = ["Donald Trump", "Mark Rutte", "Mette Frederiksen"]
TEXTS = {
    "Donald Trump": [
        "We need Greenland for national security & more.",
        'Denmark will have to "deal" with it <now>.',
    ],
    "Mark Rutte": [
        "We will come together in NATO with our senior commanders.",
        "I have no doubt we can do this quite fast.",
    ],
    "Mette Frederiksen": [
        "But we cannot negotiate on our sovereignty.",
        "We can negotiate on all political issues.",
    ],
}

#: These tests are about the shift rule itself: any one quote is enough evidence.
ANY_ONE = EvidenceMinimum(labelled=1, automatic=1)


def timeline(granularity: str = "month") -> Timeline:
    found = []
    quote_id = 0
    for s_index, speaker in enumerate(SPEAKERS):
        for t_index, text in enumerate(TEXTS[speaker]):
            quote_id += 1
            score = (0.9 - s_index * 0.8) * (1 if t_index == 0 else -1)
            found.append(
                Observation(
                    quote_id,
                    speaker,
                    "sovereignty",
                    date(2025, 3 + 4 * t_index, 1 + s_index),
                    "day" if t_index == 0 else "month",
                    score,
                    "favor" if score > 0 else "against",
                    "manual" if quote_id == 1 else "auto",
                    text,
                    "Reuters" if quote_id % 2 else "https://example.org/article?id=1",
                )
            )
    found.append(
        Observation(
            99,
            "Mark Rutte",
            "sovereignty",
            date(2025, 1, 1),
            "year",
            0.1,
            "neutral",
            "auto",
            "NATO must stay strong (year only).",
            None,
        )
    )
    points = build_points(found, granularity, "mean")  # type: ignore[arg-type]
    return Timeline("sovereignty", granularity, "mean", SPEAKERS, points)  # type: ignore[arg-type]


def test_png_is_a_real_image_with_one_line_per_speaker(tmp_path: Path) -> None:
    chart = timeline()
    shifts = detect_shifts(chart.points, minimum=ANY_ONE)
    assert shifts, "the constructed series should contain shifts to annotate"
    figure = build_figure(chart, shifts)
    (ax,) = figure.axes
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in labelled] == [f"{s} (period score)" for s in SPEAKERS]
    assert len({(line.get_linestyle(), line.get_marker()) for line in labelled}) == 3
    assert figure.get_suptitle() == "Stance on sovereignty by month (weighted mean)"
    assert ax.get_ylim()[0] <= -1 and ax.get_ylim()[1] >= 1
    assert len(ax.texts) == len(shifts)
    legend = ax.get_legend()
    assert legend is not None
    assert {t.get_text() for t in legend.get_texts()} >= {f"{s} (period score)" for s in SPEAKERS}
    path = tmp_path / "timeline.png"
    write_chart(chart, shifts, path, "png")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(data), format="png")
    assert pixels.shape[0] > 400 and pixels.shape[1] > 800
    assert pixels.std() > 0.05  # not a blank canvas


def test_every_quote_is_a_point_in_the_png() -> None:
    chart = timeline()
    (ax,) = build_figure(chart, []).axes
    from matplotlib.collections import PathCollection

    # One scatter point per quote (errorbar collections hold bar segments, not points).
    scatter = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in scatter) == len(chart.observations) == 7


def test_html_is_self_contained_and_holds_every_quote() -> None:
    chart = timeline()
    shifts = detect_shifts(chart.points, minimum=ANY_ONE)
    page = render_chart(chart, shifts, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    svg = re.search(r"<svg id=\"chart\".*?</svg>", page, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))  # the chart is well-formed SVG
    series = [g for g in root.iter("g") if g.get("class") == "series"]
    assert [g.get("data-speaker") for g in series] == SPEAKERS
    assert all(g.find("polyline") is not None for g in series)
    points = [c for c in root.iter() if c.get("class") == "quote"]
    assert len(points) == len(chart.observations)
    for obs in chart.observations:
        (point,) = [c for c in points if c.get("data-id") == str(obs.quote_id)]
        # A labelled quote is a diamond, an automatic one a circle: told apart at a glance.
        assert point.tag.endswith("polygon" if obs.method == "manual" else "circle")
        assert point.get("data-said") == as_said(obs.text, obs.kind)
        assert point.get("data-date") == obs.date_label
        assert point.get("data-source") == (obs.source or "")
        title = point.find("title")
        assert title is not None and obs.text in (title.text or "")
        assert unescape(page).count(obs.text) >= 2  # chart tooltip and the table
    assert "addEventListener" in page  # hover/click shows the detail panel
    # No network references: nothing is loaded from anywhere.
    assert not re.search(r"\b(src|href)\s*=|url\(|@import|<link\b", page, re.I)
    assert "http" not in page.replace("https://example.org/article?id=1", "")


def test_html_escapes_quote_text() -> None:
    page = render_chart(timeline(), [], "html").decode("utf-8")
    assert "<now>" not in page
    assert "&lt;now&gt;" in page


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2005, 3, 1), date(2014, 12, 31), [str(y) for y in range(2006, 2015)]),
        (date(1990, 1, 1), date(2014, 12, 31), [str(y) for y in range(1990, 2015, 5)]),
        (date(2025, 1, 15), date(2025, 5, 1), ["2025-02", "2025-03", "2025-04", "2025-05"]),
    ],
)
def test_html_date_ticks(first: date, last: date, expected: list[str]) -> None:
    assert [label for _, label in date_ticks(first, last)] == expected


def test_short_spans_get_day_ticks() -> None:
    ticks = date_ticks(date(2026, 1, 20), date(2026, 1, 24))
    assert ticks[0] == (date(2026, 1, 20), "2026-01-20") and len(ticks) == 5


def test_dense_timelines_mark_only_the_largest_shifts() -> None:
    from quotes.timelines.charts import MAX_MARKED_SHIFTS

    zigzag = [
        Observation(
            i,
            "Mark Rutte",
            "security",
            date(2025, 1, 1) + timedelta(days=i),
            "day",
            0.9 if i % 2 else -0.5 - i / 200,
            "favor" if i % 2 else "against",
            "auto",
            f"statement {i}",
        )
        for i in range(60)
    ]
    points = build_points(zigzag, "day", "mean")
    chart = Timeline("security", "day", "mean", ["Mark Rutte"], points)
    shifts = detect_shifts(points, minimum=ANY_ONE)
    assert len(shifts) == 59
    (ax,) = build_figure(chart, shifts).axes
    assert len(ax.texts) == MAX_MARKED_SHIFTS
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"shift (largest {MAX_MARKED_SHIFTS} of 59 marked)" in labels
    page = render_chart(chart, shifts, "html").decode("utf-8")
    assert page.count('class="shift"') == MAX_MARKED_SHIFTS
    assert page.count("<li>") == 59  # every shift is listed under the chart


def test_legend_lists_only_the_kinds_of_quote_present() -> None:
    chart = timeline()
    auto_only = [
        TimelinePoint(
            p.speaker,
            p.topic,
            p.period,
            p.score,
            tuple(o for o in p.observations if o.method == "auto"),
        )
        for p in chart.points
        if any(o.method == "auto" for o in p.observations)
    ]
    chart.points = auto_only
    (ax,) = build_figure(chart, []).axes
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert "quote (automatic score)" in labels
    assert "quote (person's label)" not in labels
    assert "shift" not in labels


def _crowded() -> tuple[Timeline, list[Shift]]:
    """Two speakers reversing in the same months: their shift labels would collide."""
    found = []
    for s_index, speaker in enumerate(SPEAKERS[:2]):
        for month in (1, 2, 3, 6, 7):
            score = 0.8 if month % 2 else -0.8
            found.append(
                Observation(
                    month * 10 + s_index,
                    speaker,
                    "sovereignty",
                    date(2025, month, 10),
                    "day",
                    score - s_index * 0.05,
                    "favor" if score > 0 else "against",
                    "manual",
                    f"statement {month} by {speaker}",
                    None,
                    None,
                    "paraphrase" if month == 6 else "quote",
                )
            )
    points = build_points(found, "month", "mean")
    chart = Timeline(
        "sovereignty",
        "month",
        "mean",
        SPEAKERS[:2],
        points,
        favor="Defends national sovereignty <always>.",
        against="Seeks to acquire another country's territory.",
    )
    return chart, detect_shifts(points)


def _overlaps(boxes: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_png_shift_labels_do_not_overlap_and_lines_break_at_empty_periods() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    chart, shifts = _crowded()
    assert len(shifts) == 8  # labelled quotes only: every change is a shift
    figure = build_figure(chart, shifts)
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    (ax,) = figure.axes
    # The label boxes themselves (an annotation's own extent includes its arrow).
    extents = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts]
    assert len(extents) == 8
    assert _overlaps([(e.x0, e.y0, e.x1, e.y1) for e in extents]) == []
    # Jan-Mar and Jun-Jul: April and May are empty, so each speaker's line has two pieces.
    lines = [line for line in ax.get_lines() if line.get_marker() not in ("None", None, "")]
    assert sorted(len(line.get_xdata()) for line in lines) == [2, 2, 3, 3]
    subtitle = ax.get_title(loc="left")
    assert "+1 favor: Defends national sovereignty <always>." in subtitle
    assert "-1 against: Seeks to acquire" in subtitle


def test_html_shift_labels_do_not_overlap_and_poles_are_shown() -> None:
    chart, shifts = _crowded()
    page = render_chart(chart, shifts, "html").decode("utf-8")
    svg = re.search(r"<svg id=\"chart\".*?</svg>", page, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))
    labels = [t for t in root.iter("text") if t.get("class") == "shift"]
    assert len(labels) == 8
    boxes = []
    for label in labels:
        x, y = float(label.get("x", 0)), float(label.get("y", 0))
        width = len(label.text or "") * 6.4  # the label, not its <title> tooltip
        boxes.append((x - width / 2, y - 11, x + width / 2, y))
    assert _overlaps(boxes) == []
    polylines = [
        p for g in root.iter("g") if g.get("class") == "series" for p in g.iter("polyline")
    ]
    assert len(polylines) == 4  # each line broken at the empty April-May
    assert "+1 favor: Defends national sovereignty &lt;always&gt;." in page
    assert "(paraphrase) statement 6 by" in unescape(page)
    assert "\u201cstatement 6" not in unescape(page)


def test_png_poles_sit_under_the_title() -> None:
    """Title first, then what +1 and -1 mean, then the plot (not the poles on top)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    chart, shifts = _crowded()
    figure = build_figure(chart, shifts)
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    (ax,) = figure.axes
    texts = [t for t in figure.findobj(Text) if t.get_text()]
    title = next(t for t in texts if t.get_text().startswith("Stance on sovereignty"))
    poles = next(t for t in texts if t.get_text().startswith("+1 favor:"))
    title_box, poles_box = (t.get_window_extent(renderer) for t in (title, poles))
    plot_box = ax.get_window_extent(renderer)
    assert title_box.y0 >= poles_box.y1 - 1  # pixels grow upwards
    assert poles_box.y0 >= plot_box.y1 - 1


def _thin_and_solid() -> Timeline:
    """One speaker: 2024 on one automatic quote (thin), 2025 on three confident ones."""
    found = [
        Observation(
            1,
            "Mark Rutte",
            "security",
            date(2024, 5, 1),
            "day",
            -0.8,
            "against",
            "auto",
            "one stray sentence",
            None,
            0.75,
        ),
        *(
            Observation(
                10 + i,
                "Mark Rutte",
                "security",
                date(2025, 3 + i, 1),
                "day",
                0.8,
                "favor",
                "auto",
                f"confident statement {i}",
                None,
                0.9,
            )
            for i in range(3)
        ),
    ]
    points = build_points(found, "year", "mean")
    return Timeline("security", "year", "mean", ["Mark Rutte"], points)  # type: ignore[arg-type]


def test_a_period_on_thin_evidence_is_drawn_hollow_and_says_so() -> None:
    """A line rising from a one-quote period must not look like a shift."""
    chart = _thin_and_solid()
    assert detect_shifts(chart.points) == []  # the rule: 2024 is too thin to compare
    (ax,) = build_figure(chart, []).axes
    hollow = [
        line
        for line in ax.get_lines()
        if line.get_marker() not in ("None", None, "")
        and line.get_markerfacecolor() == "white"
        and line.get_linestyle() == "None"
    ]
    assert len(hollow) == 1 and list(hollow[0].get_ydata()) == [-0.8]
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert "hollow: period on too little evidence for a shift" in legend
    page = render_chart(chart, [], "html").decode("utf-8")
    root = ET.fromstring(re.search(r"<svg id=\"chart\".*?</svg>", page, re.S).group(0))  # type: ignore[union-attr]
    periods = [r for r in root.iter("rect") if "period" in (r.get("class") or "")]
    assert [(r.get("class"), r.get("fill")) for r in periods] == [
        ("period thin", "#fff"),
        ("period", "#0072B2"),
    ]
    assert "too little evidence for a shift" in page
    # With no shift marked, both charts say why rather than leave it to guesswork.
    assert "No stance shift is marked: none rests on enough evidence" in page
    assert "No stance shift is marked" in build_figure(chart, []).axes[0].get_title(loc="left")
