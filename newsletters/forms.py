from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from briefs.models import Body, Topic

from .models import Frequency, Scope, Subscriber, Weekday

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


def public_topics():
    return Topic.objects.visible_to(None).order_by("name")


def public_bodies():
    return Body.objects.visible_to(None).order_by("name")


class ChoicesMixin:
    """What a subscriber chooses; the same on both forms."""

    def clean(self):
        data = super().clean()
        if data.get("scope") == Scope.CHOSEN and not (
            data.get("topics") or data.get("bodies")
        ):
            raise ValidationError(
                "Choose at least one topic or body, or ask for every brief."
            )
        return data


class SubscribeForm(ChoicesMixin, forms.Form):
    # Not a ModelForm: its uniqueness check would tell anyone which
    # addresses are subscribed.
    email = forms.EmailField(label="Your email address", max_length=254)
    scope = forms.ChoiceField(
        label="Which briefs",
        choices=Scope,
        initial=Scope.EVERYTHING,
        widget=forms.RadioSelect,
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics",
    )
    bodies = forms.ModelMultipleChoiceField(
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Bodies that vote",
        help_text="Briefs that report a vote by one of these.",
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency,
        initial=Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    hour = forms.TypedChoiceField(
        label="Digest time",
        choices=HOURS,
        coerce=int,
        initial=7,
    )
    weekday = forms.TypedChoiceField(
        label="Day of the weekly digest",
        choices=Weekday,
        coerce=int,
        initial=Weekday.MONDAY,
    )
    consent = forms.BooleanField(
        label="Send me these emails. I can change or stop them from any of them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = public_topics()
        self.fields["bodies"].queryset = public_bodies()


class PreferencesForm(ChoicesMixin, forms.ModelForm):
    hour = forms.TypedChoiceField(label="Digest time", choices=HOURS, coerce=int)

    class Meta:
        model = Subscriber
        fields = ["scope", "topics", "bodies", "frequency", "hour", "weekday", "paused"]
        labels = {
            "scope": "Which briefs",
            "bodies": "Bodies that vote",
            "frequency": "How often",
            "weekday": "Day of the weekly digest",
            "paused": "Pause: send me nothing for now",
        }
        help_texts = {
            "bodies": "Briefs that report a vote by one of these.",
            "weekday": "",
            "paused": "Your choices are kept; email starts again when you untick it.",
        }
        widgets = {
            "scope": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "topics": forms.CheckboxSelectMultiple,
            "bodies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the reader chose stays on offer even if no public brief has
        # it any more.
        topics = Q(pk__in=public_topics().values("pk"))
        bodies = Q(pk__in=public_bodies().values("pk"))
        if self.instance.pk is not None:
            topics |= Q(pk__in=self.instance.topics.values("pk"))
            bodies |= Q(pk__in=self.instance.bodies.values("pk"))
        self.fields["topics"].queryset = Topic.objects.filter(topics).order_by("name")
        self.fields["bodies"].queryset = Body.objects.filter(bodies).order_by("name")
