"""The readers' pages: subscribe, confirm, manage, unsubscribe.

No page tells whether an address is subscribed; the links in emails carry a
signed token (newsletters.links) and are the only way into a subscription.
None of these pages is cached: they hold forms and personal choices.
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView, View

from briefs.api.throttling import client_address

from . import links, services
from .forms import PreferencesForm, SubscribeForm


def invalid_link(request):
    return TemplateResponse(
        request,
        "newsletters/invalid_link.html",
        {"title": "Link not valid"},
        status=404,
    )


@method_decorator(never_cache, name="dispatch")
class SubscribeView(FormView):
    template_name = "newsletters/subscribe.html"
    form_class = SubscribeForm

    def form_valid(self, form):
        if not services.subscribe_allowed(client_address(self.request)):
            return TemplateResponse(
                self.request,
                "newsletters/rate_limited.html",
                {"title": "Too many requests"},
                status=429,
            )
        data = form.cleaned_data
        services.subscriber_subscribe(email=data.pop("email"), choices=data)
        return redirect("newsletters:subscribe-sent")


@method_decorator(never_cache, name="dispatch")
class SubscribeSentView(TemplateView):
    template_name = "newsletters/subscribe_sent.html"


class TokenMixin:
    """Find the subscriber named by the URL's token, or answer 404."""

    purpose = links.MANAGE

    def max_age(self):
        return None

    def dispatch(self, request, *args, token, **kwargs):
        self.token = token
        self.subscriber = links.subscriber_for(
            token, self.purpose, max_age=self.max_age()
        )
        if self.subscriber is None:
            return invalid_link(request)
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ConfirmView(TokenMixin, TemplateView):
    """Confirm on a button, not on opening the link: mail scanners open links."""

    template_name = "newsletters/confirm.html"
    purpose = links.CONFIRM

    def max_age(self):
        return links.confirm_max_age()

    def post(self, request, *args, **kwargs):
        services.subscriber_confirm(subscriber=self.subscriber)
        manage = reverse(
            "newsletters:manage", args=[links.token(self.subscriber, links.MANAGE)]
        )
        return redirect(manage + "?confirmed=1")


@method_decorator(never_cache, name="dispatch")
class ManageView(TokenMixin, FormView):
    template_name = "newsletters/manage.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.subscriber}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subscriber=self.subscriber,
            token=self.token,
            confirmed=self.request.GET.get("confirmed") == "1",
            saved=self.request.GET.get("saved") == "1",
            **kwargs,
        )

    def form_valid(self, form):
        services.subscriber_update(
            subscriber=self.subscriber, choices=form.cleaned_data
        )
        return redirect(self.request.path + "?saved=1")


@method_decorator(never_cache, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TokenMixin, TemplateView):
    """One click, RFC 8058: mail clients POST here with no cookie and no CSRF
    token; the signed token in the address is the proof. Opening the link
    (GET) only shows the button, so a link scanner unsubscribes no one."""

    template_name = "newsletters/unsubscribe.html"

    def post(self, request, *args, **kwargs):
        services.subscriber_erase(email=self.subscriber.email)
        return TemplateResponse(request, "newsletters/unsubscribed.html", {})


@method_decorator(never_cache, name="dispatch")
class DeleteView(TokenMixin, View):
    """The reader deletes the subscription and all that is kept of it."""

    def post(self, request, *args, **kwargs):
        services.subscriber_erase(email=self.subscriber.email)
        return TemplateResponse(request, "newsletters/unsubscribed.html", {})
