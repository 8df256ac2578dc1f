#!/usr/bin/env bash
# One release of the site: run it from the checkout, with the production
# environment set, after every update of the code (docs/operators/deploy.md).
# `make smoke` runs this same script on a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}

# Runtime dependencies only: the test and lint tools stay out of production.
"$python" -m pip install --quiet .
"$python" manage.py migrate --noinput
# Before anything renders: pages name their static files by the hashed names
# that collectstatic records in its manifest.
"$python" manage.py collectstatic --noinput
# New code makes every stored rendering stale; render them now rather than
# serving each one live until it is rendered again.
"$python" manage.py render_briefs --stale
