"""Requests the site refuses before they reach a view."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse


class QueryStringLimitMiddleware:
    """Answer 414 to a URL whose query string is over MAX_QUERY_STRING_LENGTH."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_QUERY_STRING_LENGTH
        if limit and len(request.META.get("QUERY_STRING", "")) > limit:
            message = (
                f"The query string is longer than the {limit:,} characters "
                "this site accepts."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=414)
            return HttpResponse(
                message, status=414, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
