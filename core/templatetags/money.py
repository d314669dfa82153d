from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    """Pounds as people write them: £1,234.56 (nothing for no amount)."""
    return f"£{amount:,.2f}" if amount is not None else ""
