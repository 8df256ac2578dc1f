"""The editorial admin: briefs with their workflow, and every other model."""

from .briefs import BriefAdmin
from .content import (
    BodyAdmin,
    CorrectionAdmin,
    SourceAdmin,
    TopicAdmin,
    VoteAdmin,
)
from .forms import BriefAdminForm, BriefImportForm
from .inlines import BulletInline, CorrectionInline, SectionInline
from .partners import APITokenAdmin, WebhookDeliveryAdmin, WebhookSubscriptionAdmin
from .people import ProfileAdmin

__all__ = [
    "APITokenAdmin",
    "WebhookDeliveryAdmin",
    "WebhookSubscriptionAdmin",
    "BodyAdmin",
    "BriefAdmin",
    "BriefAdminForm",
    "BriefImportForm",
    "BulletInline",
    "CorrectionInline",
    "CorrectionAdmin",
    "ProfileAdmin",
    "SourceAdmin",
    "SectionInline",
    "TopicAdmin",
    "VoteAdmin",
]
