"""Serializers of the directives API. Reads show the derived state the services store (status, progress,
current deadline, forecast); writes carry the fields the services accept (``services.*_FIELDS``); every
reference accepts only what the user may see."""

from __future__ import annotations

from typing import Any

from django.core.validators import FileExtensionValidator
from django.urls import reverse
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cnan.organizations import selectors as org_selectors
from cnan.organizations.models import Organization

from .. import services
from ..models import (
    EVIDENCE_EXTENSIONS,
    DirectiveDocument,
    Evidence,
    Meeting,
    ProgressReport,
    ReportEvent,
    Status,
    SteeringCommittee,
    Task,
    TaskAdjustment,
    validate_evidence_size,
)

CLASSIFICATION = list(services.CLASSIFICATION_FIELDS)
OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)


class OwnerField(serializers.PrimaryKeyRelatedField):
    """An organisation where the user holds ``perm``; on an update the record's current owner stays acceptable."""

    def __init__(self, *, perm: str, **kwargs):
        self.perm = perm
        super().__init__(**kwargs)

    def get_queryset(self):
        choices = org_selectors.organization_choices(user=self.context["user"], perm=self.perm)
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, "organization_id", None) if instance is not None else None
        if current:
            choices = (choices | Organization.objects.filter(pk=current)).distinct()
        return choices


@extend_schema_field(OpenApiTypes.INT)
class VisibleField(serializers.PrimaryKeyRelatedField):
    """A record the user may see (an invisible one answers "does not exist", as for a wrong id)."""

    def __init__(self, *, model: type, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["user"], "view")


def visible_units(**kwargs: Any) -> VisibleField:
    return VisibleField(model=Organization, **kwargs)


# --- committees and meetings --------------------------------------------------------------------------


class CommitteeSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)

    class Meta:
        model = SteeringCommittee
        fields = [
            "id",
            "organization",
            "organization_code",
            "code",
            "name",
            "founding_decision",
            "founded_on",
            "head",
            "deputies",
            "members",
            "description",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CommitteeWriteSerializer(serializers.ModelSerializer):
    organization = OwnerField(perm="directives.add_steeringcommittee")
    members = visible_units(many=True, required=False)

    class Meta:
        model = SteeringCommittee
        fields = list(services.COMMITTEE_FIELDS)


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "committee", "held_on", "title", "agenda", "conclusion", *CLASSIFICATION, "created_at"]
        read_only_fields = ["id", "committee", "created_at"]


