"""The HTML timeline: one self-contained file with an inline SVG chart.

Everything is in the file (SVG, CSS, a few lines of script); it loads nothing
from the network, so it opens offline and can be attached to an e-mail. The
SVG is drawn here, not in the browser, so the chart shows even with scripts
off; each quote point carries an SVG ``<title>`` (the browser's own tooltip)
and, with scripts on, hovering, focusing or clicking it shows the quote's
text, date and source in a panel under the chart. A table of every quote
follows, for reading, searching the page and screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from quotes.records.reported import as_said
from quotes.timelines.aggregate import Observation, Timeline
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

WIDTH, HEIGHT = 960, 440
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 20, 44
SVG_DASHES = {"solid": "", "dashed": "8 4", "dashdot": "8 3 2 3", "dotted": "2 3"}

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;max-width:1000px}
h1{font-size:1.3rem;margin-bottom:.3rem}
.poles{margin:.1rem 0;color:#444;font-size:.9rem}.note{color:#666;font-size:.85rem}
svg{background:#fff;border:1px solid #ddd;max-width:100%;height:auto}
.quote{cursor:pointer}.quote:hover,.quote:focus{stroke-width:3;outline:none}
.legend span{display:inline-block;margin-right:1.2rem;font-size:.9rem}
#detail{border:1px solid #ccc;padding:.6rem .8rem;margin:.8rem 0;min-height:3.5rem;
background:#fafafa}
#detail .meta{color:#555;font-size:.85rem}
table{border-collapse:collapse;font-size:.85rem;width:100%}
td,th{border-bottom:1px solid #eee;padding:.3rem;text-align:left;vertical-align:top}
"""

_SCRIPT = """
(function(){
  var panel=document.getElementById('detail');
  function show(el){
    var d=el.dataset;
    panel.querySelector('.text').textContent=d.said;
    panel.querySelector('.meta').textContent=d.speaker+' \\u00b7 '+d.date+' \\u00b7 '+
      d.label+' ('+d.basis+', score '+d.score+')'+(d.source?' \\u00b7 source: '+d.source:'');
  }
  document.querySelectorAll('.quote').forEach(function(el){
    ['mouseenter','focus','click'].forEach(function(ev){
      el.addEventListener(ev,function(){show(el);});
    });
  });
})();
"""


class _Scale:
    """Maps dates and scores to SVG coordinates."""

    def __init__(self, first: date, last: date) -> None:
        pad = max(timedelta(days=15), (last - first) / 30)
        self.first = first - pad
        self.days = max(1, (last + pad - self.first).days)

    def x(self, day: date) -> float:
        return LEFT + (day - self.first).days / self.days * (WIDTH - LEFT - RIGHT)

    @staticmethod
    def y(score: float) -> float:
        return TOP + (1.1 - score) / 2.2 * (HEIGHT - TOP - BOTTOM)


