"""Changing a password when signed in, and resetting a forgotten one by e-mail.

The reset answers the same whether or not the address belongs to anyone, so it cannot be used to
find out who has an account; the link works once, for PASSWORD_RESET_TIMEOUT.
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm

urlpatterns = [
    path("password/", auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm), name="password_change"),
    path("password/changed/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            success_url=reverse_lazy("password_reset_done"),
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm, success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
