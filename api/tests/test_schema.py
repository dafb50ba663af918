"""The published API contract: the served schema is the reviewed one in docs/openapi.yaml."""

from pathlib import Path

from django.conf import settings

import yaml

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def test_the_served_schema_is_the_committed_one(db, client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    committed = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    # After a deliberate API change: `make schema`, review the diff, commit it.
    assert served == committed


def test_the_reference_pages_load_without_the_internet(db, client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content
    assert b"cdn." not in response.content
