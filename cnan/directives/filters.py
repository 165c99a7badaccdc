"""One FilterSet per list of the directives app, shared by the pages, the API and the selectors."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cnan.core.classification import Classification
from cnan.core.search import text_filter
from cnan.organizations.models import Organization

from .models import DirectiveDocument, Status, SteeringCommittee, Task

_BOOL = [("true", _("Yes")), ("false", _("No"))]
RAG = [("red", _("Red: overdue or will miss")), ("amber", _("Amber: due within 30 days")), ("green", _("Green"))]


def _units(request=None):
    if request is None:
        return Organization.objects.all()
    return Organization.objects.visible_to(request.user, "view")


# The choices of a page's filter form are what its user may see (the names of other units' documents and
# committees do not leak); without a request (API, selectors, jobs) the rows are filtered anyway.
def _documents(request=None):
    if request is None:
        return DirectiveDocument.objects.all()
    return DirectiveDocument.objects.visible_to(request.user, "view")


def _committees(request=None):
    if request is None:
        return SteeringCommittee.objects.all()
    return SteeringCommittee.objects.visible_to(request.user, "view")


class CommitteeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    organization = django_filters.ModelChoiceFilter(queryset=_units, label=_("Standing agency"))

    class Meta:
        model = SteeringCommittee
        fields = ["q", "organization"]

    def filter_q(self, queryset, name, value):
        return text_filter(queryset, value) if value else queryset


class DocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=DirectiveDocument.Kind.choices, label=_("Type"))
    committee = django_filters.ModelChoiceFilter(queryset=_committees, label=_("Steering committee"))
    issued = django_filters.DateFromToRangeFilter(
        field_name="issued_on",
        label=_("Issued between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    classification = django_filters.ChoiceFilter(choices=Classification.choices, label=_("Classification"))

    class Meta:
        model = DirectiveDocument
        fields = ["q", "kind", "committee", "issued", "classification"]

    def filter_q(self, queryset, name, value):
        return text_filter(queryset, value) if value else queryset


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    document = django_filters.ModelChoiceFilter(queryset=_documents, label=_("Document"))
    committee = django_filters.ModelChoiceFilter(
        field_name="document__committee", queryset=_committees, label=_("Steering committee")
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    lead = django_filters.ModelChoiceFilter(queryset=_units, label=_("Lead unit"))
    unit = django_filters.ModelChoiceFilter(
        queryset=_units, method="filter_unit", label=_("Unit (lead or coordinating)")
    )
    priority = django_filters.ChoiceFilter(choices=Task.Priority.choices, label=_("Priority"))
    regular = django_filters.TypedChoiceFilter(choices=_BOOL, coerce=lambda v: v == "true", label=_("Regular"))
    due = django_filters.DateFromToRangeFilter(
        field_name="effective_deadline",
        label=_("Due between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    rag = django_filters.ChoiceFilter(choices=RAG, method="filter_rag", label=_("Red / amber / green"))
    slipping = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", method="filter_slipping", label=_("Pace will miss the deadline")
    )
    top_level = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", method="filter_top_level", label=_("Top-level tasks only")
    )
    classification = django_filters.ChoiceFilter(choices=Classification.choices, label=_("Classification"))

    class Meta:
        model = Task
        fields = [
            "q",
            "document",
            "committee",
            "status",
            "lead",
            "unit",
            "priority",
            "regular",
            "due",
            "rag",
            "slipping",
            "top_level",
            "classification",
        ]

    def filter_q(self, queryset, name, value):
        return text_filter(queryset, value) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(lead=value) | Q(coordinating=value)).distinct()

    def filter_rag(self, queryset, name, value):
        return queryset.filter(rag_q(value))

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_slipping(self, queryset, name, value):
        return queryset.filter(slipping_q()) if value else queryset.exclude(slipping_q())

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_top_level(self, queryset, name, value):
        return queryset.filter(parent__isnull=value)


def slipping_q() -> Q:
    """Open tasks whose pace will miss their current deadline: the forecast completion falls after it, or no
    progress has been made with the deadline near (``status.forecast``)."""
    return Q(status__in=(Status.NOT_STARTED, Status.IN_PROGRESS), will_miss=True)


def rag_q(colour: str, today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    red = Q(status=Status.OVERDUE) | slipping_q()
    amber = (
        Q(status__in=(Status.NOT_STARTED, Status.IN_PROGRESS), effective_deadline__lte=today + dt.timedelta(days=30))
        & ~red
    )
    if colour == "red":
        return red
    if colour == "amber":
        return amber
    return ~red & ~amber
