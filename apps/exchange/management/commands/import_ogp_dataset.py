"""``manage.py import_ogp_dataset <file>``: import OGP's commitments dataset (CSV or
.xlsx) and print the report (see :mod:`apps.exchange.ogp`)."""

from apps.exchange.commands import ImportCommand


class Command(ImportCommand):
    help = "Import OGP's commitments dataset (every member's plans and commitments)."
    kind = "ogp"
