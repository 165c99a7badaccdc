"""The catalogue API: products with their stored figures, BOM revisions and lines, explosion and where-used,
the what-if, the full recompute and the editions of the product list.

Reads go through ``catalogue.selectors`` (the visibility rule; invisible records answer 404), writes through
``catalogue.services`` (permission, validation, audit, rollup in one transaction)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from cnan.core import services as core_services
from cnan.core.api.permissions import ScopedModelPermission
from cnan.core.api.viewsets import ScopedModelViewSet
from cnan.core.permissions import grants_for, has_perm, may_list, perm_name

from .. import selectors, services
from ..filters import EditionFilterSet, ProductFilterSet
from ..models import BOMLine, BOMRevision, CatalogueEdition, Product
from . import serializers as s

_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def _signed_in(request) -> bool:
    return bool(request.user and request.user.is_authenticated)


class CataloguePermission(ScopedModelPermission):
    """The registry's rule, with custom actions naming the action they need (``view.action_permissions``)."""

    def _action(self, request, view) -> str:
        named = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if named:
            return named
        return "view" if request.method in SAFE_METHODS else _ACTIONS.get(request.method, "change")

    def has_permission(self, request, view) -> bool:
        if not _signed_in(request):
            return False
        model = self._model(view)
        act = self._action(request, view)
        if act == "view":
            return may_list(request.user, model)
        return grants_for(request.user).scope(perm_name(model, act)) is not None

    def has_object_permission(self, request, view, obj) -> bool:
        act = self._action(request, view)
        return True if act == "view" else has_perm(request.user, perm_name(type(obj), act), obj)


class BOMPermission(ScopedModelPermission):
    """Revisions and lines are read with the product and written with ``catalogue.change_product`` on it."""

    def has_permission(self, request, view) -> bool:
        if not _signed_in(request):
            return False
        if request.method in SAFE_METHODS:
            return may_list(request.user, Product)
        return grants_for(request.user).scope(services.CHANGE_BOM) is not None

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        product = obj.product if isinstance(obj, BOMRevision) else obj.parent
        return has_perm(request.user, services.CHANGE_BOM, product)


class SignedInMayListProducts(ScopedModelPermission):
    """What-if and recompute: signed in and allowed to see products; the services check the rest."""

    def has_permission(self, request, view) -> bool:
        return _signed_in(request) and may_list(request.user, Product)


# --- products -----------------------------------------------------------------------------------------

MAX_LEVEL = OpenApiParameter(
    "max_level", OpenApiTypes.INT, description="Explode this many levels only (default: every level)."
)


class MaxLevelSerializer(serializers.Serializer):
    max_level = serializers.IntegerField(min_value=1, max_value=selectors.MAX_LEVELS, required=False)


