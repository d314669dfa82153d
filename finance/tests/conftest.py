"""What reconciliation's and payment's tests share: a week that is over, and a call monitoring file to hang the
logged visits on."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

AFTER_THE_WEEK = datetime(2027, 9, 6, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # the Monday after the factories' week


@pytest.fixture
def after_the_week(settings, tmp_path):
    """Today is after the week (only days that are over are reconciled and paid), and PDFs go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(AFTER_THE_WEEK, tick=False):
        yield


@pytest.fixture
def upload(finance_officer):
    from finance.models import CallMonitoringImport

    return CallMonitoringImport.objects.create(
        file_name="week.csv", sha256="b" * 64, size=1, uploaded_by=finance_officer, status="imported"
    )
