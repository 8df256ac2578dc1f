"""The pending draft of a live brief, as the API shows it to staff."""

from rest_framework import serializers

from ...models import Attribution, Topic
from ...services import draft_problems


class DraftBulletSerializer(serializers.Serializer):
    text = serializers.CharField()
    attribution = serializers.ChoiceField(choices=Attribution.choices)
    sources = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the sources it cites."
    )


class DraftSectionSerializer(serializers.Serializer):
    heading = serializers.CharField()
    bullets = DraftBulletSerializer(many=True)


class DraftContentSerializer(serializers.Serializer):
    """What the brief will say once the draft is published, in the shape a
    write takes (topics by slug, sources and votes by id)."""

    title = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    sources = serializers.ListField(child=serializers.IntegerField())
    votes = serializers.ListField(child=serializers.IntegerField())
    sections = DraftSectionSerializer(many=True)


class PendingDraftSerializer(serializers.Serializer):
    """An edit of a live brief waiting for an editor: readers see the live
    brief until an editor POSTs to its publish/."""

    brief = serializers.CharField(source="brief.slug", help_text="The live brief.")
    author = serializers.CharField(source="author_name", help_text="Who saved it.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    base_version = serializers.IntegerField(
        help_text="The live version the draft was made from."
    )
    stale = serializers.SerializerMethodField(
        help_text="True if the live brief changed since the draft was made: "
        "publishing it would undo those changes."
    )
    problems = serializers.SerializerMethodField(
        help_text="What the publish checklist refuses in the draft; publish/ "
        "answers 400 until none is left."
    )
    content = serializers.SerializerMethodField()

    def get_stale(self, draft) -> bool:
        return draft.is_stale()

    def get_problems(self, draft) -> list[str]:
        return [f"{where}: {message}" for where, message in draft_problems(draft)]

    def get_content(self, draft) -> DraftContentSerializer:
        data = dict(draft.data)
        slugs = dict(
            Topic.objects.filter(pk__in=data["topics"]).values_list("pk", "slug")
        )
        data["topics"] = [slugs[pk] for pk in data["topics"] if pk in slugs]
        return DraftContentSerializer(data).data
