"""The Jinja2 environment of the public site's templates (templates/jinja2/).

Templates get what Django's template language gave them, from the same
functions: `static`, `url` and the date, truncatechars, pluralize and urlencode
filters, plus the brief helpers of briefs/templatetags/.
"""

import functools

from django.conf import settings
from django.template.defaultfilters import date, pluralize, truncatechars, urlencode
from django.templatetags.static import static
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from jinja2 import Environment, Undefined, pass_environment
from markupsafe import Markup

from newsroom.storage import manifest_hash

from .links import cached_reverse
from .models import lead_image, related
from .templatetags.brief_tags import absolute_url, brief_json_ld, iso, number_sources
from .templatetags.charts import vote_chart_context

VOTE_CHART_TEMPLATE = "briefs/includes/vote_chart.html"


# Formatting a date costs tens of microseconds, and a page has a dozen or
# twenty, many of them again and again (days of sources and votes recur from
# brief to brief; a list page shows the same briefs to every reader). Each is
# remembered under all its text depends on: the moment, its time zone (aware
# datetimes of one instant in two zones are equal), the format and the language.
@functools.lru_cache(maxsize=4096)
def _format_date(value, tzinfo, fold, format_string, language):
    return date(value, format_string)


def local_date(value, format_string):
    """Format `value` as Django's date filter does, in the current time zone."""
    value = template_localtime(value)
    tzinfo = getattr(value, "tzinfo", None)
    fold = getattr(value, "fold", 0)
    return _format_date(value, tzinfo, fold, format_string, get_language())


# A static file's URL (its hashed name, from the manifest) costs tens of
# microseconds and every page asks for the same three; the manifest is read once
# per process anyway. Remembered under the settings that choose the storage and
# the manifest's hash.
@functools.lru_cache(maxsize=256)
def _static(path, static_url, storage, manifest):
    return static(path)


def cached_static(path):
    """Return `static(path)`, remembered."""
    storage = settings.STORAGES["staticfiles"]["BACKEND"]
    return _static(path, settings.STATIC_URL, storage, manifest_hash())


@pass_environment
def vote_chart(env, vote):
    """Return the chart of `vote` (its positions prefetched) as markup."""
    template = env.get_template(VOTE_CHART_TEMPLATE)
    return Markup(template.render(vote_chart_context(vote)))


def environment(**options):
    # A missing value prints nothing in development too, as on the live site
    # (Django's default in DEBUG, DebugUndefined, would print its name).
    options["undefined"] = Undefined
    env = Environment(**options)
    env.globals.update(
        static=cached_static,
        url=cached_reverse,
        absolute_url=absolute_url,
        number_sources=number_sources,
        brief_json_ld=brief_json_ld,
        vote_chart=vote_chart,
        related=related,
        lead_image=lead_image,
    )
    env.filters.update(
        date=local_date,
        iso=iso,
        truncatechars=truncatechars,
        pluralize=pluralize,
        urlencode=urlencode,
    )
    return env
