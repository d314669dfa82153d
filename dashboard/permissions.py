"""Who may reach the home page (core.permissions): everyone signed in has one; a provider's is its portal."""

from core.permissions import SIGNED_IN, register

register("", {"home": SIGNED_IN})
