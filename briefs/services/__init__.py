"""Every change to what a brief is goes through these functions.

The admin, the API, the management commands and the importer call them; each
runs in one transaction and sends one change event on commit (`briefs.changes`).
"""

from .briefs import (
    LiveBriefError,
    brief_create,
    brief_delete,
    brief_recover,
    brief_restore,
    brief_transition,
    brief_update,
    correction_delete,
    correction_save,
)
from .collaboration import (
    note_add,
    note_resolve,
    presence_leave,
    presence_touch,
)
from .content import content_import
from .drafts import (
    DraftError,
    StaleDraftError,
    brief_paste,
    draft_discard,
    draft_problems,
    draft_publish,
    draft_save,
    edits_wait,
    pending_draft,
)
from .feed import timed_changes_record
from .images import (
    lead_image_remove,
    lead_image_renditions_make,
    lead_image_renditions_store,
    lead_image_save,
)
from .imports import (
    BriefExistsError,
    UnreadVotesError,
    brief_import,
    brief_import_preview,
    save_parsed_brief,
    unread_vote_messages,
)
from .shared import (
    LiveSharedError,
    author_save,
    briefs_showing,
    shared_change_refusal,
    shared_delete,
    shared_save,
    vote_save,
)
from .votes import body_merge, known_body_names, roll_call_import, vote_from_parsed

__all__ = [
    "DraftError",
    "StaleDraftError",
    "brief_paste",
    "draft_discard",
    "draft_problems",
    "draft_publish",
    "draft_save",
    "edits_wait",
    "pending_draft",
    "BriefExistsError",
    "LiveBriefError",
    "author_save",
    "body_merge",
    "brief_create",
    "brief_delete",
    "brief_import",
    "brief_import_preview",
    "UnreadVotesError",
    "unread_vote_messages",
    "brief_recover",
    "brief_restore",
    "brief_transition",
    "brief_update",
    "briefs_showing",
    "content_import",
    "correction_delete",
    "correction_save",
    "known_body_names",
    "note_add",
    "note_resolve",
    "presence_leave",
    "presence_touch",
    "lead_image_remove",
    "lead_image_renditions_make",
    "lead_image_renditions_store",
    "lead_image_save",
    "roll_call_import",
    "save_parsed_brief",
    "shared_delete",
    "LiveSharedError",
    "shared_change_refusal",
    "shared_save",
    "vote_from_parsed",
    "timed_changes_record",
    "vote_save",
]
