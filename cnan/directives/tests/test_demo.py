"""The demo steering and directives: built by `manage.py cnan demo` through the services, with every status."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

import pytest

from cnan.core.models import ObjectChange
from cnan.directives.filters import slipping_q
from cnan.directives.models import DirectiveDocument, ProgressReport, Status, SteeringCommittee, Task

pytestmark = pytest.mark.django_db


def test_demo_directives_hold_every_status_and_some_slip():
    output = StringIO()
    call_command("cnan", "demo", stdout=output)
    assert "… directives" in output.getvalue()

    assert set(SteeringCommittee.objects.values_list("code", flat=True)) == {"BCĐ 57", "BCĐ 158"}
    numbers = set(DirectiveDocument.objects.values_list("number", flat=True))
    assert {"12-NQ/TW", "57-NQ/TW", "158-KL/TW", "03/CT-BCA", "14/QĐ-TTg", "118/KH-BCA", "DATT-CNAN"} <= numbers
    plan = DirectiveDocument.objects.get(number="118/KH-BCA")
    assert list(plan.implements.values_list("number", flat=True)) == ["12-NQ/TW"]
    project = DirectiveDocument.objects.get(number="DATT-CNAN")
    assert set(project.implements.values_list("number", flat=True)) == {"14/QĐ-TTg", "118/KH-BCA"}
    # the seven key areas of the 2023 conference, the fifth cascaded to the enterprises
    notice = DirectiveDocument.objects.get(kind=DirectiveDocument.Kind.NOTICE)
    assert notice.tasks.filter(parent__isnull=True).count() == 7
    cascaded = notice.tasks.filter(parent__number="5")
    assert cascaded.count() == 3 and all(t.assigned_by.code == "H08" for t in cascaded)

    statuses = set(Task.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Task.objects.filter(slipping_q()).count() >= 2
    assert Task.objects.filter(regular=True).count() >= 4
    assert Task.objects.filter(status=Status.PAUSED).count() == 1
    assert ProgressReport.objects.filter(state=ProgressReport.State.RETURNED).exists()
    assert ProgressReport.objects.filter(state=ProgressReport.State.SUBMITTED).exists()
    # written through the audited services
    assert ObjectChange.objects.filter(content_type__model="task", action="create").count() == Task.objects.count()
