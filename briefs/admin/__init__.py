"""The editorial admin: briefs with their workflow, and every other model."""

from .briefs import BriefAdmin, BriefAdminForm, BulletInline, SectionInline
from .content import (
    BodyAdmin,
    CorrectionAdmin,
    SourceAdmin,
    TopicAdmin,
    VoteAdmin,
)

__all__ = [
    "BodyAdmin",
    "BriefAdmin",
    "BriefAdminForm",
    "BulletInline",
    "CorrectionAdmin",
    "SourceAdmin",
    "SectionInline",
    "TopicAdmin",
    "VoteAdmin",
]
