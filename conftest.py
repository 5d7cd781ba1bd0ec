"""Project-wide test isolation: each test starts in the default language with an empty cache.

Django's LocaleMiddleware leaves the language of the last request active in the thread, and
the local-memory cache (rate limits, sessions of the embedded default) outlives a test; either
would let one test's outcome depend on another's.
"""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated_language_and_cache() -> Iterator[None]:
    if not settings.configured:  # the Django-free solver tests run without pytest-django
        yield
        return
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    yield
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
