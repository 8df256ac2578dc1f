"""The product's URLs plus the floor: the cheapest page Django can serve
through the same middleware, which every measured page is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("Hello, world!", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("newsroom.urls")),
]
