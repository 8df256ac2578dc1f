import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from briefs.models import (
    APIToken,
    Body,
    Brief,
    Bullet,
    Correction,
    Section,
    Source,
    Topic,
    Vote,
    VotePosition,
    WebhookEvent,
    WebhookSubscription,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True

    class Params:
        writer = factory.Trait(group="Writers")
        editor = factory.Trait(group="Editors")
        partner = factory.Trait(group="Partners")

    group = None

    @classmethod
    def _create(cls, model_class, *args, group=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://example.org/documents/{n}")
    title = factory.Sequence(lambda n: f"Record of proceedings {n}")
    publisher = "Example Wire"


class BriefFactory(factory.django.DjangoModelFactory):
    """A draft brief; `published=True` makes it visible to readers."""

    class Meta:
        model = Brief
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Council weighs measure number {n}")
    summary = (
        "Members met to weigh a measure that would change how the body answers "
        "a crisis, and the vote split along familiar lines."
    )

    class Params:
        published = factory.Trait(
            status=Brief.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=1)
            ),
            first_published_at=factory.SelfAttribute("published_at"),
            last_updated_at=factory.SelfAttribute("published_at"),
        )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    brief = factory.SubFactory(BriefFactory)
    heading = factory.Sequence(lambda n: f"What happened, part {n}")
    position = factory.Sequence(lambda n: n)


class BulletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bullet
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    text = factory.Sequence(lambda n: f"Delegates raised point number {n}.")
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        bullet = super()._create(model_class, *args, **kwargs)
        # What the services do after saving a brief's bullets.
        bullet.section.brief.refresh_search_document()
        return bullet


def general_assembly():
    return Body.objects.get(slug="un-general-assembly")


def security_council():
    return Body.objects.get(slug="un-security-council")


class VoteFactory(factory.django.DjangoModelFactory):
    """A General Assembly vote adopted 93-18-65."""

    class Meta:
        model = Vote

    body = factory.LazyFunction(general_assembly)
    title = factory.Sequence(lambda n: f"Resolution {n} on a ceasefire")
    symbol = factory.Sequence(lambda n: f"A/RES/80/{n}")
    date = datetime.date(2025, 2, 24)
    yes = 93
    no = 18
    abstain = 65
    outcome = "adopted"

    class Params:
        council = factory.Trait(
            body=factory.LazyFunction(security_council),
            symbol=factory.Sequence(lambda n: f"S/RES/{2800 + n} (2025)"),
            yes=10,
            no=0,
            abstain=5,
        )


class VotePositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VotePosition

    vote = factory.SubFactory(VoteFactory)
    member_code = factory.Sequence(lambda n: f"M{n:02d}")
    member_name = factory.Sequence(lambda n: f"Member {n}")
    position = "yes"


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    brief = factory.SubFactory(BriefFactory, published=True)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version gave the wrong number of abstentions."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        correction = super()._create(model_class, *args, **kwargs)
        # What the services do after saving a correction.
        correction.brief.mark_updated(correction.published_at)
        return correction


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    owner = factory.SubFactory(UserFactory, is_staff=False)
    url = "http://127.0.0.1:9/hooks"
    events = factory.LazyFunction(lambda: list(WebhookEvent.values))


class APITokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = APIToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Partner app {n}")


def live_brief(*, title, summary):
    """Return a published brief of one section: a fact and a sourced, reported
    claim (the shape the drafts of live briefs are tried on)."""
    brief = BriefFactory(published=True, title=title, summary=summary)
    section = SectionFactory(brief=brief, heading="What happened", position=1)
    BulletFactory(section=section, text="The council met on Monday.", position=1)
    BulletFactory(
        section=section,
        text="Members reportedly argued.",
        attribution="reported",
        sources=[SourceFactory()],
        position=2,
    )
    return Brief.objects.get(pk=brief.pk)
