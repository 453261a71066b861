"""The public JSON API, /api/v1/ (OpenAPI at /api/v1/openapi.json): every app's router
on one API (renderer, errors and pagination in ``apps/core/api.py``)."""

from __future__ import annotations

from apps.accounts.tokens import install as install_token_auth
from apps.cocreation.api import router as cocreation_router
from apps.committees.api import router as committees_router
from apps.core.api import SharakaAPI
from apps.plans.api import router as plans_router
from apps.reports.api import router as reports_router
from apps.tracking.api import router as tracking_router
from apps.tracking.api_write import router as tracking_write_router

api = SharakaAPI(
    title="Sharaka API",
    version="1",
    description="Open data of the action plans: plans, commitments, activities, institutions.",
    urls_namespace="api",
)

api.add_router("/", plans_router)
api.add_router("/", tracking_router)
api.add_router("/", committees_router)
api.add_router("/", reports_router)
api.add_router("/", cocreation_router)
api.add_router("/", tracking_write_router)  # the write API (token authentication)
install_token_auth(api)
