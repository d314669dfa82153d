"""The referral state machine drawn as an SVG, from the transitions declared in workflows.py."""

from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string

from .models import Referral
from .workflows import State

# Where each state sits on the page (column, row): the main path runs down the middle.
LAYOUT = {
    State.DRAFT: (1, 0),
    State.REFERRED_ON: (0, 0),
    State.HELD_FOR_RISK: (0, 1),
    State.AWAITING_FUNDING: (2, 1),
    State.DECLINED: (2, 2),
    State.QUEUED: (1, 2),
    State.ALLOCATED: (1, 3),
    State.OPTIONS_RETURNED: (0, 3),
    State.WITHDRAWN: (2, 3),
    State.REQUIREMENT_PUBLISHED: (1, 4),
    State.BIDDING_CLOSED: (1, 5),
    State.PROVIDER_SELECTED: (1, 6),
    State.DETAILS_SHARED: (1, 7),
    State.ACTIVE: (1, 8),
}


BOX_W, BOX_H, COL_W, ROW_H, PAD = 270, 52, 390, 110, 20


@dataclass
class Box:
    state: str
    label: str
    x: int
    y: int
    current: bool
    width: int = BOX_W
    height: int = BOX_H

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2 + 5


@dataclass
class Edge:
    path: str
    label: str
    lx: float
    ly: float


def _centre(state) -> tuple[float, float]:
    col, row = LAYOUT[state]
    return PAD + col * COL_W + BOX_W / 2, PAD + row * ROW_H + BOX_H / 2


def _edge_point(state, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's centre towards a point leaves the box."""
    cx, cy = _centre(state)
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min((BOX_W / 2) / abs(dx) if dx else float("inf"), (BOX_H / 2) / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def transitions() -> list[tuple[str, str, str]]:
    """(source, target, names) for every declared move between two states; two transitions
    between the same states (take, allocate) share one arrow."""
    field = Referral._meta.get_field("state")
    names: dict[tuple[str, str], list[str]] = {}
    for transition in field.get_all_transitions(Referral):
        if transition.source in ("*", "+") or transition.source == transition.target:
            continue
        names.setdefault((transition.source, transition.target), []).append(transition.name.replace("_", " "))
    return sorted((source, target, " or ".join(sorted(n))) for (source, target), n in names.items())


def diagram(current_state: str | None = None) -> dict:
    boxes = [
        Box(state=s, label=State(s).label, x=PAD + c * COL_W, y=PAD + r * ROW_H, current=s == current_state)
        for s, (c, r) in LAYOUT.items()
    ]
    edges = []
    pairs = {(source, target) for source, target, _ in transitions()}
    for source, target, name in transitions():
        if target == State.WITHDRAWN and source != State.ALLOCATED:
            continue  # one withdrawal arrow stands for all, to keep the picture readable
        start = _edge_point(source, _centre(target))
        end = _edge_point(target, _centre(source))
        (sc, sr), (tc, tr) = LAYOUT[source], LAYOUT[target]
        between = {(sc, r) for r in range(min(sr, tr) + 1, max(sr, tr))}
        if sc == tc and between & set(LAYOUT.values()):
            # A long jump down one column would cross the boxes between: bow it out to the left.
            start = (start[0] - BOX_W / 2, _centre(source)[1])
            end = (end[0] - BOX_W / 2, _centre(target)[1])
            bend = (start[0] - COL_W * 0.4, (start[1] + end[1]) / 2)
            path = f"M {start[0]:.0f} {start[1]:.0f} Q {bend[0]:.0f} {bend[1]:.0f} {end[0]:.0f} {end[1]:.0f}"
            edges.append(Edge(path=path, label=name, lx=bend[0] + 40, ly=bend[1]))
            continue
        if (target, source) in pairs:
            # Two arrows between the same states, one each way: draw them side by side.
            shift = 12 if (source, target) < (target, source) else -12
            start, end = (start[0] + shift, start[1]), (end[0] + shift, end[1])
        path = f"M {start[0]:.0f} {start[1]:.0f} L {end[0]:.0f} {end[1]:.0f}"
        lx = (start[0] + end[0]) / 2 + (60 if (target, source) in pairs and start[0] > _centre(source)[0] else 0)
        lx -= 60 if (target, source) in pairs and start[0] < _centre(source)[0] else 0
        edges.append(Edge(path=path, label=name, lx=lx, ly=(start[1] + end[1]) / 2 - 6))
    cols = max(c for c, _ in LAYOUT.values()) + 1
    rows = max(r for _, r in LAYOUT.values()) + 1
    return {
        "boxes": boxes,
        "edges": edges,
        "width": PAD * 2 + (cols - 1) * COL_W + BOX_W,
        "height": PAD * 2 + (rows - 1) * ROW_H + BOX_H,
        "all_transitions": transitions(),
    }


@cache
def diagram_html(current_state: str | None = None) -> str:
    """The picture as HTML, drawn once per state per process: it holds nothing about anyone."""
    return render_to_string("referrals/_diagram.html", {"diagram": diagram(current_state)})
