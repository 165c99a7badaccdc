"""Compare the committed Vietnamese catalogue with one regenerated from the code.

Usage: check_messages.py <committed.po> <regenerated.po>
Fails (exit 1) when the code has messages the committed catalogue lacks, when the committed
catalogue has untranslated or fuzzy entries, or when the compiled .mo lacks translations of the .po.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib


def main(committed_path: str, current_path: str) -> int:
    committed = polib.pofile(committed_path)
    current = polib.pofile(current_path)
    known = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    missing = [e.msgid for e in current if not e.obsolete and (e.msgctxt, e.msgid) not in known]
    untranslated = [e.msgid for e in committed.untranslated_entries()]
    fuzzy = [e.msgid for e in committed.fuzzy_entries()]
    problems = 0
    for title, items in (
        ("not in the catalogue (run `make messages` and translate)", missing),
        ("untranslated", untranslated),
        ("fuzzy", fuzzy),
    ):
        if items:
            problems += len(items)
            print(f"{len(items)} message(s) {title}:")
            for msgid in items[:50]:
                print(f"  - {msgid!r}")
    print(
        f"catalogue: {len(committed.translated_entries())} translated of {len(committed)}; "
        f"code has {len(current)} messages"
    )
    mo_path = Path(committed_path).with_suffix(".mo")
    if not mo_path.exists():
        print(f"{mo_path.name} is missing: run `make messages` and commit it")
        return 1
    compiled = {(e.msgctxt, e.msgid) for e in polib.mofile(str(mo_path)) if e.msgid}
    stale = {(e.msgctxt, e.msgid) for e in committed.translated_entries()} - compiled
    if stale:
        problems += len(stale)
        print(f"{len(stale)} translation(s) missing from django.mo: run `make messages` and commit it")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
