from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.services import record_view
from core.exceptions import ActionRefused
from core.views import refuse

from . import services
from .access import access_review
from .forms import CancelReviewForm, RecordReviewForm
from .models import REVIEW_MACHINE

# The forms on the review page, by the step whose action shows them.
ACTION_FORMS = {RecordReviewForm: "record", CancelReviewForm: "cancel"}


@require_GET
def review_detail(request, review_id: int):
    return review_page(request, access_review(request.user, review_id))


def review_page(request, review, *, bound: forms.Form | None = None):
    """The review page with its forms empty; or, for a form sent with errors, the page again with that form as it
    was sent and status 400."""
    record_view(actor=request.user, obj=review, person=review.person, what=f"review {review.reference}")
    actions = REVIEW_MACHINE.actions(review, request.user)
    for form_class, name in ACTION_FORMS.items():
        if isinstance(bound, form_class) and name not in {a.name for a in actions}:
            actions.append(REVIEW_MACHINE.action(name))

    def form(form_class):
        return bound if isinstance(bound, form_class) else form_class()

    context = {
        "review": review,
        "package": review.package,
        "person": review.person,
        "actions": actions,
        "form": bound,
        "record_form": form(RecordReviewForm),
        "cancel_form": form(CancelReviewForm),
        "transitions": list(review.transitions.select_related("by")),
        "picture": REVIEW_MACHINE.picture(review.state),
    }
    return render(request, "reviews/review_detail.html", context, status=400 if bound is not None else 200)


def _post(request, review_id: int, form_class, act, success: str):
    review = access_review(request.user, review_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return review_page(request, review, bound=form)
    try:
        act(review, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return refuse(request, refusal, obj=review, person=review.person, redirect_to=review.get_absolute_url())
    messages.success(request, success)
    return redirect(review.get_absolute_url())


@require_POST
def review_record(request, review_id: int):
    return _post(request, review_id, RecordReviewForm, services.record_review, "The review is recorded as done.")


@require_POST
def review_cancel(request, review_id: int):
    return _post(request, review_id, CancelReviewForm, services.cancel_review, "The review is cancelled.")
