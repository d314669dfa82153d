"""One workflow engine for every state machine (DESIGN.md): a transition applied with its log row and audit
entry, the reasons one cannot happen now, what a user may do on a page, and a picture of the machine.

A machine is a model with an FSMField whose steps are declared with django-fsm-2's @transition: each
condition's docstring is the reason given when it is unmet, each permission a rule about who may act. A step
that has a button or form on the object's page says so in `custom`:
    "action": the template drawing it (a step without one is taken elsewhere, by another step's form);
    "form_supplies": conditions its own form meets, so it is offered before they hold (a reason is typed in).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django_fsm import Transition

from audit.services import record_transition

from .exceptions import ActionRefused

MACHINES: list["Machine"] = []  # every machine, as each is declared: the step coverage test reads them


@dataclass(frozen=True)
class Action:
    """A step the user may take on this page now: its name and the template of its button or form."""

    name: str
    template: str


@dataclass(frozen=True, eq=False)  # hashed by identity: one per model, and its pictures are cached by it
class Machine:
    """A model's state machine and where its steps are logged (a TransitionRecord of the model's own app)."""

    model: type[models.Model]
    log: type[models.Model]
    subject: str  # the log's foreign key to the object, e.g. "referral"
    title: str  # the picture's title, e.g. "How a referral moves through Brokerage"
    layout: dict[str, tuple[int, int]]  # state -> (column, row) in the picture
    state_field: str = "state"
    person_of: Callable[[Any], Any] = field(default=lambda obj: None)
    called: str = ""  # what the object is called in a refusal, if not its model's verbose name
    not_permitted: str = ""  # the refusal for a user the step's permission turns away, if not the general one

    def __post_init__(self):
        MACHINES.append(self)

    @property
    def noun(self) -> str:
        return self.called or str(self.model._meta.verbose_name)

    def labels(self) -> dict[str, str]:
        return dict(self.model._meta.get_field(self.state_field).choices)

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def steps(self) -> list[Transition]:
        """Every declared step (one per source state), in the order they are written in the model."""
        found = self.model._meta.get_field(self.state_field).get_all_transitions(self.model)
        return sorted(found, key=lambda t: (t.method.__code__.co_firstlineno, str(t.source)))

    def step(self, obj, name: str) -> Transition | None:
        return getattr(obj, name)._django_fsm.get_transition(self.state_of(obj))

    # Asking -----------------------------------------------------------------------------------------------
    def may(self, obj, name: str, user) -> bool:
        """May this user take this step from the object's state now, conditions aside? Asked apart from the
        conditions so that a refusal can say which rule said no."""
        step = self.step(obj, name)
        return step is not None and step.has_perm(obj, user)

    def unmet_conditions(self, obj, name: str, *, skip=()) -> list[str]:
        """Why the step cannot happen now, in words for the user (each unmet condition's docstring)."""
        step = self.step(obj, name)
        if step is None:
            state = self.labels().get(self.state_of(obj), self.state_of(obj))
            article = "An" if self.noun[:1] in "aeiou" else "A"  # an approval, a referral
            return [f"{article} {self.noun} that is “{str(state).lower()}” cannot do this."]
        return [(c.__doc__ or c.__name__).strip() for c in step.conditions if c not in skip and not c(obj)]

    def actions(self, obj, user) -> list[Action]:
        """The steps with a page action this user may take now, in the machine's order: the buttons come
        from the machine, never from a list kept in a view or template."""
        offered = []
        for step in self.steps():
            template = step.custom.get("action")
            if template is None or (step.source != self.state_of(obj) and step.source not in ("*", "+")):
                continue
            if step.has_perm(obj, user) and not self.unmet_conditions(
                obj, step.name, skip=step.custom.get("form_supplies", ())
            ):
                offered.append(Action(step.name, template))
        return list({a.name: a for a in offered}.values())

    def action(self, name: str) -> Action:
        """The page action of a step, whatever the state: to show its form again with the errors it was sent
        with, even if the step is no longer open (sent corrected, it says why not)."""
        return next(Action(s.name, s.custom["action"]) for s in self.steps() if s.name == name and "action" in s.custom)

    def ensure_may(self, obj, name: str, user, *, not_permitted: str = "") -> None:
        """Refuse, with the reason, a step this user may not take from the object's state now, conditions aside.
        A service calls it before another app's service, so the refusal is the machine's own, in its words."""
        if self.step(obj, name) is None:
            raise ActionRefused(self.unmet_conditions(obj, name)[0])
        if not self.may(obj, name, user):
            raise ActionRefused(
                not_permitted or self.not_permitted or f"You do not have permission to do this to this {self.noun}."
            )

    # Doing ------------------------------------------------------------------------------------------------
    def apply(self, obj, name: str, *, acting_user, note: str = ""):
        """Take one step, refusing with the reason, and log it (who, when, from, to, why) and audit it.
        The caller holds the row lock and the transaction."""
        self.ensure_may(obj, name, acting_user)
        reasons = self.unmet_conditions(obj, name)
        if reasons:
            raise ActionRefused(" ".join(reasons))
        source = self.state_of(obj)
        getattr(obj, name)()
        obj.save()
        target = self.state_of(obj)
        self.log.objects.create(
            **{self.subject: obj}, name=name, source=source, target=target, by=acting_user, note=note
        )
        record_transition(
            actor=acting_user, obj=obj, person=self.person_of(obj), source=source, target=target, name=name, note=note
        )
        return obj

    # Drawing ----------------------------------------------------------------------------------------------
    def edges(self) -> list[tuple[str, str, str]]:
        """(source, target, names) for every move between two states; steps between the same two states share
        one arrow."""
        names: dict[tuple[str, str], list[str]] = {}
        for step in self.steps():
            if step.source in ("*", "+") or step.source == step.target:
                continue
            names.setdefault((step.source, step.target), []).append(step.name.replace("_", " "))
        return sorted((source, target, " or ".join(sorted(set(n)))) for (source, target), n in names.items())

    def picture(self, current: str | None = None) -> str:
        """The machine as an SVG with a list of every step, the current state marked."""
        return _picture(self, current)


class TransitionRecord(models.Model):
    """One step of a machine, as its timeline shows it: who took it, when, from and to which state, and why.
    Each app keeps its own table of these (a concrete subclass with a foreign key to its object)."""

    name = models.CharField(max_length=50)
    source = models.CharField(max_length=32)
    target = models.CharField(max_length=32)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.source} → {self.target}"


