import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIRequestFactory

from briefs.api.permissions import ModelPermissionsOrReadOnly
from briefs.api.viewsets import BriefViewSet


class QuerysetRefused(BriefViewSet):
    def get_queryset(self):
        raise AssertionError("a read must not build the view's queryset")


def anonymous(method):
    request = getattr(APIRequestFactory(), method)("/api/v1/briefs/")
    request.user = AnonymousUser()
    return request


def test_a_read_is_let_through_without_building_the_view_queryset():
    permission = ModelPermissionsOrReadOnly()

    for method in ("get", "head", "options"):
        assert permission.has_permission(anonymous(method), QuerysetRefused())


@pytest.mark.django_db
def test_an_anonymous_write_is_still_refused():
    permission = ModelPermissionsOrReadOnly()
    request = anonymous("post")
    view = BriefViewSet(action="create", request=request)

    assert not permission.has_permission(request, view)
