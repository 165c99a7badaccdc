"""One FilterSet per list of the research app, shared by the pages, the API and the selectors."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import django_filters

from cnan.core.classification import Classification
from cnan.core.search import text_filter
from cnan.organizations.models import Organization, ProductGroup

from .models import (
    Cooperation,
    FilingStatus,
    Formation,
    IPFiling,
    Kind,
    Level,
    Milestone,
    Outcome,
    Output,
    ResearchGroup,
    ResearchTask,
    Schedule,
    Selection,
    Stage,
    TechTransfer,
)


def _units(request=None):
    if request is None:
        return Organization.objects.all()
    return Organization.objects.visible_to(request.user, "view")


def _programmes(request=None):
    qs = ResearchTask.objects.filter(kind=Kind.PROGRAMME)
    return qs if request is None else qs.visible_to(request.user, "view")


class _Searchable(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    def filter_q(self, queryset, name, value):
        return text_filter(queryset, value) if value else queryset


class ResearchTaskFilterSet(_Searchable):
    level = django_filters.MultipleChoiceFilter(choices=Level.choices, label=_("Level"))
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices, label=_("Type"))
    formation = django_filters.ChoiceFilter(choices=Formation.choices, label=_("Formation"))
    selection = django_filters.ChoiceFilter(choices=Selection.choices, label=_("Selection"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    schedule = django_filters.ChoiceFilter(choices=[c for c in Schedule.choices if c[0]], label=_("Schedule"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("Official acceptance"))
    host = django_filters.ModelChoiceFilter(queryset=_units, label=_("Host organisation"))
    programme = django_filters.ModelChoiceFilter(queryset=_programmes, label=_("Programme"))
    key_programme = django_filters.BooleanFilter(label=_("In a key programme"))
    start = django_filters.DateFromToRangeFilter(
        field_name="start_on",
        label=_("Starting between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("Running in year"))
    classification = django_filters.ChoiceFilter(choices=Classification.choices, label=_("Classification"))

    class Meta:
        model = ResearchTask
        fields = [
            "q",
            "level",
            "kind",
            "formation",
            "selection",
            "stage",
            "schedule",
            "outcome",
            "host",
            "programme",
            "key_programme",
            "start",
            "year",
            "classification",
        ]

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        year = int(value)
        return queryset.filter(start_on__year__lte=year, end_on__year__gte=year)


class MilestoneFilterSet(django_filters.FilterSet):
    late = django_filters.BooleanFilter(method="filter_late", label=_("Late"))
    task = django_filters.NumberFilter(field_name="task_id", label=_("S&T task"))

    class Meta:
        model = Milestone
        fields = ["late", "task"]

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        from django.db.models import F, Q

        late = Q(done_on__isnull=True, due_on__lt=today) | Q(done_on__gt=F("due_on"))
        return queryset.filter(late) if value else queryset.exclude(late)


class OutputFilterSet(_Searchable):
    kind = django_filters.MultipleChoiceFilter(choices=Output.Kind.choices, label=_("Kind"))
    in_production = django_filters.BooleanFilter(label=_("Reached production"))
    has_product = django_filters.BooleanFilter(
        field_name="product", lookup_expr="isnull", exclude=True, label=_("Linked to a catalogue product")
    )
    host = django_filters.ModelChoiceFilter(field_name="task__host", queryset=_units, label=_("Host organisation"))

    class Meta:
        model = Output
        fields = ["q", "kind", "in_production", "has_product", "host"]


class FilingFilterSet(_Searchable):
    kind = django_filters.MultipleChoiceFilter(choices=IPFiling.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=FilingStatus.choices, label=_("Status"))
    owner = django_filters.ModelChoiceFilter(queryset=_units, label=_("Owner"))
    foreign = django_filters.BooleanFilter(method="filter_foreign", label=_("Filed abroad"))
    filed = django_filters.DateFromToRangeFilter(
        field_name="filed_on",
        label=_("Filed between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = IPFiling
        fields = ["q", "kind", "status", "owner", "foreign", "filed"]

    def filter_foreign(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(country="VN") if value else queryset.filter(country="VN")


class TransferFilterSet(_Searchable):
    direction = django_filters.ChoiceFilter(choices=TechTransfer.Direction.choices, label=_("Direction"))
    status = django_filters.MultipleChoiceFilter(choices=TechTransfer.Status.choices, label=_("Status"))
    organization = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit of the industry"))
    foreign = django_filters.BooleanFilter(method="filter_foreign", label=_("Foreign partner"))

    class Meta:
        model = TechTransfer
        fields = ["q", "direction", "status", "organization", "foreign"]

    def filter_foreign(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(partner_country="VN") if value else queryset.filter(partner_country="VN")


class CooperationFilterSet(_Searchable):
    form = django_filters.ChoiceFilter(choices=Cooperation.Form.choices, label=_("Form"))
    status = django_filters.MultipleChoiceFilter(choices=Cooperation.Status.choices, label=_("Status"))
    organization = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit of the industry"))
    international = django_filters.BooleanFilter(method="filter_international", label=_("International"))

    class Meta:
        model = Cooperation
        fields = ["q", "form", "status", "organization", "international"]

    def filter_international(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(country="VN") if value else queryset.filter(country="VN")


class GroupFilterSet(_Searchable):
    organization = django_filters.ModelChoiceFilter(queryset=_units, label=_("School or institute"))
    product_group = django_filters.ModelChoiceFilter(
        field_name="product_groups", queryset=ProductGroup.objects.all(), label=_("Product group targeted")
    )

    class Meta:
        model = ResearchGroup
        fields = ["q", "organization", "product_group"]
