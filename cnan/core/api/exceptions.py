from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError

from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Service-level ``ValidationError`` becomes a 400 with the same translated messages as the pages."""
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        # A model's cross-field error (Django's "__all__") is reported like any other non-field error.
        if NON_FIELD_ERRORS in detail:
            detail.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(detail.pop(NON_FIELD_ERRORS))
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)
