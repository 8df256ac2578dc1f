from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", views.SubscribeView.as_view(), name="subscribe"),
    path("sent/", views.SubscribeSentView.as_view(), name="subscribe-sent"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("manage/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("manage/<str:token>/delete/", views.DeleteView.as_view(), name="delete"),
    path(
        "unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"
    ),
]
