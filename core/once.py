"""One action, one result: a create form does its work once, however many times it is sent.

Each create form carries a one-time token (OneTimeForm). The view runs the domain action through
`submit_once`, which claims the token in the same transaction: a second request with the token
waits on the first's row lock in PostgreSQL, then finds it claimed and goes to the first result.
A refused action rolls the claim back, so the form can be corrected and sent again.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.utils import timezone

from .exceptions import ActionRefused
from .models import FormSubmission

TOKEN = "form_token"
EXPIRED = "This form has expired. Reload the page and enter your answers again."


class OneTimeForm(forms.Form):
    """Adds the hidden one-time token; mix in before the form class."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": EXPIRED, "invalid": EXPIRED})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[TOKEN] = uuid.uuid4()

    def renew_token(self) -> None:
        """For a form shown again with its errors: a new token, so the corrected form is a new sending
        (the one refused claimed nothing, and its own token may be the missing or expired one)."""
        self.data = self.data.copy()
        self.data[TOKEN] = str(uuid.uuid4())

    def action_data(self) -> dict:
        """The cleaned data for the domain action, without the token."""
        return {name: value for name, value in self.cleaned_data.items() if name != TOKEN}


@dataclass(frozen=True)
class Submitted:
    url: str
    repeated: bool  # True: this form had already done its work, nothing new was made
    result: models.Model | None = None


def _claim(token: uuid.UUID, user) -> FormSubmission | None:
    """Claim the token; the earlier submission if it was already claimed (by this user)."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=user)
        return None
    except IntegrityError:
        earlier = FormSubmission.objects.get(token=token)
        if earlier.user_id != user.pk:
            raise ActionRefused(EXPIRED) from None
        return earlier


def submit_once(
    form: OneTimeForm, *, user, action: Callable[[dict], models.Model], url: Callable[[models.Model], str] | None = None
) -> Submitted:
    """Run `action(form.action_data())` once for the form's token, and say where its result is."""
    token = form.cleaned_data[TOKEN]
    with transaction.atomic():
        earlier = _claim(token, user)
        if earlier is not None:
            return Submitted(earlier.result_url, repeated=True)
        result = action(form.action_data())
        where = url(result) if url else result.get_absolute_url()
        FormSubmission.objects.filter(token=token).update(result_url=where)
    return Submitted(where, repeated=False, result=result)


ALREADY_SENT = "That form had already been sent, so nothing new was made. This is what it made."
# A form page left open longer than this and then sent again would make a second result: a week covers a
# resubmitted page or a browser's restored tab, and keeps the table small.
REMEMBER_FOR = timedelta(days=7)


def forget_old_submissions(*, now=None) -> int:
    """Delete the tokens of forms sent more than REMEMBER_FOR ago. Safe to run twice. Returns how many."""
    cutoff = (now or timezone.now()) - REMEMBER_FOR
    deleted, _ = FormSubmission.objects.filter(submitted_at__lt=cutoff).delete()
    return deleted


def redirect_after(request, sent: Submitted, success: Callable[[models.Model], str]):
    """Where a create form goes next: to what it made, saying so, or to what it had already made."""
    if sent.repeated:
        messages.info(request, ALREADY_SENT)
    else:
        messages.success(request, success(sent.result))
    return redirect(sent.url)
