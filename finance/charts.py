"""The chart of matched against planned hours by provider, drawn as an SVG on the server: two bars a provider, no
script, no inline style (the page's CSP allows neither). The table beside it holds the same figures for those who
cannot see the chart."""

from dataclasses import dataclass

WIDTH = 640
LABEL = 200  # the providers' names, left of the bars
BAR = 12
ROW = 2 * BAR + 14


@dataclass(frozen=True)
class Bar:
    name: str
    y: int
    planned_width: int
    matched_width: int
    planned_hours: str
    matched_hours: str
    percent: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def hours_chart(summaries) -> Chart:
    room = WIDTH - LABEL - 70  # the figures after the bars
    most = max((s.planned_minutes for s in summaries), default=0) or 1
    bars = [
        Bar(
            name=s.provider_name if len(s.provider_name) <= 28 else s.provider_name[:27] + "…",
            y=10 + n * ROW,
            planned_width=max(1, s.planned_minutes * room // most),
            matched_width=s.matched_minutes * room // most,
            planned_hours=f"{s.planned_hours}",
            matched_hours=f"{s.matched_hours}",
            percent=s.matched_percent,
        )
        for n, s in enumerate(summaries)
    ]
    return Chart(bars=bars, width=WIDTH, height=20 + len(bars) * ROW, label_width=LABEL, bar_height=BAR)
