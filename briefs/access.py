"""Who may see what readers cannot: the one rule every surface asks."""


def reads_drafts(user):
    """Whether `user` may read briefs readers cannot see yet (drafts, briefs in
    review or scheduled) and what only they cite (topics, sources, votes,
    bodies): a signed-in account with the view_brief permission."""
    return (
        user is not None
        and user.is_authenticated
        and user.has_perm("briefs.view_brief")
    )


def reads_embargoed(user):
    """Whether `user` may read published briefs still under embargo, and learn
    of withdrawals: partners (the syndicate_brief permission) and those who
    read drafts."""
    return reads_drafts(user) or (
        user is not None
        and user.is_authenticated
        and user.has_perm("briefs.syndicate_brief")
    )


def publishes(user):
    """Whether `user` decides what readers see: publishes, schedules,
    unpublishes and archives briefs, sets embargoes and publishes pending
    drafts (editors: the publish_brief permission)."""
    return (
        user is not None
        and user.is_authenticated
        and user.has_perm("briefs.publish_brief")
    )
