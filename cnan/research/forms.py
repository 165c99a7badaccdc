"""Forms of the research pages: they check shape only; the services decide. Unit choices follow the user's scope
(``organization_choices``), programmes, tasks and catalogue products are those the user may see.

The model forms do not run the model's own checks (``_post_clean``): the services run them (``full_clean``) and
compare the record with what it was, which a form must not have changed in place before they look."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cnan.catalogue.models import Product
from cnan.common.forms import DateInput, PortalForm, PortalModelForm
from cnan.core.workflow import Transition
from cnan.organizations.models import Organization
from cnan.organizations.selectors import organization_choices

from . import services
from .models import (
    MINUTES_EXTENSIONS,
    BudgetSource,
    Cooperation,
    FilingStatus,
    GateEvent,
    Grade,
    IPFiling,
    Kind,
    Milestone,
    MilestoneReport,
    Output,
    ResearchGroup,
    ResearchTask,
    TechTransfer,
    validate_minutes_size,
)

MONEY_INPUT = {"inputmode": "decimal"}


def _with_current(qs: Any, current_pks: list[Any]) -> Any:
    """Units the user may use, plus the record's current ones (which may be outside them)."""
    current = [pk for pk in current_pks if pk]
    if current:
        return (qs | Organization.objects.filter(pk__in=current)).distinct().order_by("path")
    return qs


def _units(user: Any, instance: Any, field: str, app_perm: str) -> Any:
    """The units where ``user`` may add the record (a new one) or change it (one being edited)."""
    action = "change" if instance.pk else "add"
    units = organization_choices(user=user, perm=app_perm % action)
    return _with_current(units, [getattr(instance, f"{field}_id", None)] if instance.pk else [])


def _localise(form: forms.BaseForm, *names: str) -> None:
    """Money typed in the page's number format (1.234.567 in Vietnamese)."""
    for name in names:
        if name in form.fields:
            form.fields[name].localize = True
            form.fields[name].widget.is_localized = True


def visible_tasks(user: Any) -> Any:
    return ResearchTask.objects.visible_to(user, "view").order_by("code")


def visible_products(user: Any) -> Any:
    return Product.objects.visible_to(user, "view").order_by("code")


class ShapeOnlyForm(PortalModelForm):
    def _post_clean(self) -> None:
        # The service validates the record (``full_clean``) against what it was: see the module's docstring.
        pass

    def limit(self, name: str, visible: Any) -> None:
        """Offer only ``visible`` records. A record being edited that links to one the user may not see keeps
        its link as it is: the field is left out (its value is neither shown nor sent to the service)."""
        field = self.fields[name]
        if self.instance.pk:
            model_field = self.instance._meta.get_field(name)
            if model_field.many_to_many:
                current = set(getattr(self.instance, name).values_list("pk", flat=True))
            else:
                current = {getattr(self.instance, model_field.attname)} - {None}
            if current and visible.filter(pk__in=current).count() != len(current):
                del self.fields[name]
                self.kept_hidden = [*getattr(self, "kept_hidden", []), field.label]
                return
        field.queryset = visible


# --- tasks ---------------------------------------------------------------------------------------------


