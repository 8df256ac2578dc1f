"""Reading prefetched relations cheaply."""


def related(instance, name):
    """Return the objects of `instance`'s relation `name`, like `.all()`.

    A prefetched relation is read from the prefetch cache directly: going
    through the descriptor builds a related manager and a queryset on every
    access, which costs more than rendering a small object. Without a
    prefetch this queries, as `.all()` does.
    """
    try:
        return instance._prefetched_objects_cache[name]
    except (AttributeError, KeyError):
        return getattr(instance, name).all()