# The picture --------------------------------------------------------------------------------------------------
BOX_W, BOX_H, COL_W, ROW_H, PAD = 270, 52, 390, 110, 20


def _centre(layout, state) -> tuple[float, float]:
    col, row = layout[state]
    return PAD + col * COL_W + BOX_W / 2, PAD + row * ROW_H + BOX_H / 2


def _edge_point(layout, state, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's centre towards a point leaves the box."""
    cx, cy = _centre(layout, state)
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min((BOX_W / 2) / abs(dx) if dx else float("inf"), (BOX_H / 2) / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def _arrow(layout, source, target, name, pairs) -> dict:
    start = _edge_point(layout, source, _centre(layout, target))
    end = _edge_point(layout, target, _centre(layout, source))
    (sc, sr), (tc, tr) = layout[source], layout[target]
    between = {(sc, r) for r in range(min(sr, tr) + 1, max(sr, tr))}
    if sc == tc and between & set(layout.values()):
        # A long jump down one column would cross the boxes between: bow it out to the left.
        start = (start[0] - BOX_W / 2, _centre(layout, source)[1])
        end = (end[0] - BOX_W / 2, _centre(layout, target)[1])
        bend = (start[0] - COL_W * 0.4, (start[1] + end[1]) / 2)
        path = f"M {start[0]:.0f} {start[1]:.0f} Q {bend[0]:.0f} {bend[1]:.0f} {end[0]:.0f} {end[1]:.0f}"
        return {"path": path, "label": name, "lx": bend[0] + 40, "ly": bend[1]}
    shift = 0
    if (target, source) in pairs:  # two arrows between the same states, one each way: side by side
        shift = 12 if (source, target) < (target, source) else -12
        start, end = (start[0] + shift, start[1]), (end[0] + shift, end[1])
    lx = (start[0] + end[0]) / 2 + (60 if shift > 0 else -60 if shift < 0 else 0)
    return {
        "path": f"M {start[0]:.0f} {start[1]:.0f} L {end[0]:.0f} {end[1]:.0f}",
        "label": name,
        "lx": lx,
        "ly": (start[1] + end[1]) / 2 - 6,
    }


@cache
def _picture(machine: Machine, current: str | None) -> str:
    """Drawn once per machine and state per process: it holds nothing about anyone."""
    layout, labels = machine.layout, machine.labels()
    edges = machine.edges()
    pairs = {(s, t) for s, t, _ in edges}
    boxes = [
        {
            "label": labels[state],
            "x": PAD + col * COL_W,
            "y": PAD + row * ROW_H,
            "text_x": PAD + col * COL_W + BOX_W / 2,
            "text_y": PAD + row * ROW_H + BOX_H / 2 + 5,
            "current": state == current,
        }
        for state, (col, row) in layout.items()
    ]
    # Steps into a state reached from everywhere (withdrawn) would cross the picture: the first stands for all.
    drawn, seen_targets = [], set()
    crowded = {t for t in {t for _, t, _ in edges} if sum(1 for _, x, _ in edges if x == t) > 3}
    for source, target, name in edges:
        if target in crowded:
            if target in seen_targets:
                continue
            seen_targets.add(target)
        drawn.append(_arrow(layout, source, target, name, pairs))
    cols = max(c for c, _ in layout.values()) + 1
    rows = max(r for _, r in layout.values()) + 1
    return render_to_string(
        "includes/state_machine.html",
        {
            "title": machine.title,
            "slug": machine.model._meta.model_name,
            "boxes": boxes,
            "edges": drawn,
            "width": PAD * 2 + (cols - 1) * COL_W + BOX_W,
            "height": PAD * 2 + (rows - 1) * ROW_H + BOX_H,
            "steps": [(name, labels[s], labels[t]) for s, t, name in edges],
        },
    )
