"""Base viewsets: reads through the app's selector, writes through the app's services."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from .. import services


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """``list_selector(user=…)`` restricts and shapes; ``filterset_class`` (shared with the page) filters."""

    list_selector: ClassVar[Any]

    def get_queryset(self):
        return type(self).list_selector(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        services.record_read(user=request.user, instance=instance)
        return Response(self.get_serializer(instance).data)


class ScopedModelViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ScopedReadOnlyViewSet
):
    """Create / update / delete call the same services as the pages; responses use the read serializer."""

    read_serializer_class: ClassVar[type]
    write_serializer_class: ClassVar[type]

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.read_serializer_class

    def service_create(self, *, actor: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def service_update(self, *, actor: Any, instance: models.Model, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def service_delete(self, *, actor: Any, instance: models.Model) -> None:
        services.object_delete(actor=actor, instance=instance)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.service_create(actor=request.user, data=dict(serializer.validated_data))
        return Response(
            self.read_serializer_class(obj, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self.service_update(actor=request.user, instance=instance, data=dict(serializer.validated_data))
        return Response(self.read_serializer_class(obj, context=self.get_serializer_context()).data)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.service_delete(actor=request.user, instance=instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


def crud_schema(noun: str, *, listed: str, delete_note: str = "") -> Any:
    """The OpenAPI summaries of a plain create/read/update/delete viewset of ``noun``."""
    from drf_spectacular.utils import extend_schema, extend_schema_view

    return extend_schema_view(
        list=extend_schema(summary=listed),
        retrieve=extend_schema(summary=f"A {noun}"),
        create=extend_schema(summary=f"Record a {noun}"),
        update=extend_schema(summary=f"Replace a {noun}'s fields"),
        partial_update=extend_schema(summary=f"Change some of a {noun}'s fields"),
        destroy=extend_schema(summary=f"Delete a {noun}{delete_note}"),
    )