@extend_schema_view(
    list=extend_schema(summary="Products", description="Every product the user may see, with its stored figures."),
    retrieve=extend_schema(summary="A product with its localisation rate"),
    create=extend_schema(summary="Register a product"),
    update=extend_schema(summary="Replace a product's fields (its figures follow)"),
    partial_update=extend_schema(summary="Change some of a product's fields (its figures follow)"),
    destroy=extend_schema(summary="Delete a product (refused while a BOM uses it)"),
)
class ProductViewSet(ScopedModelViewSet):
    """Products, sub-assemblies, parts and materials, each with its rolled-up unit cost, imported value and
    localisation rate as stored (``ProductRollup``)."""

    queryset = Product.objects.none()
    list_selector = selectors.product_list
    filterset_class = ProductFilterSet
    read_serializer_class = s.ProductSerializer
    write_serializer_class = s.ProductWriteSerializer
    permission_classes = [CataloguePermission]

    def get_object(self):
        product = selectors.product_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, product)
        return product

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.product_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        product = services.product_update(actor=actor, instance=instance, data=data)
        return selectors.product_get(user=actor, pk=product.pk)  # the figures as the rollup stored them

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.product_delete(actor=actor, instance=instance)

    def _read(self) -> Product:
        product = self.get_object()
        core_services.record_read(user=self.request.user, instance=product)
        return product

    def _explode(self, request) -> tuple[Product, list[selectors.ExplodedLine]]:
        params = MaxLevelSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        product = self._read()
        lines = selectors.explode(user=request.user, product=product, max_level=params.validated_data.get("max_level"))
        return product, lines

    @extend_schema(
        summary="The BOM exploded through every level",
        description="One row per path of the current BOM revisions (standard configuration), in BOM order, with "
        "the quantity per unit of the product and each component's stored figures. Components the user may not "
        "see keep their figures, their name and supplier are empty. One query, whatever the size of the BOM.",
        parameters=[MAX_LEVEL],
        responses=s.ExplodedLineSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def explosion(self, request, pk=None):
        _product, lines = self._explode(request)
        return Response(s.exploded_rows(lines))

    @extend_schema(
        summary="Total quantity of every component",
        description="Every component at any depth with its total quantity per unit of the product, largest "
        "imported value first.",
        responses=s.FlatLineSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def flattened(self, request, pk=None):
        product = self._read()
        lines = selectors.explode(user=request.user, product=product)
        return Response(s.FlatLineSerializer(selectors.flatten(lines), many=True).data)

    @extend_schema(
        summary="Where the imported value comes from",
        description="The purchased parts and imported sub-assemblies at any depth, largest imported value first.",
        responses=s.FlatLineSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="import-sources", filter_backends=[], pagination_class=None)
    def import_sources(self, request, pk=None):
        product = self._read()
        lines = selectors.explode(user=request.user, product=product)
        return Response(s.FlatLineSerializer(selectors.import_sources(lines), many=True).data)

    @extend_schema(
        summary="Every product that contains this one",
        description="At any depth of the current BOM revisions, the smallest depth shown. Products the user may "
        "not see are listed without code and name.",
        responses=s.WhereUsedSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="where-used", filter_backends=[], pagination_class=None)
    def where_used(self, request, pk=None):
        product = self._read()
        rows = selectors.where_used(user=request.user, product=product)
        return Response(s.WhereUsedSerializer(rows, many=True).data)

    @extend_schema(
        summary="The product's figures each time they changed",
        responses=s.RollupHistorySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        product = self._read()
        rows = selectors.history(user=request.user, product=product)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.RollupHistorySerializer(page, many=True).data)

    @extend_schema(summary="The BOM revisions of the product", responses=s.RevisionSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def revisions(self, request, pk=None):
        product = self._read()
        revisions = product.revisions.select_related("product").order_by("-number")
        for revision in revisions:
            revision.product = product
        return Response(s.RevisionSerializer(revisions, many=True).data)


# --- revisions and lines ---------------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(summary="A BOM revision with its lines"),
    create=extend_schema(
        summary="Start a new BOM revision",
        description="Copies the lines of `copy_from` (default: the current revision); the new revision becomes "
        "the current one.",
        request=s.RevisionCreateSerializer,
        responses={201: s.RevisionDetailSerializer},
    ),
)
class RevisionViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """BOM revisions: a frozen revision is a baseline that never changes."""

    queryset = BOMRevision.objects.none()
    serializer_class = s.RevisionDetailSerializer
    permission_classes = [BOMPermission]
    filter_backends: list = []
    pagination_class = None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    def get_object(self):
        revision = selectors.revision_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, revision)
        return revision

    def _detail(self, revision: BOMRevision) -> dict[str, Any]:
        lines = list(selectors.revision_lines(revision))
        context = {
            **self.get_serializer_context(),
            "lines": lines,
            "visible_components": selectors.visible_product_ids(
                user=self.request.user, ids={line.component_id for line in lines}
            ),
        }
        return s.RevisionDetailSerializer(revision, context=context).data

    def retrieve(self, request, *args, **kwargs):
        revision = self.get_object()
        core_services.record_read(user=request.user, instance=revision.product)
        return Response(self._detail(revision))

    def create(self, request, *args, **kwargs):
        serializer = s.RevisionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        revision = services.revision_create(
            actor=request.user, product=data["product"], note=data.get("note", ""), copy_from=data.get("copy_from")
        )
        return Response(
            self._detail(selectors.revision_get(user=request.user, pk=revision.pk)), status=status.HTTP_201_CREATED
        )

    @extend_schema(summary="Freeze the revision as a baseline", request=None, responses=s.RevisionDetailSerializer)
    @action(detail=True, methods=["post"])
    def freeze(self, request, pk=None):
        revision = services.revision_freeze(actor=request.user, revision=self.get_object())
        return Response(self._detail(selectors.revision_get(user=request.user, pk=revision.pk)))

    @extend_schema(
        summary="What changed from this revision to another",
        description="Line by line, matched by component (and the line a substitute stands for): removed, "
        "added, changed (with the fields that differ) and unchanged lines.",
        parameters=[
            OpenApiParameter(
                "with",
                OpenApiTypes.INT,
                description="The revision to compare with (default: the product's current revision).",
            )
        ],
        responses=s.LineDiffSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        a = self.get_object()
        other = request.query_params.get("with") or a.product.current_revision_id
        if other is None:
            raise Http404
        b = selectors.revision_get(user=request.user, pk=other)
        diffs = selectors.compare_revisions(a, b)
        ids = {d.component.pk for d in diffs}
        context = {
            **self.get_serializer_context(),
            "visible_components": selectors.visible_product_ids(user=request.user, ids=ids),
        }
        return Response(s.LineDiffSerializer(diffs, many=True, context=context).data)


@extend_schema_view(
    retrieve=extend_schema(summary="A BOM line"),
    create=extend_schema(
        summary="Add a line to the current revision",
        description="Refused (400) on a frozen or former revision, and when the line would make the BOM loop.",
    ),
    update=extend_schema(summary="Replace a line of the current revision"),
    partial_update=extend_schema(summary="Change a line of the current revision"),
    destroy=extend_schema(summary="Remove a line of the current revision"),
)
class BOMLineViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Lines of a BOM revision. Each change rolls the figures up to every product that uses the parent."""

    queryset = BOMLine.objects.none()
    permission_classes = [BOMPermission]
    filter_backends: list = []
    pagination_class = None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.BOMLineWriteSerializer
        return s.BOMLineSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    def get_object(self):
        line = selectors.line_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, line)
        return line

    def _read(self, line: BOMLine) -> dict[str, Any]:
        context = {
            **self.get_serializer_context(),
            "visible_components": selectors.visible_product_ids(user=self.request.user, ids={line.component_id}),
        }
        return s.BOMLineSerializer(line, context=context).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._read(self.get_object()))

    def create(self, request, *args, **kwargs):
        serializer = s.BOMLineWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        revision = data.pop("revision")
        selectors.revision_get(
            user=request.user, pk=revision.pk
        )  # a classified product's revision is not there for the uncleared
        line = services.bomline_create(actor=request.user, revision=revision, data=data)
        return Response(self._read(line), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = s.BOMLineWriteSerializer(
            instance, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        line = services.bomline_update(actor=request.user, instance=instance, data=dict(serializer.validated_data))
        return Response(self._read(line))

    def destroy(self, request, *args, **kwargs):
        services.bomline_delete(actor=request.user, instance=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- what-if and recompute -------------------------------------------------------------------------------


def _whatif_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "prices": {row["product"].pk: row["price"] for row in data["prices"]},
        "origins": {row["product"].pk: row["country"] for row in data["origins"]},
        "replacements": [
            (row["old"].pk, row["new"].pk, row["only_in"].pk if row["only_in"] else None)
            for row in data["replacements"]
        ],
    }


class WhatIfView(generics.GenericAPIView):
    """What the localisation rate of every affected product would be after the changes; nothing is written."""

    queryset = Product.objects.none()
    serializer_class = s.WhatIfSerializer
    permission_classes = [SignedInMayListProducts]
    filter_backends: list = []
    pagination_class = None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    @extend_schema(
        summary="Simulate prices, origins and component replacements",
        description="Returns the products whose figures would change (those the user may see), largest change "
        "of the localisation rate first. Nothing is written.",
        request=s.WhatIfSerializer,
        responses=s.WhatIfRowSerializer(many=True),
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = selectors.whatif(user=request.user, **_whatif_args(serializer.validated_data))
        return Response(s.WhatIfRowSerializer(rows, many=True).data)


class WhatIfApplyView(WhatIfView):
    """Commit a what-if: prices and origins change, components are replaced in the current BOM revisions
    (a frozen one gets a new revision first). All or nothing; each change is audited."""

    def check_permissions(self, request):
        super().check_permissions(request)
        if grants_for(request.user).scope(services.CHANGE_BOM) is None:
            self.permission_denied(request)

    @extend_schema(
        summary="Apply a what-if",
        description="All or nothing: refused (403) when the user may not change one of the products concerned, "
        "(400) when a replacement's units do not convert or a line would loop.",
        request=s.WhatIfSerializer,
        responses=s.WhatIfAppliedSerializer,
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            rows = selectors.whatif(user=request.user, **_whatif_args(data))
            changed = services.whatif_apply(
                actor=request.user,
                prices={row["product"]: row["price"] for row in data["prices"]},
                origins={row["product"]: row["country"] for row in data["origins"]},
                replacements=[(row["old"], row["new"], row["only_in"]) for row in data["replacements"]],
            )
        return Response(s.WhatIfAppliedSerializer({"lines_changed": changed, "products": rows}).data)


class RollupRecomputeView(generics.GenericAPIView):
    """Queue the recompute of every product's figures (``catalogue.change_productrollup``)."""

    queryset = Product.objects.none()
    serializer_class = s.JobStartedSerializer
    permission_classes = [SignedInMayListProducts]
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Recompute the whole catalogue",
        description="Starts a job; its page shows the progress.",
        request=None,
        responses={202: s.JobStartedSerializer},
    )
    def post(self, request, *args, **kwargs):
        job = services.rollup_recompute_start(actor=request.user)
        body = {"job": job.pk, "url": job.get_absolute_url(), "status": job.status}
        return Response(s.JobStartedSerializer(body).data, status=status.HTTP_202_ACCEPTED)


# --- editions ------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Editions of the product list"),
    retrieve=extend_schema(summary="An edition with its products"),
    create=extend_schema(summary="Start a draft edition"),
    update=extend_schema(summary="Replace a draft edition's fields"),
    partial_update=extend_schema(summary="Change a draft edition's fields"),
    destroy=extend_schema(summary="Delete a draft edition"),
)
class EditionViewSet(ScopedModelViewSet):
    """Numbered editions of the list of products of the security-industrial complex. Publishing keeps each
    product's class, use, lifecycle and localisation rate as they were that day."""

    queryset = CatalogueEdition.objects.none()
    list_selector = selectors.edition_list
    filterset_class = EditionFilterSet
    read_serializer_class = s.EditionSerializer
    write_serializer_class = s.EditionWriteSerializer
    permission_classes = [CataloguePermission]
    action_permissions = {"set_products": "change", "publish": "change"}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.EditionDetailSerializer
        return super().get_serializer_class()

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.edition_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.edition_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.edition_delete(actor=actor, instance=instance)

    def _detail(self, edition: CatalogueEdition) -> dict[str, Any]:
        return s.EditionDetailSerializer(edition, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Set the products of a draft edition",
        request=s.EditionProductsSerializer,
        responses=s.EditionDetailSerializer,
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="set-products", filter_backends=[])
    def set_products(self, request, pk=None):
        edition = self.get_object()
        serializer = s.EditionProductsSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.edition_set_products(
            actor=request.user, edition=edition, products=serializer.validated_data["products"]
        )
        return Response(self._detail(self.get_object()))

    @extend_schema(summary="Publish a draft edition", request=None, responses=s.EditionDetailSerializer, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def publish(self, request, pk=None):
        edition = services.edition_publish(actor=request.user, edition=self.get_object())
        return Response(self._detail(edition))
