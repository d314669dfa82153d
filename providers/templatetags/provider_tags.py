from django import template

from people.models import Specialism

register = template.Library()


@register.filter
def specialism_labels(values) -> str:
    """ "Dementia, Autism" for ["dementia", "autism"]; unknown codes are shown as they are."""
    return ", ".join(Specialism(v).label if v in Specialism.values else str(v) for v in values or [])
