"""Gunicorn settings for production (docs/operators/deploy.md).

Read by gunicorn itself, not by Django. Two values come from the environment:
`GUNICORN_BIND` (default 127.0.0.1:8000) and `WEB_CONCURRENCY` (default two
workers per core plus one).
"""

import multiprocessing
import os

# Loopback only: readers reach the site through the proxy, which also sets the
# X-Forwarded-Proto header that Django trusts (SECURE_PROXY_SSL_HEADER).
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Sync workers: each request is short and spends its time in the database or
# Redis; the proxy buffers slow clients, so a worker is never held by one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# A worker silent this long is killed and replaced; kept below the proxy's
# read timeout so that gunicorn, not nginx, decides and logs it.
timeout = 30
graceful_timeout = 30
# The proxy keeps connections to gunicorn open between requests.
keepalive = 5

# Recycle workers now and then, at staggered moments, so that slow growth of
# memory in any library never adds up.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"

# The process manager starts, reloads and stops gunicorn. Its control socket
# (gunicorn 25.1 and newer) would sit at one path shared by every gunicorn the
# same user runs, each new one taking it from the last.
control_socket_disable = True
