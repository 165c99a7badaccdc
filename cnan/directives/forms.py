"""Forms check shape only; the services decide. Unit choices follow the user's scope; documents, committees and
meetings are those the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from cnan.common.forms import PortalForm, PortalModelForm
from cnan.organizations.models import Organization
from cnan.organizations.selectors import organization_choices

from . import services
from .models import (
    EVIDENCE_EXTENSIONS,
    DirectiveDocument,
    Meeting,
    ProgressReport,
    SteeringCommittee,
    Task,
    TaskAdjustment,
    validate_evidence_size,
)


def _with_current(qs, current_pks):
    """Choices the user may use, plus the record's current values (which may be outside them)."""
    current = [pk for pk in current_pks if pk]
    if current:
        return (qs | Organization.objects.filter(pk__in=current)).distinct().order_by("path")
    return qs


class CommitteeForm(PortalModelForm):
    class Meta:
        model = SteeringCommittee
        fields = services.COMMITTEE_FIELDS
        widgets = {
            "deputies": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = organization_choices(user=self.user, perm="directives.add_steeringcommittee")
        self.fields["organization"].queryset = _with_current(agencies, [self.instance.organization_id])
        members = Organization.objects.visible_to(self.user, "view").order_by("path")
        current = list(self.instance.members.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["members"].queryset = _with_current(members, current)


class MeetingForm(PortalModelForm):
    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS
        widgets = {"agenda": forms.Textarea(attrs={"rows": 3}), "conclusion": forms.Textarea(attrs={"rows": 3})}


class DocumentForm(PortalModelForm):
    class Meta:
        model = DirectiveDocument
        fields = services.DOCUMENT_FIELDS
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = organization_choices(user=self.user, perm="directives.add_directivedocument")
        self.fields["organization"].queryset = _with_current(units, [self.instance.organization_id])
        self.fields["committee"].queryset = SteeringCommittee.objects.visible_to(self.user, "view")
        self.fields["meeting"].queryset = Meeting.objects.visible_to(self.user, "view").select_related("committee")
        others = DirectiveDocument.objects.visible_to(self.user, "view")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["implements"].queryset = others


class ShownChoices(ModelChoiceIterator):
    """The choices a form shows (``field.shown``), while it accepts any unit: the service then says why a unit
    is refused (a sub-task's lead outside the parent lead's subtree), rather than "not one of the choices"."""

    def __init__(self, field: Any) -> None:
        super().__init__(field)
        self.queryset = getattr(field, "shown", field.queryset)


def show_only(field: forms.ModelChoiceField, shown: Any) -> None:
    field.shown = shown
    field.iterator = ShownChoices
    field.queryset = Organization.objects.all()


class TaskForm(PortalModelForm):
    class Meta:
        model = Task
        fields = services.TASK_FIELDS
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "expected_product": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, parent: Task | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Organization.objects.visible_to(self.user, "view").order_by("path")
        current = [self.instance.lead_id] if self.instance.pk else []
        show_only(self.fields["lead"], _with_current(units, current))
        coordinating = list(self.instance.coordinating.values_list("pk", flat=True)) if self.instance.pk else []
        show_only(self.fields["coordinating"], _with_current(units, coordinating))
        if parent is not None:
            self.fields["lead"].help_text = _("A unit under %(unit)s, the lead of the parent task.") % {
                "unit": parent.lead.name
            }

    def _post_clean(self) -> None:
        # The model's own checks (deadline after the document, same document as the parent) need the
        # document, which the service sets: they run there.
        pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked for type and size."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        return [f for f in files if f]


EVIDENCE_VALIDATORS = (FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size)


class ReportForm(PortalModelForm):
    evidence = MultipleFileField(
        label=_("Evidence files"),
        help_text=_("PDF, Word, Excel, images or ZIP; at most 20 MB each."),
    )

    class Meta:
        model = ProgressReport
        fields = ("reported_on", "percent", "narrative", "product_delivered")
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "product_delivered": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_evidence(self) -> list[Any]:
        files = self.cleaned_data.get("evidence") or []
        errors = []
        for f in files:
            for validator in EVIDENCE_VALIDATORS:
                try:
                    validator(f)
                except forms.ValidationError as exc:
                    errors.extend(f"{f.name}: {m}" for m in exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def _post_clean(self) -> None:
        # The service validates the report against its task (classification, dates, completion).
        pass


class ReviewForm(PortalForm):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentForm(PortalModelForm):
    class Meta:
        model = TaskAdjustment
        fields = services.ADJUSTMENT_FIELDS
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self) -> None:
        pass
