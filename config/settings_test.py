"""Settings for the test suite: the normal settings with a throw-away secret key (DEBUG stays off)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from .settings import *  # noqa: E402, F403

# Fast hashing in tests; the real hasher (Argon2) is what settings.py configures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client speaks plain HTTP; production redirects to HTTPS.
SECURE_SSL_REDIRECT = False

# Fault tests (tests/test_reminders_worker.py): a worker that sleeps inside the sweep's transaction, so it
# can be killed mid-sweep or overlap another sweep.
REMINDER_SWEEP_PAUSE = float(os.environ.get("REMINDER_SWEEP_PAUSE", "0"))
# The worker tests ask for the console backend (TEST_EMAIL_BACKEND) to read what a worker's log would hold.
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

# The live server's thread (browser tests) closes its connection after each request, so the test database
# can be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
