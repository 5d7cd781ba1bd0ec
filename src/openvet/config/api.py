"""The one REST API of the platform, at /api/v1/. Each app mounts its router here.

Schema at /api/v1/openapi.json, docs at /api/v1/docs. The committed copy in
docs/api/openapi.json is refreshed with ``openvet export_openapi --output docs/api/openapi.json``.
"""

from ninja import NinjaAPI

from openvet.core.api.errors import install_error_handlers
from openvet.core.api.routes import router as core_router
from openvet.identity.api.auth import session_or_token
from openvet.identity.api.routes import roles_router as identity_roles_router
from openvet.identity.api.routes import router as identity_router
from openvet.identity.api.sessions import router as sessions_router
from openvet.identity.api.tokens import router as tokens_router
from openvet.industry.api import router as industry_router
from openvet.records.api.routes import router as records_router
from openvet.records.bulk.api import router as records_bulk_router
from openvet.resources.api.routes import router as resources_router
from openvet.teaching.api.routes import router as teaching_router
from openvet.workflow.api.routes import router as workflow_router

DESCRIPTION = """\
OpenVET, the digital campus for vocational education.

* **Authentication**: a personal access token (`Authorization: Bearer ovt_...`, created at
  `POST /api/v1/identity/tokens`), or the browser session with its CSRF token (`X-CSRFToken`).
* **Errors**: every failure is `{code, message, details}` with a 4xx status; `message` is in
  the language of `Accept-Language` (zh-hans or en); validation failures (422) give
  `details` as `{field: message}`.
* **URLs**: `/api/v1/<app>/<plural-nouns>/{id}/...`; state changes are a POST verb after an id.
* **Lists**: `limit` / `offset`, answered as `{count, items}`; `limit` is capped and a value
  beyond the bounds is refused (422).
* **Datetimes**: ISO 8601 with an offset.
"""

api = NinjaAPI(
    title="OpenVET API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=session_or_token,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/identity", sessions_router)
api.add_router("/identity", tokens_router)
api.add_router("/core", core_router)
api.add_router("/identity", identity_router)
api.add_router("/identity", identity_roles_router)
api.add_router("/teaching", teaching_router)
api.add_router("/workflow", workflow_router)
api.add_router("/records", records_router)
api.add_router("/records", records_bulk_router)
api.add_router("/resources", resources_router)
api.add_router("/industry", industry_router)
from openvet.teaching.selection.api import router as teaching_selection_router  # noqa: E402

api.add_router("/teaching", teaching_selection_router)
from openvet.teaching.attendance.api import router as teaching_attendance_router  # noqa: E402
from openvet.teaching.evaluation.api import router as teaching_evaluation_router  # noqa: E402
from openvet.teaching.grades.api import router as teaching_grades_router  # noqa: E402

api.add_router("/teaching", teaching_attendance_router)
api.add_router("/teaching", teaching_grades_router)
api.add_router("/teaching", teaching_evaluation_router)
