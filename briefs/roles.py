"""The newsroom's roles: the groups and the permissions each one holds.

Writers draft and edit briefs; Editors also publish, delete, correct, set
bylines and manage the voting bodies; Partners (API accounts of syndication
partners) receive published briefs under embargo, learn of withdrawals and
manage their own webhook subscriptions. `migrate` keeps the groups in step with
this module (see `BriefsConfig.ready`): a missing group is created and a
permission listed here that a group lacks is added. Permissions an
administrator granted beyond these are left alone.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

CONTENT_MODELS = (
    "brief",
    "section",
    "bullet",
    "source",
    "topic",
    "vote",
    "voteposition",
)


def _each(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


WRITER_PERMISSIONS = [
    *_each(("add", "change", "view"), CONTENT_MODELS),
    *_each(("view",), ("body", "permanentmember", "correction", "profile")),
]

EDITOR_PERMISSIONS = [
    *WRITER_PERMISSIONS,
    *_each(("delete",), CONTENT_MODELS),
    *_each(
        ("add", "change", "delete"),
        ("correction", "profile", "body", "permanentmember"),
    ),
    "publish_brief",
]

PARTNER_PERMISSIONS = ["syndicate_brief", "manage_webhook"]

ROLES = {
    "Writers": WRITER_PERMISSIONS,
    "Editors": EDITOR_PERMISSIONS,
    "Partners": PARTNER_PERMISSIONS,
}


def sync_roles(using="default", **kwargs):
    """Create the groups of ROLES and give each the permissions listed for it."""
    for name, codenames in ROLES.items():
        permissions = Permission.objects.using(using).filter(
            content_type__app_label="briefs", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"No such permissions for {name}: {sorted(missing)}")
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions)


# Membership of these groups is work in the admin: it opens the admin's door.
STAFF_ROLES = ("Writers", "Editors")


def staff_for_newsroom_roles(sender, instance, action, reverse, pk_set, **kwargs):
    """Give staff status to users put in Writers or Editors (m2m_changed of
    User.groups, from either side); taking them out leaves it as it is."""
    if action != "post_add" or not pk_set:
        return
    User = get_user_model()
    if reverse:
        if instance.name not in STAFF_ROLES:
            return
        users = User.objects.filter(pk__in=pk_set)
    else:
        if not Group.objects.filter(pk__in=pk_set, name__in=STAFF_ROLES).exists():
            return
        users = User.objects.filter(pk=instance.pk)
        instance.is_staff = True
    users.filter(is_staff=False).update(is_staff=True)
