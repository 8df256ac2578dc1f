"""Reverse URLs once per address.

`django.urls.reverse` costs tens of microseconds, and a page of twenty briefs
asks for some sixty URLs, mostly the same ones again and again (its topics, the
site's navigation). Each answer is remembered under all it depends on: the URL
patterns in use (a new resolver after `clear_url_caches()` or another URLconf)
and the script prefix.
"""

import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=4096)
def _reverse(viewname, args, kwargs, resolver, prefix):
    return reverse(
        viewname, urlconf=resolver.urlconf_name, args=args, kwargs=dict(kwargs)
    )


def cached_reverse(viewname, *args, **kwargs):
    """Return `reverse(viewname, args=args, kwargs=kwargs)`, remembered."""
    resolver = get_resolver(get_urlconf())
    return _reverse(
        viewname, args, tuple(kwargs.items()), resolver, get_script_prefix()
    )
