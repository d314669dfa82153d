from django import template

register = template.Library()


@register.filter
def timesince_days(delta) -> str:
    """A timedelta as a reader would say it: "3 days 4 hours", "5 hours"."""
    if delta is None:
        return ""
    days, hours = delta.days, delta.seconds // 3600
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours or not days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts)
