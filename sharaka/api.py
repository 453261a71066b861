"""The public JSON API, /api/v1/ (OpenAPI at /api/v1/openapi.json): every app's router
on one API (renderer, errors and pagination in ``apps/core/api.py``). ``docs/api.md``
describes it for its users."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from apps.accounts.tokens import install as install_token_auth
from apps.cocreation.api import router as cocreation_router
from apps.committees.api import router as committees_router
from apps.core.api import SharakaAPI
from apps.exchange.models import OpenDataSettings
from apps.plans.api import router as plans_router
from apps.reports.api import router as reports_router
from apps.search.api import router as search_router
from apps.tracking.api import router as tracking_router
from apps.tracking.api_write import router as tracking_write_router

# SPDX identifier → the licence's full name (others are named by their identifier).
LICENSE_NAMES = {
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication & License 1.0",
    "etalab-2.0": "Etalab Open License 2.0",
}


def open_data_license() -> str:
    """The licence of the open data (SPDX identifier): the API's answers are the same
    data under the same licence, the one the bulk downloads state (the secretariat's
    choice, else the server's ``SHARAKA_OPEN_DATA_LICENSE``)."""
    return OpenDataSettings.load().licence_name


class PublicAPI(SharakaAPI):
    def document_extra(self) -> dict[str, Any]:
        spdx = open_data_license()
        return {
            "info": {"license": {"name": LICENSE_NAMES.get(spdx, spdx), "identifier": spdx}},
            "servers": [{"url": settings.SITE_URL, "description": "This Sharaka instance"}],
        }


api = PublicAPI(
    title="Sharaka API",
    version="1",
    description=(
        "Open data of the action plans: plans, commitments, activities, institutions, "
        "progress history and follow-up flags, meetings, reports and co-creation. "
        "The read endpoints are public (no token) and open to any origin for GET (CORS). "
        "The answers are open data under the licence below; see docs/api.md."
    ),
    urls_namespace="api",
)

api.add_router("/", plans_router)
api.add_router("/", tracking_router)
api.add_router("/", committees_router)
api.add_router("/", reports_router)
api.add_router("/", cocreation_router)
api.add_router("/", search_router)
api.add_router("/", tracking_write_router)  # the write API (token authentication)
install_token_auth(api)
