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
from .prefetch import related
from .renderings import BriefRendering, PageGeneration
from .sources import Source
from .votes import (
    Body,
    Majority,
    Outcome,
    PermanentMember,
    Position,
    Vote,
    VoteOn,
    VotePosition,
)

__all__ = [
    "MAX_BULLETS_PER_BRIEF",
    "MAX_SECTIONS_PER_BRIEF",
    "Attribution",
    "Body",
    "Brief",
    "BriefRendering",
    "BriefQuerySet",
    "Bullet",
    "Correction",
    "Majority",
    "Outcome",
    "PageGeneration",
    "PermanentMember",
    "Position",
    "Section",
    "Source",
    "StaleBriefError",
    "Topic",
    "Vote",
    "VoteOn",
    "VotePosition",
    "content_size_errors",
    "related",
]
