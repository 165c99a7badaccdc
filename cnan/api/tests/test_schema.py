"""The committed OpenAPI schema (schema.yml) is what the code serves: regenerate it with `make schema`."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

import pytest
import yaml

SCHEMA = Path(__file__).resolve().parents[3] / "schema.yml"


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "schema.yml"
    call_command("spectacular", "--lang", "en", "--file", str(generated), "--validate", "--fail-on-warn")
    assert SCHEMA.exists(), "schema.yml is missing: run `make schema` and commit it"
    committed = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    current = yaml.safe_load(generated.read_text(encoding="utf-8"))
    assert committed == current, "schema.yml is stale: run `make schema` and commit the result"


@pytest.mark.django_db
def test_schema_endpoint_requires_sign_in(client):
    assert client.get("/api/schema/").status_code in (401, 403)
