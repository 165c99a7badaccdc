from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst


def validate_tax_code(value: str) -> None:
    """A Vietnamese tax code (mã số thuế): 10 digits, or 13 for a branch (``0100109106-001``), with its check digit."""
    if not value:
        return
    try:
        mst.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _(
                "%(value)s is not a valid Vietnamese tax code: it has 10 digits (13 for a branch, as 0100109106-001) "
                "and its tenth digit is a check digit."
            ),
            params={"value": value},
            code="invalid_tax_code",
        ) from exc


def normalise_tax_code(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        # Only a valid code is reformatted: ``mst.format`` would mangle an invalid one ("01000000" → "01000000-").
        return mst.format(mst.validate(value))
    except StdnumError:
        return value
