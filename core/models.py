from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Created and modified on and by, as on every case record."""

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        abstract = True


class FormSubmission(models.Model):
    """A form that has done its work: the one-time token it carried, and where its result is.

    The same form sent again (a double click, a resubmitted page, three requests at once) finds its
    token here and goes to the first result instead of making a second one (core.once).
    """

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Form {self.token} sent by {self.user_id}"


class SentEmail(models.Model):
    """E-mails that have gone, by what they were about (core.mail.send_once): a task run again after a retry,
    a redelivery or a crash finds its key here and sends nothing a second time."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    messages = models.PositiveIntegerField(default=0, help_text="How many e-mails went (one a recipient).")

    def __str__(self) -> str:
        return f"{self.key}: {self.messages} sent"


class BankHoliday(models.Model):
    """A day the council's offices are closed besides weekends, kept by admin staff in Django admin.
    Routine sourcing targets count working days (core.calendar)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%-d %B %Y})"
