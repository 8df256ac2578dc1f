"""Build the newsletters' emails: plain text and HTML with its CSS inlined.

An alert or a digest reads the same for every reader who gets it but for the
links to manage and leave the subscription. It is rendered once, with
placeholders where those links go, and each reader's copy only fills them in:
a digest to 100,000 readers renders a handful of times, not 100,000.
"""

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch
from django.template.loader import render_to_string

from briefs.models import Brief, Vote

from . import links

MANAGE_PLACEHOLDER = "newsletter-manage-link-placeholder"
UNSUBSCRIBE_PLACEHOLDER = "newsletter-unsubscribe-link-placeholder"
# Email clients drop <style> blocks and ignore external sheets; this one
# library call moves the template's rules onto the elements.
_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


class Rendered:
    """An email's subject, text and HTML, with its links still to fill in."""

    def __init__(self, subject, text, html):
        self.subject = subject
        self.text = text
        self.html = html

    def message_to(self, subscriber):
        """Return the email for `subscriber` (needs `key` and `email`)."""
        manage = links.manage_url(subscriber)
        unsubscribe = links.unsubscribe_url(subscriber)

        def fill(body):
            return body.replace(MANAGE_PLACEHOLDER, manage).replace(
                UNSUBSCRIBE_PLACEHOLDER, unsubscribe
            )

        message = EmailMultiAlternatives(
            subject=self.subject,
            body=fill(self.text),
            to=[subscriber.email],
            headers={
                # RFC 2369 and RFC 8058: mail clients offer a one-click
                # unsubscribe that POSTs to this address.
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"{settings.SITE_NAME} <briefs.{list_host()}>",
            },
        )
        message.attach_alternative(fill(self.html), "text/html")
        return message


def list_host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":")[0]


def render(name, context):
    """Return (text, HTML) of the email templates `name`.txt and .html."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "manage_url": MANAGE_PLACEHOLDER,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        **context,
    }
    text = render_to_string(f"newsletters/email/{name}.txt", context, using="django")
    html = render_to_string(f"newsletters/email/{name}.html", context, using="django")
    return text, _inliner.inline(html)


def briefs_for_email(brief_ids):
    """Return the briefs `brief_ids` that readers can see, newest first, with
    what the email shows of them."""
    return list(
        Brief.objects.published()
        .filter(pk__in=brief_ids)
        .prefetch_related(
            "topics",
            Prefetch("votes", queryset=Vote.objects.select_related("body")),
        )
        .order_by("-published_at", "-pk")
    )


def brief_context(brief):
    url = settings.SITE_URL + brief.get_absolute_url()
    return {
        "title": brief.title,
        "summary": brief.summary,
        "url": url,
        "topics": [topic.name for topic in brief.topics.all()],
        "votes": [
            {
                "body": vote.body.label if vote.body_id else "",
                "title": vote.title,
                "symbol": vote.symbol,
                "outcome": vote.outcome_words,
                "yes": vote.yes,
                "no": vote.no,
                "abstain": vote.abstain,
                "not_voting": vote.not_voting,
                "chart_url": f"{url}#vote-{vote.pk}",
            }
            for vote in brief.votes.all()
        ],
    }


def alert(brief):
    """Return the alert email of `brief`, or None if readers cannot see it."""
    briefs = briefs_for_email([brief.pk])
    if not briefs:
        return None
    text, html = render(
        "alert", {"brief": brief_context(briefs[0]), "heading": briefs[0].title}
    )
    return Rendered(f"{settings.SITE_NAME}: {briefs[0].title}", text, html)


def digest(brief_ids, *, heading="Your briefs"):
    """Return the digest email of `brief_ids`, or None if readers can see none."""
    briefs = briefs_for_email(brief_ids)
    if not briefs:
        return None
    count = len(briefs)
    subject = (
        f"{settings.SITE_NAME}: {briefs[0].title}"
        if count == 1
        else f"{settings.SITE_NAME}: {count} briefs, {briefs[0].title} and more"
    )
    text, html = render(
        "digest",
        {"briefs": [brief_context(brief) for brief in briefs], "heading": heading},
    )
    return Rendered(subject, text, html)


def confirmation(subscriber):
    """Return the email that asks `subscriber` to confirm the address."""
    text, html = render(
        "confirm",
        {
            "confirm_url": links.confirm_url(subscriber),
            "hours": links.confirm_max_age() // 3600,
            "heading": "Confirm your subscription",
        },
    )
    return EmailMultiAlternatives(
        subject=f"{settings.SITE_NAME}: confirm your subscription",
        body=text,
        to=[subscriber.email],
        alternatives=[(html, "text/html")],
    )


def already_subscribed(subscriber):
    """Return the email that tells a confirmed subscriber where to change
    their choices, sent when someone enters the address again."""
    text, html = render(
        "already",
        {
            "manage_url": links.manage_url(subscriber),
            "heading": "You are already subscribed",
        },
    )
    return EmailMultiAlternatives(
        subject=f"{settings.SITE_NAME}: your subscription",
        body=text,
        to=[subscriber.email],
        alternatives=[(html, "text/html")],
    )
