"""Sections that other apps add to a person's page, to a care and support plan's page, and to a care package's page.

What a person receives (their service agreements, with the purchase orders issued for them), the work under way
for them (their referrals to Brokerage) and the decisions on a plan (approvals) are held by apps on higher floors
than people (../shared/DESIGN.md: arrows point down), so these pages cannot import them. Each such app registers
a section from its ready(), as referrals registers its needs in people.access: the page it goes on, a template, a
function giving that template's context for the user and the page's subject (the person, or the plan), and its
position. A page shows its sections by position, lowest first, whatever order the apps are loaded in.

A section's function is only ever given a person (or a plan of a person) the user may see. It reads a fixed number
of queries however much there is, and applies any rule of its own app: a link to one of its pages is shown only
to those who may open it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

SectionContext = Callable[[object, object], dict]


class Page(StrEnum):
    PERSON = "person"  # given the person
    PLAN = "plan"  # given the care and support plan
    PACKAGE = "package"  # given a care package (packages' page; its reviews are a floor-mate's that it cannot import)


@dataclass(frozen=True)
class Section:
    template: str
    context: dict


_sections: dict[Page, dict[str, tuple[int, str, SectionContext]]] = {page: {} for page in Page}


def register_section(
    name: str, *, template: str, context: SectionContext, position: int, page: Page = Page.PERSON
) -> None:
    """Called from an app's ready(): `name` says what the section shows (kept unique on its page)."""
    _sections[page][name] = (position, template, context)


def sections_for(user, subject, *, page: Page = Page.PERSON) -> list[Section]:
    """Each section registered for the page, by position, with its context for a subject `user` may see
    (people.access)."""
    return [
        Section(template, context(user, subject))
        for _, template, context in sorted(_sections[page].values(), key=lambda section: section[0])
    ]
