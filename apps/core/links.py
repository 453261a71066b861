"""Addresses of a list's rows, reversed once per page rather than once per row.

Reversing a URL costs more than rendering a row's own data, and a list of hundreds of
rows reversed several addresses each. ``link_format("commitment_detail", plan.slug,
INT)`` reverses once with markers in place of the row's values and gives a format
string: ``fmt.format(number)`` is then the row's address, identical to ``reverse``'s."""

from __future__ import annotations

from django.urls import reverse

# Markers that pass the path converters (``int``, ``slug``) and appear nowhere else.
INT = 987654321987
SLUG = "row-marker-slug"


def link_format(viewname: str, *args: object) -> str:
    """The address of ``viewname`` as a format string with ``{}`` in place of each
    ``INT`` or ``SLUG`` marker among ``args`` (in order)."""
    url = reverse(viewname, args=args).replace("{", "{{").replace("}", "}}")
    return url.replace(str(INT), "{}").replace(SLUG, "{}")
