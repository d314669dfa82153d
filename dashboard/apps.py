from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The top floor (../shared/DESIGN.md): each role's home page, the navigation and the demo data. It reads
    every other app, so nothing imports it."""

    name = "dashboard"
    verbose_name = "Home pages and navigation"
