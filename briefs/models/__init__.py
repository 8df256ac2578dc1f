"""The briefs domain: topics, briefs and their content, sources, votes."""

from .briefs import (
    MAX_BULLETS_PER_BRIEF,
    MAX_SECTIONS_PER_BRIEF,
    Attribution,
    Brief,
    BriefQuerySet,
    Bullet,
    ChecklistItem,
    Correction,
    Section,
    StaleBriefError,
    Topic,
    checklist_row,
    content_size_errors,
)
from .collaboration import (
    NOTE_MAX_LENGTH,
    PRESENCE_SECONDS,
    EditorialNote,
    EditorPresence,
    display_name,
    may_see_notes,
)
from .drafts import PendingDraft
from .feed import Change, ChangeKind
from .identity import BriefSlug, Withdrawal
from .images import LeadImage, lead_image
from .people import Profile, authors_prefetch, credited_names, public_name
from .prefetch import prefetch, related
from .renderings import BriefRendering, PageGeneration
from .sources import Source
from .tokens import APIToken, TokenScope
from .votes import (
    Body,
    BodyKind,
    Outcome,
    PermanentMember,
    Position,
    Share,
    ThresholdBase,
    UnreadVote,
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
    "NOTE_MAX_LENGTH",
    "PRESENCE_SECONDS",
    "Attribution",
    "Body",
    "BodyKind",
    "Brief",
    "BriefRendering",
    "BriefSlug",
    "BriefQuerySet",
    "Change",
    "ChangeKind",
    "Bullet",
    "ChecklistItem",
    "Correction",
    "EditorPresence",
    "EditorialNote",
    "LeadImage",
    "Outcome",
    "PageGeneration",
    "PendingDraft",
    "PermanentMember",
    "Profile",
    "Position",
    "Section",
    "Share",
    "Source",
    "StaleBriefError",
    "ThresholdBase",
    "Topic",
    "UnreadVote",
    "Vote",
    "VoteOn",
    "VotePosition",
    "Withdrawal",
    "authors_prefetch",
    "checklist_row",
    "content_size_errors",
    "credited_names",
    "display_name",
    "may_see_notes",
    "lead_image",
    "prefetch",
    "public_name",
    "related",
]
