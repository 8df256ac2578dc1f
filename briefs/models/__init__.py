"""The briefs domain: topics, briefs and their content, sources, votes."""

from .briefs import (
    MAX_BULLETS_PER_BRIEF,
    MAX_SECTIONS_PER_BRIEF,
    Attribution,
    Brief,
    BriefQuerySet,
    Bullet,
    Correction,
    Section,
    StaleBriefError,
    Topic,
    content_size_errors,
)
from .people import Profile, authors_prefetch, credited_names, public_name
from .prefetch import prefetch, related
from .renderings import BriefRendering, PageGeneration
from .sources import Source
from .tokens import APIToken, TokenScope
from .votes import (
    Body,
    BodyKind,
    Majority,
    Outcome,
    PermanentMember,
    Position,
    Share,
    ThresholdBase,
    Vote,
    VoteOn,
    VotePosition,
)
from .webhooks import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

__all__ = [
    "APIToken",
    "DeliveryStatus",
    "TokenScope",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "MAX_BULLETS_PER_BRIEF",
    "MAX_SECTIONS_PER_BRIEF",
    "Attribution",
    "Body",
    "BodyKind",
    "Brief",
    "BriefRendering",
    "BriefQuerySet",
    "Bullet",
    "Correction",
    "Majority",
    "Outcome",
    "PageGeneration",
    "PermanentMember",
    "Profile",
    "Position",
    "Section",
    "Share",
    "Source",
    "StaleBriefError",
    "ThresholdBase",
    "Topic",
    "Vote",
    "VoteOn",
    "VotePosition",
    "authors_prefetch",
    "content_size_errors",
    "credited_names",
    "prefetch",
    "public_name",
    "related",
]
