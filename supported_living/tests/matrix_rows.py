"""Supported living's rows of the permission matrix (core.tests.test_permission_matrix).

Person D (East, held by sw) has supported living waiting for the panel's funding decision: the panel sees D while
it does, as do the social worker and the East team. The world's provider was not chosen to assess D: it gets "not
found" in its portal."""

from core.tests.matrix import BROKERAGE, LOGGED_IN, STAFF, expect, gate

SEES_D = {"sw", "officer_east", "lead_east", "cap"}


def _supported_living(world):
    if "supported_living" not in world:
        from people.tests.factories import make_person
        from supported_living.tests.factories import awaiting_funding

        users = world["users"]
        d = make_person(users["sw"], world["east"], last_name="Dawson")
        world["supported_living"] = awaiting_funding(d, users["hos"], users["officer_east"], users["cap"]).placement
    return world["supported_living"]


def _pk(world):
    return [_supported_living(world).pk]


def _chosen(world):
    return [_supported_living(world).chosen.order_by("id").first().pk]


NOT_CHOSEN = expect(set(), seen={"provider"}, seen_code=404, other=403) | {"anon": 302}

GET_ROWS = {
    "supported_living:detail": (_pk, gate(STAFF, expect(SEES_D))),
    "supported_living:publish": (_pk, gate(BROKERAGE, expect(set(), seen=SEES_D, seen_code=302))),
    "supported_living:agreement": (_pk, gate(STAFF, expect(set()))),  # not commissioned: no agreement yet
    "supported_living:proposal": (_pk, gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "supported_living:review": (_pk, gate(STAFF, expect(LOGGED_IN, ok_code=405))),
    "supported_living:step": (
        lambda w: [*_pk(w), "decide-funding"],
        gate(STAFF, expect(LOGGED_IN, ok_code=405)),
    ),
    "portal:supported_living_assessment": (_chosen, NOT_CHOSEN),
    "portal:supported_living_agreement": (_chosen, NOT_CHOSEN),
}
