"""Who may reach the sign-in and password pages (core.permissions): signing in and resetting a forgotten password
need no sign-in; the rest do."""

from core.permissions import ANYONE, SIGNED_IN, register

register(
    "",
    {
        "login": ANYONE,
        "logout": SIGNED_IN,
        "password_change": SIGNED_IN,
        "password_change_done": SIGNED_IN,
        "password_reset": ANYONE,
        "password_reset_done": ANYONE,
        "password_reset_confirm": ANYONE,
        "password_reset_complete": ANYONE,
    },
)
