"""The platform's roles. A person may hold several (a focal point can sit on the
committee); each role is a Django group with a fixed name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    FOCAL_POINT = "focal_point", _("Focal point")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    TRANSLATOR = "translator", _("Translator")
