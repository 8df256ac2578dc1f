"""Read replicas: reads go to a replica, writes and migrations to the primary.

Replicas are named in the environment (`DATABASE_REPLICA_URLS`, comma-separated)
and become the aliases `replica_1`, `replica_2`, ... in `DATABASES`.
"""

import random
from contextlib import contextmanager
from contextvars import ContextVar

import environ
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Accounts, sessions and tokens are read right after they are written (a
# sign-in, then the next request): a lagging replica would sign people out.
PRIMARY_ONLY_APPS = {"admin", "auth", "authtoken", "sessions"}
# So are API tokens (a rotated key must stop working at once) and webhook
# deliveries (a worker reads the row it has just claimed).
PRIMARY_ONLY_MODELS = {
    "briefs.apitoken",
    "briefs.webhooksubscription",
    "briefs.webhookdelivery",
    "briefs.webhookattempt",
}

_primary_only = ContextVar("primary_only", default=False)


@contextmanager
def primary_reads():
    """Send every read in the block to the primary (a replica may lag behind)."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


def replica_databases(urls, *, conn_max_age=60):
    """Return the `DATABASES` entries for the replicas at `urls`, by alias."""
    databases = {}
    for number, url in enumerate(urls, start=1):
        config = environ.Env.db_url_config(url)
        config["CONN_MAX_AGE"] = conn_max_age
        config["CONN_HEALTH_CHECKS"] = True
        # Tests have one database: a replica reads the test copy of the primary.
        config["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
        databases[f"replica_{number}"] = config
    return databases


class ReplicaRouter:
    """Send reads to a replica chosen at random and everything else to `default`.

    A read stays on the primary inside a transaction on the primary, so that a
    request sees what it has just written (replicas lag a little), and so do
    reads of accounts and sessions; a read of an object's relations goes where
    the object came from.
    """

    def db_for_read(self, model, **hints):
        replicas = getattr(settings, "DATABASE_REPLICAS", [])
        if (
            not replicas
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or model._meta.label_lower in PRIMARY_ONLY_MODELS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or _primary_only.get()
        ):
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data: the replicas copy the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
