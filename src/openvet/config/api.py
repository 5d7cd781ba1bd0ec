"""The one REST API of the platform, at /api/v1/. Each app mounts its router here."""

from ninja import NinjaAPI

from openvet.core.api.errors import install_error_handlers
from openvet.core.api.routes import router as core_router
from openvet.identity.api.auth import session_or_token
from openvet.identity.api.routes import router as identity_router

api = NinjaAPI(
    title="OpenVET API",
    version="1.0.0",
    description="职业教育数字校园平台 OpenVET. Errors are `{code, message, details}`.",
    urls_namespace="api",
    auth=session_or_token,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/", identity_router)
