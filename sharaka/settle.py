"""A web process settles before its first request: what every request would load is
loaded, then put out of the garbage collector's sight.

A full collection of Python's garbage collector walks every object the process holds.
Once Django, every app, every URL pattern and view module are loaded, that is over a
hundred thousand objects that live as long as the process: measured at OGP-wide scale,
one request in ten paid a full collection of about 90 ms (an API list going from 50 ms
to 140–230 ms). ``gc.freeze()`` moves them to a permanent generation that collections
skip (what Python's documentation advises for long-lived processes); the objects of the
requests are collected as before. Called by ``sharaka.wsgi`` (each gunicorn worker) and
by the benchmark before it measures (``bench/bench_scale.py``).
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Load the URL patterns (and the views they import), collect what loading left
    behind, then freeze the rest; the number of objects frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
