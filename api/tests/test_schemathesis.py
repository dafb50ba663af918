"""Generated requests against every documented operation: no server error, answers as documented."""

from pathlib import Path

from django.conf import settings as django_settings

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from subscriptions.operations import subscription_create

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app_in_test_transaction():
    """The WSGI app, without closing the test's database connection after each request.

    Django's test client does the same: the connection holds the test's
    transaction, so closing it at request end would lose the demo data.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class ManageToken:
    """A fresh subscription's manage token for every request to /subscriptions/self/…

    Fresh, because a generated DELETE removes the subscription it was sent for.
    """

    def get(self, case, context):
        data = {"email": "generated@example.org", "content_types": ["notice"]}
        return subscription_create(data=data)[1]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def test_the_api_answers_every_generated_request_as_documented(
    demo_content, db, wsgi_app_in_test_transaction
):
    application = wsgi_app_in_test_transaction

    schema = schemathesis.openapi.from_path(
        Path(django_settings.BASE_DIR) / "docs" / "openapi.yaml"
    )
    schema.app = application
    schema.auth(refresh_interval=None).apply_to(path_regex="^/subscriptions/self/")(ManageToken)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 27

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            response = case.call()
            case.validate_response(response, checks=CHECKS)

        answers_as_documented()
