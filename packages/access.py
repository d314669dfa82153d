from django.http import Http404

from people.access import can_view_person

from .models import CarePackage


def access_package(user, package_id: int) -> CarePackage:
    """A package whose person the user may see (people.access), or not found."""
    package = (
        CarePackage.objects.select_related("person", "service_type", "referral", "team").filter(pk=package_id).first()
    )
    if package is None or not can_view_person(user, package.person):
        raise Http404("No such care package, or not one you can see")
    return package
