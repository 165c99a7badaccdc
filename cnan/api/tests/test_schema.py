"""The committed OpenAPI schema (schema.yml) is what the code serves: regenerate it with `make schema`."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT / "schema.yml"


def test_committed_schema_matches_the_code(tmp_path):
    """Generated in a fresh process, as `make schema` does, so that no other test's state can colour it."""
    generated = tmp_path / "schema.yml"
    # Always against SQLite, as `make schema`: the database backend shows in the schema (integer ranges).
    env = {k: v for k, v in os.environ.items() if k != "CNAN_DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "cnan.settings.test"
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "spectacular",
            "--lang",
            "en",
            "--file",
            str(generated),
            "--validate",
            "--fail-on-warn",
        ],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert SCHEMA.exists(), "schema.yml is missing: run `make schema` and commit it"
    committed_text = SCHEMA.read_text(encoding="utf-8")
    current_text = generated.read_text(encoding="utf-8")
    if yaml.safe_load(committed_text) != yaml.safe_load(current_text):
        diff = "".join(
            difflib.unified_diff(
                committed_text.splitlines(True),
                current_text.splitlines(True),
                "schema.yml (committed)",
                "schema.yml (from the code)",
                n=2,
            )
        )
        pytest.fail("schema.yml is stale: run `make schema` and commit the result\n" + diff[:5000])


@pytest.mark.django_db
def test_schema_endpoint_requires_sign_in(client):
    assert client.get("/api/schema/").status_code in (401, 403)
