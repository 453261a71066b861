from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from apps.accounts.forms import LoginForm, NewPasswordForm, ResetForm
from apps.accounts.views import LoginView
from apps.exchange.urls import open_data_files
from sharaka.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("open-data/", include(open_data_files)),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=ResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/", include("apps.accounts.urls")),
    # Citizens' sign-up and e-mail verification (django-allauth). Its sign-in and
    # sign-out share the paths of the ones above, which answer first: one sign-in.
    path("accounts/", include("allauth.urls")),
    path("participate/", include("apps.cocreation.urls")),
    path("tracking/", include("apps.tracking.urls")),
    path("translations/", include("apps.translations.urls")),
    path("", include("apps.plans.urls")),
    path("", include("apps.committees.urls")),
    path("", include("apps.reports.urls")),
    path("", include("apps.exchange.urls")),
    path("", include("apps.people.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
