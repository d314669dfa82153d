from django.http import Http404

from .models import Concern


def access_concern(user, concern_id: int) -> Concern:
    """The receiving team, or whoever raised it, may see a concern."""
    concern = Concern.objects.select_related("person", "raised_by", "handled_by").filter(pk=concern_id).first()
    if concern is None or not (user.has_role(concern.routed_to) or concern.raised_by_id == user.pk):
        raise Http404("No such concern, or not one for you")
    return concern
