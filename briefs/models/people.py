"""How the people who write briefs are credited in public."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from ..validators import validate_no_control_characters
from .prefetch import prefetch


class Profile(models.Model):
    """What readers are told of an account that writes briefs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
    )
    byline = models.CharField(
        max_length=150,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="The name readers see on the briefs this person wrote. Left "
        "empty, their full name is shown; with neither, the newsroom is "
        "credited. The login name is never shown.",
    )

    class Meta:
        verbose_name = "public profile"

    def __str__(self):
        return self.byline or str(self.user)


def public_name(user):
    """Return the name `user` is credited by in public, or "" if they have none."""
    try:
        byline = user.profile.byline
    except Profile.DoesNotExist:
        byline = ""
    return byline.strip() or user.get_full_name().strip()


def credited_names(authors):
    """Return the names a brief by `authors` is credited to, in order.

    An author without a public name is credited as the newsroom.
    """
    names = [public_name(user) or settings.SITE_NAME for user in authors]
    return list(dict.fromkeys(names))


def authors_prefetch(name="authors"):
    """Return a prefetch of a brief's authors that brings their public names."""
    return prefetch(name, get_user_model().objects.select_related("profile"))