class ResearchTaskForm(ShapeOnlyForm):
    class Meta:
        model = ResearchTask
        fields = services.TASK_FIELDS
        widgets = {
            "team": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "budget_total": forms.TextInput(attrs=MONEY_INPUT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _localise(self, "budget_total")
        self.fields["host"].queryset = _units(self.user, self.instance, "host", "research.%s_researchtask")
        programmes = ResearchTask.objects.visible_to(self.user, "view").filter(kind=Kind.PROGRAMME)
        if self.instance.pk:
            programmes = programmes.exclude(pk=self.instance.pk)
        self.limit("programme", programmes.order_by("code"))
        if self.instance.pk and self.instance.stage not in services.EDITABLE_STAGES:
            # Approved: these change only by a gate (the service refuses any change); shown, not typed in.
            for name in services.APPROVED_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Changed only by an adjustment decision.")

    @property
    def budget_editable(self) -> bool:
        return not self.instance.pk or self.instance.stage in services.EDITABLE_STAGES


class BudgetLineForm(PortalForm):
    """One source of the budget in one year."""

    source = forms.ChoiceField(label=_("Source"), choices=[("", "---------"), *BudgetSource.choices])
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    planned = forms.DecimalField(
        label=_("Planned (VND)"),
        max_digits=18,
        decimal_places=0,
        min_value=0,
        localize=True,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )
    disbursed = forms.DecimalField(
        label=_("Disbursed (VND)"),
        max_digits=18,
        decimal_places=0,
        min_value=0,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=3, can_delete=True)
BUDGET_PREFIX = "budget"


def budget_formset(data: Any = None, *, task: ResearchTask | None = None) -> Any:
    """The repeating rows of the budget (the task's current lines to start with)."""
    initial = None
    if task is not None and task.pk:
        initial = [
            {"source": line.source, "year": line.year, "planned": line.planned, "disbursed": line.disbursed}
            for line in task.budget.order_by("year", "source")
        ]
    formset = BudgetFormSet(data, prefix=BUDGET_PREFIX, initial=initial)
    if initial:
        formset.extra = 1
    return formset


def budget_posted(data: Any) -> bool:
    """Whether the budget rows came with the form (a client that leaves them out keeps the budget as it is)."""
    return data is not None and f"{BUDGET_PREFIX}-TOTAL_FORMS" in data


def budget_lines(formset: Any) -> list[dict[str, Any]]:
    """The rows typed in (empty and deleted rows left out), as ``services.task_create/update`` take them."""
    lines = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        lines.append(
            {
                "source": data["source"],
                "year": data["year"],
                "planned": data["planned"],
                "disbursed": data.get("disbursed") or 0,
            }
        )
    return lines


# --- gates ---------------------------------------------------------------------------------------------


class GateForm(PortalForm):
    """The decision of one gate: only the fields that gate records (``Transition.requires_*``), required where
    it needs them (with the workflow's own words)."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    council = forms.CharField(
        label=_("Council members"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One member per line.")
    )
    minutes = forms.FileField(
        label=_("Minutes"),
        validators=[FileExtensionValidator(MINUTES_EXTENSIONS), validate_minutes_size],
        help_text=_("PDF, Word, images or ZIP; at most 20 MB."),
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "---------"), *Grade.choices])
    new_end_on = forms.DateField(
        label=_("New end"), required=False, widget=DateInput, help_text=_("Leave empty to keep the current end.")
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, transition: Transition, task: ResearchTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shown = {"comment", *transition.requires_event}
        if transition.requires_decision:
            shown.add("decision_number")
        if transition.name == "accept_pass" and task.graded:
            shown.add("grade")
        if transition.name == "adjust":
            shown.add("new_end_on")
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        if "decision_number" in self.fields:
            self.fields["decision_number"].error_messages["required"] = gettext(
                "This action needs the number of its decision."
            )
        for name in transition.requires_event:
            self.fields[name].error_messages["required"] = gettext("This action needs its %(field)s.") % {
                "field": GateEvent._meta.get_field(name).verbose_name
            }
        if "grade" in self.fields:
            self.fields["grade"].error_messages["required"] = gettext(
                "A %(level)s task is graded: choose the grade."
            ) % {"level": task.get_level_display()}
        if transition.requires_comment:
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = gettext(
                "Say why: a comment is required for this action."
            )

    def gate_data(self) -> dict[str, Any]:
        """The keyword arguments of ``services.gate_pass`` (the fields this gate does not record left out)."""
        data = dict(self.cleaned_data)
        return {k: v for k, v in data.items() if v not in (None, "")}


# --- roadmap -------------------------------------------------------------------------------------------


class MilestoneForm(ShapeOnlyForm):
    class Meta:
        model = Milestone
        fields = services.MILESTONE_FIELDS
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "expected_output": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Left empty: the next number.")


class MilestoneReportForm(ShapeOnlyForm):
    class Meta:
        model = MilestoneReport
        fields = services.REPORT_FIELDS
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "output_delivered": forms.Textarea(attrs={"rows": 2}),
        }


# --- outputs, filings, transfers, cooperation, groups ------------------------------------------------


class OutputForm(ShapeOnlyForm):
    class Meta:
        model = Output
        fields = services.OUTPUT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit("product", visible_products(self.user))


class FilingForm(ShapeOnlyForm):
    class Meta:
        model = IPFiling
        fields = services.FILING_FIELDS
        widgets = {"inventors": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _units(self.user, self.instance, "owner", "research.%s_ipfiling")
        self.limit("task", visible_tasks(self.user))
        self.limit(
            "output",
            Output.objects.visible_to(self.user, "view")
            .filter(task__in=ResearchTask.objects.visible_to(self.user, "view"))
            .select_related("task")
            .order_by("task__code", "title"),
        )


class FilingAdvanceForm(PortalForm):
    """The filing's next status (``services.filing_advance`` says which may follow which)."""

    status = forms.ChoiceField(label=_("New status"))
    on = forms.DateField(label=_("Since"), widget=DateInput)
    grant_number = forms.CharField(
        label=_("Grant number"), max_length=64, required=False, help_text=_("The certificate number of a grant.")
    )

    def __init__(self, *args: Any, filing: IPFiling, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        following = services.FILING_NEXT.get(filing.status, ())
        if filing.kind in services.SHORT_KINDS and filing.status == FilingStatus.FORMALITY:
            following = (*following, FilingStatus.GRANTED)
        # Every status is accepted (the service explains a refused one); those that may follow come first.
        ordered = [*following, *(s for s in FilingStatus.values if s not in following)]
        self.fields["status"].choices = [(s, FilingStatus(s).label) for s in ordered]


class TransferForm(ShapeOnlyForm):
    class Meta:
        model = TechTransfer
        fields = services.TRANSFER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "value": forms.TextInput(attrs=MONEY_INPUT)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _localise(self, "value")
        self.fields["organization"].queryset = _units(
            self.user, self.instance, "organization", "research.%s_techtransfer"
        )
        self.limit("task", visible_tasks(self.user))
        self.limit("product", visible_products(self.user))


class CooperationForm(ShapeOnlyForm):
    class Meta:
        model = Cooperation
        fields = services.COOPERATION_FIELDS
        widgets = {"activities": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _units(
            self.user, self.instance, "organization", "research.%s_cooperation"
        )


class GroupForm(ShapeOnlyForm):
    class Meta:
        model = ResearchGroup
        fields = services.GROUP_FIELDS
        widgets = {"members": forms.Textarea(attrs={"rows": 3}), "product_groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _units(
            self.user, self.instance, "organization", "research.%s_researchgroup"
        )
        self.limit("tasks", visible_tasks(self.user))
