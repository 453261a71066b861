"""Settings for the test suite: the production settings with a test secret and a fast
password hasher. The database still comes from DATABASE_URL (SQLite or PostgreSQL)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from sharaka.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
