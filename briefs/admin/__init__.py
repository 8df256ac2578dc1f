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

__all__ = [
    "BodyAdmin",
    "BriefAdmin",
    "BriefAdminForm",
    "BriefImportForm",
    "BulletInline",
    "CorrectionInline",
    "CorrectionAdmin",
    "SourceAdmin",
    "SectionInline",
    "TopicAdmin",
    "VoteAdmin",
]
