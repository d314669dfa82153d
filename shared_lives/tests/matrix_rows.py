"""Shared lives' rows in the permission matrix (core.tests.test_permission_matrix). Person D (East, held by sw) has
a shared lives arrangement waiting for the panel, with the world's provider as the scheme: sw, the panel and the
scheme's staff open it; nobody else finds it."""

from core.tests.matrix import LOGGED_IN, expect, gate

# Who sees person D's arrangement at the panel.
SEES_D = {"sw", "cap", "provider"}


def arrangement(world):
    """Made only for the rows that need it, once per world."""
    if "shared_lives" not in world:
        from people.tests.factories import make_person
        from providers.tests.factories import ProviderServiceFactory
        from shared_lives.tests import factories as f

        scheme = world["users"]["provider"].provider
        ProviderServiceFactory(provider=scheme, service_type_id="shared_lives", weekly_hours_capacity=None)
        d = make_person(world["users"]["sw"], world["east"], last_name="Dunn")
        world["shared_lives"] = f.at_panel(d, provider=scheme).arrangement
    return world["shared_lives"]


GET_ROWS = {
    "shared_lives:detail": (lambda w: [arrangement(w).pk], gate(LOGGED_IN, expect(SEES_D))),
    "shared_lives:refer": (lambda w: [arrangement(w).person_id], gate({"sw", "sw2", "spa"}, expect({"sw"}))),
    "shared_lives:step": (lambda w: [arrangement(w).pk, "decide-funding"], expect(LOGGED_IN, ok_code=405)),
    "shared_lives:scheme_list": (lambda w: [], gate({"provider"}, expect({"provider"}))),
}
