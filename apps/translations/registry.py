"""What there is to translate: every text field registered with django-modeltranslation,
read from its registry (no app lists its fields twice). A *kind* is a model, named by
its label (``plans.activity``); Arabic is the source, the other languages the targets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import models
from modeltranslation.translator import translator

from apps.core.languages import DEFAULT_LANGUAGE, LANGUAGES

SOURCE = DEFAULT_LANGUAGE
TARGETS: tuple[str, ...] = tuple(code for code in LANGUAGES if code != SOURCE)


@dataclass(frozen=True)
class Kind:
    label: str  # "plans.activity"
    model: type[models.Model]
    fields: tuple[str, ...]  # the translatable text fields, in registration order

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def field_label(self, field: str) -> str:
        return str(getattr(self.model._meta.get_field(field), "verbose_name", field))

    @property
    def has_progress(self) -> bool:
        return any(f.name == "progress" for f in self.model._meta.concrete_fields)


def _text_fields(model: type[models.Model]) -> tuple[str, ...]:
    registered = set(getattr(translator.get_options_for_model(model), "fields", ()))
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if field.name in registered and isinstance(field, models.CharField | models.TextField)
    )


def kinds() -> dict[str, Kind]:
    """Every kind of content with text to translate, by label (sorted)."""
    found = {}
    for model in translator.get_registered_models(abstract=False):
        if model._meta.proxy or model._meta.label_lower.startswith("historical"):
            continue
        fields = _text_fields(model)
        if fields:
            found[model._meta.label_lower] = Kind(model._meta.label_lower, model, fields)
    return dict(sorted(found.items()))


def kind_of(label: str) -> Kind | None:
    return kinds().get(label)


def column(field: str, language: str) -> str:
    return f"{field}_{language}"


def source_hash(text: str | None) -> str:
    """A fingerprint of the Arabic source, to see that it changed after a review."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]
