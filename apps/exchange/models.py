"""Records of the exchange app (import jobs, external identifiers)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OpenDataSettings(models.Model):
    """The licence under which the public open data is published, chosen by the
    secretariat (one row; :meth:`load` answers the defaults while none is saved).

    The default is Creative Commons Attribution 4.0: an open licence in the sense of
    the Open Definition (anyone may reuse, adapt and redistribute), asking only that the
    source be credited; it has official Arabic and French translations and is widely
    used for open government data, so reusers know it without reading a new text.
    """

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    licence_name = models.CharField(
        _("licence identifier"),
        max_length=100,
        default="CC-BY-4.0",
        help_text=_("Its SPDX identifier, e.g. CC-BY-4.0, ODbL-1.0, etalab-2.0."),
    )
    licence_title = models.CharField(
        _("licence title"), max_length=200, default="Creative Commons Attribution 4.0"
    )
    licence_url = models.URLField(
        _("licence URL"), default="https://creativecommons.org/licenses/by/4.0/"
    )

    class Meta:
        verbose_name = _("open data settings")
        verbose_name_plural = _("open data settings")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="open_data_settings_one_row")
        ]

    def __str__(self) -> str:
        return str(_("Open data licence: %(licence)s") % {"licence": self.licence_name})

    @classmethod
    def load(cls) -> OpenDataSettings:
        """The saved settings, or the defaults (unsaved) while the secretariat has
        chosen nothing: reading never writes."""
        return cls.objects.first() or cls()

    def licence(self) -> dict[str, str]:
        """The ``licenses`` entry of a Frictionless data package."""
        return {"name": self.licence_name, "title": self.licence_title, "path": self.licence_url}
