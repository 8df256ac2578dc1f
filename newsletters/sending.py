"""Send alerts and digests in batches, each brief at most once per reader.

A batch first claims its `Delivery` rows (one per reader and brief, unique in
the database) and commits them; then it sends through one connection of the
configured email backend; then it marks the sent rows and drops the claims of
those it could not send, so that a later run sends them. A run that fails
half-way therefore resumes where it stopped. A worker killed outright between
the two leaves its claims unmarked: whether those emails left is unknown, and
they are not sent again (never twice beats twice; the admin counts them).

Readers are read in pages by primary key, never all at once, so a list of any
size runs in constant memory.
"""

import datetime
import logging

from django.core.mail import mailers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from briefs.models import Brief

from . import emails
from .models import (
    DIGEST_WINDOWS,
    Delivery,
    Frequency,
    NewsletterSettings,
    Subscriber,
    visible_at,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# The periodic run sends alerts still owed for briefs that became visible this
# recently: an embargo that ended, a worker that was down, a pause lifted.
ALERT_WINDOW = datetime.timedelta(days=1)
# The most briefs one digest lists.
DIGEST_MAX_BRIEFS = 30
# Distinct digests kept rendered during one run.
RENDERED_CACHE = 256


def send_batch(kind, batch):
    """Send `batch`, a list of (subscriber, brief_ids, message); return the
    subscribers sent to. A failed send ends the batch and is raised, after
    the claims of the unsent are dropped."""
    if not batch:
        return []
    claimed_at = timezone.now()
    with transaction.atomic():
        Delivery.objects.bulk_create(
            Delivery(
                subscriber_id=subscriber.pk,
                brief_id=brief_id,
                kind=kind,
                claimed_at=claimed_at,
            )
            for subscriber, brief_ids, _ in batch
            for brief_id in brief_ids
        )
    sent = []
    try:
        # One connection (one SMTP session) for the whole batch.
        with mailers.default as connection:
            for subscriber, _, message in batch:
                connection.send_messages([message])
                sent.append(subscriber)
    finally:
        claims = Delivery.objects.filter(
            subscriber_id__in=[subscriber.pk for subscriber, _, _ in batch],
            claimed_at=claimed_at,
            sent_at__isnull=True,
        )
        sent_ids = [subscriber.pk for subscriber in sent]
        with transaction.atomic():
            claims.filter(subscriber_id__in=sent_ids).update(sent_at=timezone.now())
            claims.exclude(subscriber_id__in=sent_ids).delete()
        if len(sent) < len(batch):
            logger.warning(
                "Newsletter batch stopped after %s of %s emails.", len(sent), len(batch)
            )
    return sent


def pages(queryset, size=BATCH_SIZE):
    """Yield lists of `queryset`'s rows in primary-key order, `size` at a time,
    read afresh each time (keyset paging: no cursor held open while writing)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def alert_recipients(brief):
    """Return the readers an alert of `brief` is owed to: at once, wanting it,
    subscribed before it became visible, and not sent it yet."""
    return (
        Subscriber.objects.receiving()
        .filter(frequency=Frequency.IMMEDIATE, confirmed_at__lte=visible_at(brief))
        .wanting(brief)
        .without(brief)
        .only("pk", "email", "key")
    )


def send_alert(brief_id):
    """Send the alert of brief `brief_id` to the readers still owed it, if
    readers can see the brief now; return how many emails went."""
    if NewsletterSettings.sending_paused():
        return 0
    brief = Brief.objects.published().filter(pk=brief_id).first()
    if brief is None:
        return 0
    rendered = emails.alert(brief)
    total = 0
    for page in pages(alert_recipients(brief)):
        # Withdrawn or put back under embargo while the alert was going out.
        if not Brief.objects.published().filter(pk=brief_id).exists():
            break
        batch = [(reader, [brief.pk], rendered.message_to(reader)) for reader in page]
        total += len(send_batch(Delivery.Kind.ALERT, batch))
    return total


def send_pending_alerts(now=None):
    """Send the alerts still owed for briefs that became visible lately."""
    now = now or timezone.now()
    since = now - ALERT_WINDOW
    recent = (
        Brief.objects.published(now)
        .filter(Q(published_at__gte=since) | Q(embargo_until__gte=since))
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(send_alert(pk) for pk in recent)


class DigestCandidates:
    """The briefs a digest may list now, with the topics and bodies that
    subscribers' choices are matched against."""

    def __init__(self, now):
        since = now - max(DIGEST_WINDOWS.values())
        self.briefs = list(
            Brief.objects.published(now)
            .filter(Q(published_at__gte=since) | Q(embargo_until__gte=since))
            .only("pk", "published_at", "embargo_until")
            .order_by("-published_at", "-pk")
        )
        ids = [brief.pk for brief in self.briefs]
        self.topics = {pk: set() for pk in ids}
        self.bodies = {pk: set() for pk in ids}
        topic_rows = Brief.topics.through.objects.filter(brief_id__in=ids)
        for brief_id, topic_id in topic_rows.values_list("brief_id", "topic_id"):
            self.topics[brief_id].add(topic_id)
        vote_rows = Brief.votes.through.objects.filter(brief_id__in=ids)
        for brief_id, body_id in vote_rows.values_list("brief_id", "vote__body_id"):
            self.bodies[brief_id].add(body_id)
        self.ids = ids

    def for_subscriber(self, subscriber, now, delivered):
        """Return the ids of the briefs `subscriber`'s digest lists now."""
        since = subscriber.digest_since(now)
        chosen = [
            brief.pk
            for brief in self.briefs
            if visible_at(brief) > since
            and (subscriber.pk, brief.pk) not in delivered
            and subscriber.wants(self.topics[brief.pk], self.bodies[brief.pk])
        ]
        return chosen[:DIGEST_MAX_BRIEFS]


def send_due_digests(now=None):
    """Send the digests whose hour has come; return how many emails went.

    Each reader handled (sent a digest, or owed nothing) is scheduled for the
    next one; a reader whose email failed stays due for the next run.
    """
    if NewsletterSettings.sending_paused():
        return 0
    now = now or timezone.now()
    candidates = DigestCandidates(now)
    rendered = {}
    total = 0
    due = Subscriber.objects.due_for_digest(now).prefetch_related("topics", "bodies")
    for page in pages(due):
        delivered = set(
            Delivery.objects.filter(
                subscriber_id__in=[reader.pk for reader in page],
                brief_id__in=candidates.ids,
            ).values_list("subscriber_id", "brief_id")
        )
        batch, owed_nothing = [], []
        for reader in page:
            brief_ids = tuple(candidates.for_subscriber(reader, now, delivered))
            if not brief_ids:
                owed_nothing.append(reader)
                continue
            if brief_ids not in rendered:
                if len(rendered) >= RENDERED_CACHE:
                    rendered.clear()
                rendered[brief_ids] = emails.digest(brief_ids)
            batch.append(
                (reader, list(brief_ids), rendered[brief_ids].message_to(reader))
            )
        sent = []
        try:
            sent = send_batch(Delivery.Kind.DIGEST, batch)
        finally:
            reschedule(owed_nothing + sent, now)
        total += len(sent)
    return total


def reschedule(readers, now):
    """Set the next digest time of `readers`, in one UPDATE per schedule."""
    groups = {}
    for reader in readers:
        groups.setdefault(reader.next_digest_after(now), []).append(reader.pk)
    for moment, ids in groups.items():
        Subscriber.objects.filter(pk__in=ids).update(next_digest_at=moment)


def send_confirmation(subscriber_id):
    """Send the confirmation email to an unconfirmed subscriber; return True
    if it went."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    if subscriber.is_confirmed:
        message = emails.already_subscribed(subscriber)
    else:
        message = emails.confirmation(subscriber)
    return message.send() == 1


def send_test(email, brief_ids):
    """Send the digest of `brief_ids` to `email` (an editor), recording
    nothing; return True if it went."""
    rendered = emails.digest(brief_ids, heading="Test: the next digest")
    if rendered is None:
        return False
    stand_in = Subscriber(email=email)
    message = rendered.message_to(stand_in)
    message.subject = f"[Test] {message.subject}"
    return message.send() == 1


def next_digest_preview(now=None, limit=DIGEST_MAX_BRIEFS):
    """Return the ids of the briefs a daily digest of every brief would list
    now (what the editors' preview shows)."""
    now = now or timezone.now()
    since = now - DIGEST_WINDOWS[Frequency.DAILY]
    return [
        brief.pk for brief in DigestCandidates(now).briefs if visible_at(brief) > since
    ][:limit]
