"""The whole API against its own OpenAPI schema, with schemathesis (ADR 0014).

For every operation of the schema the code generates (the committed copy is kept equal to it),
schemathesis generates valid and schema-violating requests and sends them in-process to the
WSGI application, signed in as a school administrator on a seeded campus: with a token, and with
a session for the routes that a token cannot use. It fails on any server error, any response
that its schema does not describe (status, content type, body), and any schema-violating request
that is accepted. Examples are bounded (fifteen of each kind per operation) so the run stays
short on two cores.

A token could revoke itself (``DELETE /identity/tokens/{id}`` with its own id): each operation
gets fresh credentials, and the revoking operation is aimed away from the token in use.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from openvet.config.api import api
from openvet.identity.api.testing import bearer, campus
from openvet.identity.tokens import SCOPES, token_create

pytestmark = pytest.mark.django_db

# Operations only a browser session can call (a token cannot mint tokens).
SESSION_ONLY = frozenset({"token_create"})
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# The schema of the code, through JSON as a client reads it.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))
)
schema.app = get_wsgi_application()
# The coverage phase (every boundary of every parameter) would take most of the suite's time;
# the bounds it probes are pinned by test_api_input_errors.py. Random valid and invalid
# requests (the fuzzing phase) run for every operation.
schema.config.phases.coverage.enabled = False
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=15
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests go through the WSGI handler, which closes the database connection after each
    one; that would end the test's transaction (PostgreSQL). Django's test client does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials() -> dict[str, Any]:
    """A seeded campus; its school administrator's token, a spare token, and a session."""
    cache.clear()
    world = campus()
    headers = bearer(world.school_admin)
    admin = world.school_admin
    spare = token_create(actor=admin, user=admin, name="spare", scopes=list(SCOPES))
    client = Client()
    client.force_login(world.school_admin)
    return {
        "headers": headers,
        "own_token_ids": {t.pk for t in world.school_admin.api_tokens.all()} - {spare.token.pk},
        "spare_token_id": spare.token.pk,
        "cookies": {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        },
    }


@schema.parametrize()
@hypothesis_settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_its_schema(case: Any, credentials: dict[str, Any]) -> None:
    operation_id = case.operation.definition.raw.get("operationId")
    own = credentials["own_token_ids"]
    if operation_id == "token_revoke" and (case.path_parameters or {}).get("token_id") in own:
        case.path_parameters["token_id"] = credentials["spare_token_id"]
    if operation_id in SESSION_ONLY:
        case.call_and_validate(cookies=credentials["cookies"], checks=CHECKS)
    else:
        case.call_and_validate(headers=credentials["headers"], checks=CHECKS)
