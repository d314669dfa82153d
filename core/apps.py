from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        from .middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="core.start_session_clock")
        # Each app's table of who may reach its pages (core.permissions), read by PermissionTableMiddleware.
        autodiscover_modules("permissions")