def _month_ticks(first: date, last: date, months: int) -> list[tuple[date, str]]:
    ticks: list[tuple[date, str]] = []
    current = date(first.year - first.year % max(1, months // 12), 1, 1)
    while current <= last:
        if current >= first:
            label = str(current.year) if months % 12 == 0 else f"{current.year}-{current.month:02d}"
            ticks.append((current, label))
        month = current.month - 1 + months
        current = date(current.year + month // 12, month % 12 + 1, 1)
    return ticks


def date_ticks(first: date, last: date, most: int = 12) -> list[tuple[date, str]]:
    """Calendar ticks between two dates: the finest of months, quarters, half-years,
    years, ... that gives at most ``most`` ticks; days when the span is under two months.
    """
    ticks: list[tuple[date, str]] = []
    for months in (1, 3, 6, 12, 24, 60, 120):
        ticks = _month_ticks(first, last, months)
        if len(ticks) <= most:
            break
    if len(ticks) >= 2:
        return ticks
    step = max(1, -(-(last - first).days // most))
    days = range(0, (last - first).days + 1, step)
    return [(first + timedelta(days=i), (first + timedelta(days=i)).isoformat()) for i in days]


def _axes(scale: _Scale, first: date, last: date) -> list[str]:
    """Grid, tick labels and axis titles, styled inline so the SVG stands alone."""
    parts = ['<g class="axis" font-size="11" fill="#444">']
    for score in (-1.0, -0.5, 0.0, 0.5, 1.0):
        y = scale.y(score)
        colour = "#999" if score == 0 else "#e8e8e8"
        label = {-1.0: "-1 against", 1.0: "+1 favor"}.get(score, f"{score:+g}" if score else "0")
        parts.append(
            f'<line stroke="{colour}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for day, label in date_ticks(first, last):
        x = scale.x(day)
        parts.append(
            f'<line stroke="#e8e8e8" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    middle = (LEFT + WIDTH - RIGHT) / 2
    parts.append(f'<text x="{middle:.0f}" y="{HEIGHT - 6}" text-anchor="middle">date</text>')
    parts.append(
        f'<text x="14" y="{(TOP + HEIGHT - BOTTOM) / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2:.0f})">stance score</text>'
    )
    parts.append("</g>")
    return parts


def _basis(obs: Observation) -> str:
    """``person's label`` or ``automatic, confidence 0.82``."""
    if obs.method == "manual":
        return "person's label"
    if obs.confidence is None:
        return "automatic, confidence unknown"
    return f"automatic, confidence {obs.confidence:.2f}"


def _quote_point(obs: Observation, scale: _Scale, colour: str) -> str:
    """A labelled quote is a filled diamond; an automatic one a hollow circle,
    fainter the less confident it is."""
    said = as_said(obs.text, obs.kind)
    tip = f"{obs.speaker}, {obs.date_label} ({obs.label}, {obs.score:+.2f}, {_basis(obs)}): {said}"
    if obs.source:
        tip += f" [source: {obs.source}]"
    data = {
        "speaker": obs.speaker,
        "date": obs.date_label,
        "said": said,
        "kind": obs.kind,
        "label": obs.label,
        "method": obs.method,
        "basis": _basis(obs),
        "score": f"{obs.score:+.2f}",
        "source": obs.source or "",
        "id": str(obs.quote_id),
    }
    attrs = " ".join(f'data-{k}="{escape(v, quote=True)}"' for k, v in data.items())
    x, y = scale.x(obs.span.midpoint), scale.y(obs.score)
    title = f"<title>{escape(tip)}</title>"
    if obs.method == "manual":
        return (
            f'<polygon class="quote" tabindex="0" points="{x:.1f},{y - 6.5:.1f} '
            f'{x + 6.5:.1f},{y:.1f} {x:.1f},{y + 6.5:.1f} {x - 6.5:.1f},{y:.1f}" '
            f'fill="{colour}" stroke="#111" stroke-width="1.2" {attrs}>{title}</polygon>'
        )
    opacity = point_opacity(obs.confidence)
    return (
        f'<circle class="quote" tabindex="0" cx="{x:.1f}" cy="{y:.1f}" r="4" '
        f'fill="#fff" stroke="{colour}" stroke-width="1.5" stroke-opacity="{opacity:.2f}" '
        f"{attrs}>{title}</circle>"
    )


def _series(timeline: Timeline, scale: _Scale) -> list[str]:
    parts: list[str] = []
    series = timeline.series()
    for index, speaker in enumerate(timeline.speakers):
        points = series.get(speaker)
        if not points:
            continue
        colour, dash, _ = style(index)
        parts.append(f'<g class="series" data-speaker="{escape(speaker, quote=True)}">')
        for segment in line_segments(timeline, points):
            coords = " ".join(
                f"{scale.x(p.period.midpoint):.1f},{scale.y(p.score):.1f}" for p in segment
            )
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.2" '
                f'stroke-dasharray="{SVG_DASHES[dash]}"/>'
            )
        for p in points:
            if timeline.is_coarse(p):
                y = scale.y(p.score)
                parts.append(
                    f'<line x1="{scale.x(p.period.start):.1f}" x2="{scale.x(p.period.end):.1f}" '
                    f'y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="1.5"/>'
                )
            thin = is_thin(p)  # hollow: too little evidence for a shift
            fill = "#fff" if thin else colour
            note = "; too little evidence for a shift" if thin else ""
            parts.append(
                f'<rect class="period{" thin" if thin else ""}" '
                f'x="{scale.x(p.period.midpoint) - 3.5:.1f}" '
                f'y="{scale.y(p.score) - 3.5:.1f}" width="7" height="7" fill="{fill}" '
                f'stroke="{colour}" stroke-width="1.5">'
                f"<title>{escape(speaker)} {escape(p.period.label)}: {p.score:+.2f} "
                f"(n={p.n}; {escape(p.evidence.describe())}{note})</title></rect>"
            )
        parts.extend(_quote_point(o, scale, colour) for p in points for o in p.observations)
        parts.append("</g>")
    return parts


#: Font size of shift labels, and the width of one character at that size.
SHIFT_FONT, SHIFT_CHAR = 11, 6.4


def _shift_marks(timeline: Timeline, shifts: Sequence[Shift], scale: _Scale) -> list[str]:
    boxes = []
    for shift in shifts:
        width = len(shift_label(shift)) * SHIFT_CHAR + 14
        # Keep the label inside the plot even for a shift at either edge.
        x = min(
            max(scale.x(shift.after.period.midpoint), LEFT + width / 2), WIDTH - RIGHT - width / 2
        )
        below = shift.change > 0  # a rise is labelled under its point, a fall above it
        y = scale.y(shift.after.score) + (16 if below else -16)
        boxes.append((x, y, width, SHIFT_FONT + 4, 1 if below else -1))
    ys = spread_labels(boxes, TOP, HEIGHT - BOTTOM)
    parts = []
    for shift, (x, _, _, _, _), y in zip(shifts, boxes, ys, strict=True):
        arrow = "\u25b2" if shift.change > 0 else "\u25bc"
        parts.append(
            f'<text class="shift" x="{x:.1f}" y="{y + SHIFT_FONT / 2 - 1:.1f}" '
            f'text-anchor="middle" font-size="{SHIFT_FONT}" '
            f'fill="{style(timeline.speakers.index(shift.speaker))[0]}">'
            f"{arrow} {escape(shift_label(shift))}"
            f"<title>{escape(shift.speaker)}: {escape(shift.before.period.label)} "
            f"({escape(shift.before.evidence.describe())}) to "
            f"{escape(shift.after.period.label)} ({escape(shift.after.evidence.describe())})"
            "</title></text>"
        )
    return parts


def _legend(timeline: Timeline) -> str:
    present = timeline.series()
    items = []
    for index, speaker in enumerate(timeline.speakers):
        if speaker not in present:
            continue
        colour, dash, _ = style(index)
        items.append(
            f'<span><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5" x2="34" '
            f'y2="5" stroke="{colour}" stroke-width="2.5" stroke-dasharray="{SVG_DASHES[dash]}"/>'
            f"</svg> {escape(speaker)}</span>"
        )
    items.append(
        "<span>\u25a0 period score \u00b7 \u25cb quote with an automatic stance "
        "(fainter = less confident) \u00b7 \u25c6 quote a person labelled</span>"
    )
    if any(is_thin(p) for p in timeline.points):
        items.append(f"<span>\u25a1 {escape(THIN_LEGEND)}</span>")
    return '<p class="legend">' + "".join(items) + "</p>"


def _shift_list(shifts: Sequence[Shift]) -> str:
    nothing = shift_note(shifts)
    if nothing:
        return f'<h2>Shifts</h2><p class="note">{escape(nothing)}</p>'
    items = "".join(
        f"<li><b>{escape(s.speaker)}</b> {escape(s.kind)} {escape(s.before.period.label)} "
        f"({s.before.score:+.2f}, {escape(s.before.evidence.describe())}) \u2192 "
        f"{escape(s.after.period.label)} ({s.after.score:+.2f}, "
        f"{escape(s.after.evidence.describe())}): "
        f"{escape(as_said(s.evidence_before.text, s.evidence_before.kind))} "
        f"({escape(s.evidence_before.date_label)}) then "
        f"{escape(as_said(s.evidence_after.text, s.evidence_after.kind))} "
        f"({escape(s.evidence_after.date_label)})</li>"
        for s in shifts
    )
    return f"<h2>Shifts</h2><ul>{items}</ul>"


def _table(timeline: Timeline) -> str:
    rows = sorted(timeline.observations, key=lambda o: (o.span.sort_key, o.speaker, o.quote_id))
    body = "".join(
        f"<tr><td>{escape(o.date_label)}</td><td>{escape(o.speaker)}</td>"
        f"<td>{o.score:+.2f} {escape(o.label)} ({escape(_basis(o))})</td>"
        f"<td>{escape(as_said(o.text, o.kind))}</td><td>{escape(o.source or '')}</td></tr>"
        for o in rows
    )
    return (
        "<table><thead><tr><th>date</th><th>speaker</th><th>stance</th><th>statement</th>"
        f"<th>source</th></tr></thead><tbody>{body}</tbody></table>"
    )


def render_svg(timeline: Timeline, shifts: Sequence[Shift], *, element_id: str = "chart") -> str:
    """The chart alone: an ``<svg>`` element with no script or style of its own.

    ``quotes serve`` embeds it in its pages (its own script adds the hover
    panel, as the page below does), so the web app and the file draw the
    same picture.
    """
    spans = [o.span for o in timeline.observations]
    first = min((s.start for s in spans), default=date.today())
    last = max((s.end for s in spans), default=date.today())
    scale = _Scale(first, last)
    title = chart_title(timeline)
    return "\n".join(
        [
            f'<svg id="{escape(element_id, quote=True)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" role="img" '
            f'aria-label="{escape(title, quote=True)}">'
        ]
        + _axes(scale, scale.first, scale.first + timedelta(days=scale.days))
        + _series(timeline, scale)
        + _shift_marks(timeline, marked_shifts(shifts), scale)
        + ["</svg>"]
    )


def render_legend(timeline: Timeline) -> str:
    """The legend paragraph (speakers' line styles, what the marks mean)."""
    return _legend(timeline)


def render_html(timeline: Timeline, shifts: Sequence[Shift]) -> str:
    """The whole page as a string."""
    title = chart_title(timeline)
    poles = "".join(f'<p class="poles">{escape(line)}</p>' for line in pole_lines(timeline))
    svg = render_svg(timeline, shifts)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
{poles}
<p class="note">{escape(evidence_note(timeline))}</p>
{_legend(timeline)}
{svg}
<div id="detail" aria-live="polite"><div class="text">Point at or click a quote to read it.</div>
<div class="meta"></div></div>
{_shift_list(shifts)}
<h2>Quotes</h2>
{_table(timeline)}
<script>{_SCRIPT}</script>
</body></html>
"""