# --- documents --------------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    committee_code = serializers.CharField(source="committee.code", read_only=True, default=None, allow_null=True)
    implements = serializers.SerializerMethodField(help_text="The documents this one implements (those you may see).")
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = DirectiveDocument
        fields = [
            "id",
            "organization",
            "organization_code",
            "kind",
            "number",
            "issuer",
            "issued_on",
            "title",
            "summary",
            "committee",
            "committee_code",
            "meeting",
            "implements",
            "has_attachment",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_implements(self, obj: DirectiveDocument) -> list[int]:
        # ``visible_implements`` is prefetched by the viewset, through the visibility rule.
        rows = getattr(obj, "visible_implements", None)
        if rows is None:
            rows = obj.implements.visible_to(self.context["user"], "view")
        return sorted(d.pk for d in rows)

    def get_has_attachment(self, obj: DirectiveDocument) -> bool:
        return bool(obj.attachment)


class DocumentWriteSerializer(serializers.ModelSerializer):
    organization = OwnerField(perm="directives.add_directivedocument")
    committee = VisibleField(model=SteeringCommittee, required=False, allow_null=True)
    meeting = VisibleField(model=Meeting, required=False, allow_null=True)
    implements = VisibleField(model=DirectiveDocument, many=True, required=False)

    class Meta:
        model = DirectiveDocument
        fields = [f for f in services.DOCUMENT_FIELDS if f != "attachment"]

    def validate(self, attrs):
        meeting, committee = attrs.get("meeting"), attrs.get("committee")
        if meeting is not None and committee is not None and meeting.committee_id != committee.pk:
            raise serializers.ValidationError({"meeting": _("The meeting is not one of this committee's.")})
        return attrs


# --- tasks --------------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    """A task with the state the services derive and store: status, progress, current deadline, forecast."""

    document_number = serializers.CharField(source="document.number", read_only=True)
    lead_code = serializers.CharField(source="lead.code", read_only=True)
    assigned_by_code = serializers.CharField(source="assigned_by.code", read_only=True)
    coordinating = serializers.SerializerMethodField()
    will_miss = serializers.SerializerMethodField(
        help_text="Open, and its forecast completion at the current pace falls after its current deadline."
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "document",
            "document_number",
            "parent",
            "number",
            "content",
            "assigned_by",
            "assigned_by_code",
            "lead",
            "lead_code",
            "coordinating",
            "deadline",
            "regular",
            "reporting_cycle",
            "expected_product",
            "priority",
            "status",
            "progress",
            "effective_deadline",
            "completed_on",
            "paused",
            "forecast_on",
            "will_miss",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_coordinating(self, obj: Task) -> list[int]:
        return sorted(o.pk for o in obj.coordinating.all())

    def get_will_miss(self, obj: Task) -> bool:
        return bool(obj.status in OPEN and obj.will_miss)


class TaskWriteSerializer(serializers.ModelSerializer):
    lead = visible_units()
    coordinating = visible_units(many=True, required=False)

    class Meta:
        model = Task
        fields = list(services.TASK_FIELDS)

    def validate(self, attrs):
        lead, coordinating = attrs.get("lead"), attrs.get("coordinating") or []
        if lead is not None and lead in coordinating:
            raise serializers.ValidationError({"coordinating": _("The lead unit is not also a coordinating unit.")})
        return attrs


class TaskCreateSerializer(TaskWriteSerializer):
    """A task of ``document``, or, with ``parent``, a sub-task cascading part of it to a unit under the
    parent's lead (its document is the parent's)."""

    document = VisibleField(model=DirectiveDocument, required=False)
    parent = VisibleField(model=Task, required=False, allow_null=True)

    class Meta(TaskWriteSerializer.Meta):
        fields = ["document", "parent", *services.TASK_FIELDS]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        parent, document = attrs.get("parent"), attrs.get("document")
        if parent is None and document is None:
            raise serializers.ValidationError({"document": _("Give the document, or the parent task.")})
        if parent is not None:
            if document is not None and document.pk != parent.document_id:
                raise serializers.ValidationError(
                    {"parent": _("A sub-task belongs to the same document as its parent.")}
                )
            attrs["document"] = parent.document
        return attrs


# --- adjustments, reports, evidence ---------------------------------------------------------------------


class AdjustmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskAdjustment
        fields = ["id", "task", "kind", "decision_number", "decided_on", "new_deadline", "reason", "created_at"]
        read_only_fields = ["id", "task", "created_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text="Where the file is downloaded (visibility checked).")

    class Meta:
        model = Evidence
        fields = ["id", "name", "classification", "download"]
        read_only_fields = fields

    def get_download(self, obj: Evidence) -> str:
        return reverse("directives-evidence-download", kwargs={"pk": obj.pk})


class ReportEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportEvent
        fields = ["transition", "from_state", "to_state", "actor", "time", "comment"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    events = ReportEventSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "reported_on",
            "percent",
            "narrative",
            "product_delivered",
            "state",
            "review_comment",
            "evidence",
            "events",
            *CLASSIFICATION,
            "created_at",
        ]
        read_only_fields = fields


class ReportCreateSerializer(serializers.ModelSerializer):
    """A progress report, sent as ``multipart/form-data`` with its evidence files under ``files``."""

    files = serializers.ListField(
        child=serializers.FileField(validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size]),
        required=False,
        default=list,
        help_text="Evidence files (PDF, Word, Excel, images, ZIP; 20 MB each at most).",
    )

    class Meta:
        model = ProgressReport
        fields = [*services.REPORT_FIELDS, "files"]


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to return a report."
    )
