"""Send partners what happens to published briefs, signed, retried, never lost.

The change event (`briefs.changes`) says per brief what happened to it; once it
commits, `on_briefs_changed` only writes one `WebhookDelivery` row per
subscription and event, with the payload as it is then (a deleted brief cannot
be read later), and queues one task. The worker sends each delivery
(`deliver`): a 2xx answer delivers it; anything else is logged as an attempt
and the next try is due after a growing delay, until `RETRY_PERIOD` after the
event, when it is given up as failed.

Every state lives in rows. A task that was lost (a worker restarted, a queue
flushed) leaves its delivery due in the table: `sweep` (run after delivery
tasks) and `manage.py send_webhooks` queue it again, and a claim
on the row makes sure two workers never send the same try twice.
"""

import datetime
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from . import changes
from .models import Brief
from .models.webhooks import (
    PING,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from .webhook_urls import validate_webhook_url

logger = logging.getLogger(__name__)

EVENT_OF_KIND = {
    changes.PUBLISHED: WebhookEvent.PUBLISHED,
    changes.UPDATED: WebhookEvent.UPDATED,
    changes.WITHDRAWN: WebhookEvent.WITHDRAWN,
    changes.CORRECTED: WebhookEvent.CORRECTED,
}
# Delays between tries; past the last one, every further try waits as long.
RETRY_DELAYS = tuple(
    datetime.timedelta(seconds=s)
    for s in (5, 30, 120, 600, 1800, 3600, 2 * 3600, 4 * 3600, 6 * 3600)
)
RETRY_PERIOD = datetime.timedelta(hours=24)
# A claimed delivery is left alone this long; a worker that died while sending
# it lets it fall due again after that.
CLAIM = datetime.timedelta(minutes=2)
# A due delivery this late had its task lost: queue it again. A busy queue can
# be this far behind too; the copies it then gets find nothing due (`_claim`),
# and `sweep` runs at most once per SWEEP_EVERY, so they stay few.
OVERDUE = datetime.timedelta(minutes=10)
SWEEP_EVERY = datetime.timedelta(minutes=1)
DISPATCH_BATCH = 500
# The status a withdrawn event gives a brief that no longer exists.
DELETED = "deleted"
# What the payload reads of a brief.
PAYLOAD_FIELDS = ("slug", "title", "status", "version", "published_at", "uuid")
# How much of a subscriber's answer is kept in the log.
ERROR_LENGTH = 300


# Payloads


def brief_data(brief):
    """Return what a partner needs to know about `brief` (a Brief or a stand-in
    with its fields)."""
    slug = brief.slug
    return {
        "id": str(brief.uuid),
        "slug": slug,
        "url": settings.SITE_URL + reverse("briefs:brief-detail", args=[slug]),
        "api_url": settings.SITE_URL
        + reverse("api:brief-detail", kwargs={"slug": slug}),
        "title": brief.title,
        "status": brief.status,
        "version": brief.version,
    }


def payload(event, brief, at=None, seq=None):
    """Return the JSON body of `event` about `brief`, as of `at` (now); `seq`
    is the change's number in the change feed (None if it has none)."""
    at = at or timezone.now()
    return {
        "type": str(event),
        "timestamp": at.isoformat().replace("+00:00", "Z"),
        "seq": seq,
        "data": brief_data(brief),
    }


def _deleted_brief(pk):
    """Return a stand-in for the deleted brief `pk`, from its last revision
    (`services.brief_delete` records one), or None."""
    from reversion.errors import RevertError
    from reversion.models import Version

    version = (
        Version.objects.get_for_model(Brief)
        .filter(object_id=str(pk))
        .order_by("-pk")
        .first()
    )
    if version is None:
        return None
    try:
        fields = version.field_dict
    except RevertError:
        return None
    names = ("slug", "title", "version", "uuid")
    brief = Brief(**{name: fields[name] for name in names if name in fields})
    brief.status = DELETED
    return brief


# The consumer of the change event


def on_briefs_changed(sender, change, **kwargs):
    """Write the deliveries of a committed change and queue them."""
    subscriptions = list(WebhookSubscription.objects.filter(is_active=True))
    if not subscriptions or not change.brief_ids:
        return
    now = timezone.now()
    briefs = (
        Brief.objects.filter(pk__in=change.brief_ids).only(*PAYLOAD_FIELDS).in_bulk()
    )
    deliveries = []
    for pk in sorted(change.brief_ids):
        kind = change.kind_of(pk)
        brief = briefs.get(pk)
        if kind == changes.WITHDRAWN:
            brief = brief or _deleted_brief(pk)
            if brief is None:
                continue
        elif (
            brief is None
            or brief.status != Brief.Status.PUBLISHED
            or (brief.published_at and brief.published_at > now)
        ):
            # Partners hear of what they can see, nothing else: a scheduled
            # brief is news when it goes live, a change of its own
            # (`services.timed_changes_record`).
            continue
        event = EVENT_OF_KIND[kind]
        body = payload(event, brief, now, seq=change.seq_of(pk))
        for subscription in subscriptions:
            if subscription.wants(event):
                deliveries.append(
                    WebhookDelivery(
                        subscription=subscription,
                        event=event,
                        brief_id=pk,
                        payload=body,
                        next_attempt_at=now,
                    )
                )
    if not deliveries:
        return
    WebhookDelivery.objects.bulk_create(deliveries)
    dispatch_webhooks_task.enqueue()


def _enqueue_at(task, at, *args):
    """Queue `task` to run at `at` where the backend can wait; elsewhere the
    delivery stays due in its row for the next dispatch."""
    if task.get_backend().supports_defer:
        task.using(run_after=at).enqueue(*args)


# Sending


def dispatch_due(at=None, *, older_than=None):
    """Queue a delivery task for each pending delivery due at `at` (now);
    with `older_than`, only those due for at least that long. Return how many."""
    at = at or timezone.now()
    due = WebhookDelivery.objects.due(at - (older_than or datetime.timedelta()))
    ids = list(
        due.order_by("next_attempt_at").values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    for pk in ids:
        deliver_webhook_task.enqueue(pk)
    return len(ids)


def sweep():
    """Queue the deliveries whose task was lost, at most once per SWEEP_EVERY
    (across processes sharing the cache); return how many."""
    if not cache.add("webhooks:sweep", True, SWEEP_EVERY.total_seconds()):
        return 0
    return dispatch_due(older_than=OVERDUE)


def _claim(pk, now):
    """Take delivery `pk` for one try if it is due; return it, or None."""
    taken = (
        WebhookDelivery.objects.due(now)
        .filter(pk=pk)
        .update(next_attempt_at=now + CLAIM)
    )
    if not taken:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=pk)


def _still_public(delivery):
    """Return (True, None) if `delivery` may go now; else (False, when) where
    `when` is a later time to try, or None to skip it."""
    if delivery.event == WebhookEvent.WITHDRAWN or delivery.brief_id is None:
        return True, None
    brief = (
        Brief.objects.filter(pk=delivery.brief_id)
        .only("status", "published_at")
        .first()
    )
    if brief is None or brief.status != Brief.Status.PUBLISHED:
        return False, None
    if brief.published_at and brief.published_at > timezone.now():
        return False, brief.published_at
    return True, None


def signed_request(subscription, delivery, body):
    """Return the headers of `body` for `delivery`, signed with the secret."""
    sent_at = timezone.now()
    signature = Webhook(subscription.secret).sign(
        msg_id=delivery.message_id, timestamp=sent_at, data=body
    )
    return {
        "Content-Type": "application/json",
        "User-Agent": f"{settings.SITE_NAME} webhooks",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could point anywhere, a private host included: it is an
    # answer like any other non-2xx, never followed.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url, body, headers):
    """POST `body`; return (status code or None, error text)."""
    try:
        validate_webhook_url(url)
    except ValidationError as error:
        return None, " ".join(error.messages)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        text = error.read(ERROR_LENGTH).decode("utf-8", "replace")
        return error.code, f"HTTP {error.code} {error.reason}: {text}".strip()
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, f"Could not reach the subscriber: {reason}"


def next_attempt(delivery, now):
    """Return when the next try of `delivery` is due, or None to give up."""
    deadline = delivery.created_at + RETRY_PERIOD
    if now >= deadline:
        return None
    delay = RETRY_DELAYS[min(delivery.attempts - 1, len(RETRY_DELAYS) - 1)]
    return min(now + delay, deadline)


def deliver(pk):
    """Try delivery `pk` once if it is due; return its status, or None if it
    was not due (sent already, or another worker has it)."""
    now = timezone.now()
    delivery = _claim(pk, now)
    if delivery is None:
        return None
    go, later = _still_public(delivery)
    if not go:
        status = DeliveryStatus.PENDING if later else DeliveryStatus.SKIPPED
        WebhookDelivery.objects.filter(pk=pk).update(
            status=status, next_attempt_at=later
        )
        if later:
            _enqueue_at(deliver_webhook_task, later, pk)
        return status
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = signed_request(delivery.subscription, delivery, body)
    started = time.monotonic()
    code, error = post(delivery.subscription.url, body, headers)
    took = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.last_error = error[:ERROR_LENGTH]
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
    else:
        if not error:
            error = delivery.last_error = f"HTTP {code}"
        delivery.next_attempt_at = next_attempt(delivery, now)
        if delivery.next_attempt_at is None:
            delivery.status = DeliveryStatus.FAILED
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, at=now, status_code=code, error=error, duration_ms=took
        )
        delivery.save(
            update_fields=[
                "attempts",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    if delivery.status == DeliveryStatus.PENDING:
        _enqueue_at(deliver_webhook_task, delivery.next_attempt_at, pk)
    return delivery.status


def retry_now(deliveries):
    """Make `deliveries` (a queryset) due now, failed ones included; queue them."""
    ids = list(
        deliveries.filter(
            Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.FAILED)
        ).values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )

    def enqueue():
        for pk in ids:
            deliver_webhook_task.enqueue(pk)

    # A worker that ran the task before the commit would find nothing due.
    transaction.on_commit(enqueue)
    return len(ids)


def ping(subscription):
    """Queue a test event for `subscription`; return its delivery."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event=PING,
        payload={
            "type": PING,
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "data": {"subscription": subscription.pk},
        },
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: deliver_webhook_task.enqueue(delivery.pk))
    return delivery


@task()
def dispatch_webhooks_task():
    """Queue a delivery task for each webhook delivery that is due."""
    return dispatch_due()


@task()
def deliver_webhook_task(delivery_id):
    """Try one webhook delivery; then queue any whose task was lost."""
    status = deliver(delivery_id)
    sweep()
    return status
