from django.urls import path

from . import views

app_name = "briefs"

urlpatterns = [
    path("", views.BriefListView.as_view(), name="brief-list"),
    path("briefs/<slug:slug>/", views.BriefDetailView.as_view(), name="brief-detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
]
