"""Text helpers: Vietnamese-aware folding for search that ignores diacritics."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# NFD decomposes every Vietnamese vowel mark; đ/Đ is a separate letter and needs its own mapping.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(value: object) -> str:
    """Lower-case, strip diacritics and collapse spaces: ``"Công nghiệp  An ninh"`` → ``"cong nghiep an ninh"``."""
    if value is None:
        return ""
    text = str(value).translate(_LETTERS)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_join(*values: object) -> str:
    """Fold several values into one searchable string, skipping empty ones."""
    return " ".join(part for part in (fold(v) for v in values) if part)
