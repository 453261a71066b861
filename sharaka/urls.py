from allauth.account import views as allauth_views
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from apps.exchange.urls import open_data_files
from sharaka.api import api

# A database that cannot be reached answers 503 in the visitor's language; any other
# uncaught error Django's 500 page (apps/core/unavailable.py).
handler500 = "apps.core.unavailable.server_error"

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("open-data/", include(open_data_files)),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Sign-in, sign-out, password reset and change, two-factor sign-in and the session
    # list are django-allauth's, the only ones. ``login`` and ``logout`` name its
    # sign-in and sign-out too (``LOGIN_URL``, the templates' links).
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("participate/", include("apps.cocreation.urls")),
    path("tracking/", include("apps.tracking.urls")),
    path("translations/", include("apps.translations.urls")),
    path("", include("apps.plans.urls")),
    path("", include("apps.committees.urls")),
    path("", include("apps.reports.urls")),
    path("", include("apps.exchange.urls")),
    path("", include("apps.search.urls")),
    path("", include("apps.people.urls")),
    prefix_default_language=True,
)
# No MEDIA_URL, in any mode: every uploaded file is served by a view of its app that
# checks who may see it (apps/core/files.py).
