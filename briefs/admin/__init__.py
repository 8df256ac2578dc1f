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
from .people import ProfileAdmin

__all__ = [
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
