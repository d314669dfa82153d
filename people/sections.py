"""Sections that other apps add to a person's page.

What a person receives (their service agreements, with the purchase orders issued for them) and the work under
way for them (their referrals to Brokerage) are held by apps on higher floors than people (../shared/DESIGN.md:
arrows point down), so the person page cannot import them. Each such app registers a section from its ready(),
as referrals registers its needs in people.access: a template, a function giving that template's context for
the user and the person, and its position. The person page shows the sections by position, between the
person's details and their plans.

A section's function is only ever given a person the user may see. It reads a fixed number of queries
however much the person has, and applies any rule of its own app: a link to one of its pages is shown only
to those who may open it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Person

SectionContext = Callable[[object, Person], dict]


@dataclass(frozen=True)
class Section:
    template: str
    context: dict


_sections: dict[str, tuple[int, str, SectionContext]] = {}


def register_section(name: str, *, template: str, context: SectionContext, position: int) -> None:
    """Called from an app's ready(): `name` says what the section shows (kept unique); the page shows sections
    by `position`, lowest first, whatever order the apps are loaded in."""
    _sections[name] = (position, template, context)


def sections_for(user, person: Person) -> list[Section]:
    """Each registered section with its context, for a person `user` may see (people.access.access_person)."""
    return [
        Section(template, context(user, person))
        for _, template, context in sorted(_sections.values(), key=lambda section: section[0])
    ]
