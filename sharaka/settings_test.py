"""Settings for the test suite: the production settings with a test secret and a fast
password hasher. The database still comes from DATABASE_URL (SQLite or PostgreSQL)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from sharaka.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Two-factor sign-in by role is on in production; here, the tests of other features sign
# in as the secretariat or an administrator without an authenticator. The rule's own
# tests turn it on (apps/people/tests/test_two_factor.py).
SHARAKA_REQUIRE_TWO_FACTOR = False
# The robustness walk posts thousands of hostile sign-ins from one address: the lockout
# would end the walk. The lockout's own tests set the production number back
# (SHARAKA_LOGIN_FAILURE_LIMIT, unchanged here: apps/accounts/tests/test_lockout.py).
AXES_FAILURE_LIMIT = 1_000_000
# The public page cache is off for the suite (a test's rolled-back writes never commit,
# so they would never invalidate it); its own tests turn it on and commit for real
# (apps/core/tests/test_public_cache.py).
SHARAKA_PUBLIC_CACHE = False
CACHES["public"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public",
}
