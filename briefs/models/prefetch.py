"""Relations prefetched into plain lists, read without building a queryset."""

from django.db.models import Prefetch


def held_as(name):
    """Return the attribute that `prefetch(name)` fills with a list."""
    return f"prefetched_{name}"


def prefetch(name, queryset=None):
    """Return a Prefetch of relation `name` into a list that `related` reads."""
    return Prefetch(name, queryset=queryset, to_attr=held_as(name))


def related(instance, name):
    """Return the objects of `instance`'s relation `name`, like `.all()`.

    The list `prefetch(name)` filled is read as it is: going through the
    descriptor builds a related manager and a queryset on every access, which
    costs more than rendering a small object. Otherwise this is `.all()`,
    which a plain `prefetch_related(name)` answers without a query.
    """
    objects = getattr(instance, held_as(name), None)
    return getattr(instance, name).all() if objects is None else objects
