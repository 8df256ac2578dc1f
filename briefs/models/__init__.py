"""The briefs domain: topics, briefs and their content, sources, votes."""

from .briefs import (
    Attribution,
    Brief,
    BriefQuerySet,
    Bullet,
    Correction,
    Section,
    StaleBriefError,
    Topic,
)
from .renderings import BriefRendering
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
    "Attribution",
    "Body",
    "Brief",
    "BriefRendering",
    "BriefQuerySet",
    "Bullet",
    "Correction",
    "Majority",
    "Outcome",
    "PermanentMember",
    "Position",
    "Section",
    "Source",
    "StaleBriefError",
    "Topic",
    "Vote",
    "VoteOn",
    "VotePosition",
]
