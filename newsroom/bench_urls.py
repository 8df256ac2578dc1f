"""URLs of the benchmark configuration (`BENCH=1`): the site plus a floor view.

The floor is the cheapest page Django can serve through the same middleware;
the benchmark reports every page's speed as a share of it.
"""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("Hello, world!", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("newsroom.urls")),
]
