"""Settings of the benchmark: the product's own, with the floor view mounted.

`bench/run.py` and `bench/soak.py` run the app with
`DJANGO_SETTINGS_MODULE=bench.settings`; nothing else uses this module.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
