"""Django's own password forms, dressed as GOV.UK forms."""

from django.contrib.auth import forms as auth_forms

from core.forms import GovUKFormMixin


class PasswordChangeForm(GovUKFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(GovUKFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(GovUKFormMixin, auth_forms.SetPasswordForm):
    pass
