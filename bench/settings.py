"""Settings of the benchmark: the product's own, with the floor view mounted.

`bench/run.py` and `bench/soak.py` run the app with
`DJANGO_SETTINGS_MODULE=bench.settings`; nothing else uses this module.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The floor is the cheapest page Django makes through the middleware, made for
# every request: the page cache leaves it alone, so that in the warm runs the
# stored pages are compared with it (the measure the targets were set with).
PAGE_CACHE_EXCLUDED_PREFIXES = [*PAGE_CACHE_EXCLUDED_PREFIXES, "/bench/"]  # noqa: F405
