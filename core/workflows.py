"""What every state machine's engine does alike (../shared/DESIGN.md: one workflow engine, written once): ask
django-fsm-2 whether a user may make a transition now, and say why not in words. Each app's service then runs the
transition and writes its own log row and audit entry (referrals.services, packages.services)."""

from core.exceptions import ActionRefused


def _meta_and_state(obj, transition_name: str):
    meta = getattr(obj, transition_name)._django_fsm
    field = meta.field if isinstance(meta.field, str) else meta.field.name
    return meta, field, getattr(obj, field)


def user_may(obj, transition_name: str, user) -> bool:
    """May this user make this transition from the object's current state, conditions aside?

    django-fsm's has_transition_perm also checks conditions; the two questions are asked apart so that a refusal
    can say which rule said no."""
    meta, _, state = _meta_and_state(obj, transition_name)
    return meta.has_transition(state) and meta.has_transition_perm(obj, state, user)


def unmet_conditions(obj, transition_name: str, *, called: str) -> list[str]:
    """Why the transition cannot happen now, in words for the user: the state it is in, or each unmet condition's
    docstring. `called` is what the object is called in a sentence ("referral")."""
    meta, field, state = _meta_and_state(obj, transition_name)
    transition = meta.get_transition(state)
    if transition is None:
        shown = getattr(obj, f"get_{field}_display")()
        return [f"A {called} that is “{shown.lower()}” cannot do this."]
    return [(c.__doc__ or c.__name__).strip() for c in transition.conditions if not c(obj)]


def refuse_unless_allowed(obj, transition_name: str, user, *, called: str, not_permitted: str) -> None:
    """ActionRefused, saying why, unless the user may make the transition now: first the state, then who may, then
    each condition."""
    meta, _, state = _meta_and_state(obj, transition_name)
    if not meta.has_transition(state):
        raise ActionRefused(unmet_conditions(obj, transition_name, called=called)[0])
    if not meta.has_transition_perm(obj, state, user):
        raise ActionRefused(not_permitted)
    reasons = unmet_conditions(obj, transition_name, called=called)
    if reasons:
        raise ActionRefused(" ".join(reasons))
