import datetime

import factory
from django.utils import timezone

from newsletters.models import Frequency, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed reader of every brief, in a daily digest that is due."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    confirmed_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=2)
    )
    frequency = Frequency.DAILY
    next_digest_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(minutes=1)
    )

    class Params:
        unconfirmed = factory.Trait(confirmed_at=None)
        immediate = factory.Trait(frequency=Frequency.IMMEDIATE, next_digest_at=None)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.scope = "chosen"
            self.save(update_fields=["scope"])

    @factory.post_generation
    def bodies(self, create, extracted, **kwargs):
        if create and extracted:
            self.bodies.set(extracted)
            self.scope = "chosen"
            self.save(update_fields=["scope"])
