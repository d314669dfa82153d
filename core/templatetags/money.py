from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    """Pounds as people write them: £1,234.56 (nothing for no amount)."""
    return f"£{amount:,.2f}" if amount is not None else ""


@register.filter
def pence(amount: int | None) -> str:
    """Integer pence as pounds, exactly: 123456 is £1,234.56 (nothing for no amount)."""
    return f"£{Decimal(amount) / 100:,.2f}" if amount is not None else ""
