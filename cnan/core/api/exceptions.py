from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError

from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Service-level ``ValidationError`` becomes a 400 with the same translated messages as the pages."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    return drf_exception_handler(exc, context)
