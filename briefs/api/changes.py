"""The change feed: `GET /api/v1/changes/?after=SEQ`.

Every change partners can see has a number (`seq`) from one sequence that only
grows (`briefs.models.Change`). A client keeps the last `seq` it read and asks
for what came after; it misses nothing and needs no clock. With
`expand=brief` each change carries the brief as the detail endpoint shows it,
or a tombstone if the client can no longer see it.
"""

from django.db.models import Max
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ..models import Brief, Change, Withdrawal
from ..rendering import api_queryset
from .http import APIViewMixin
from .serializers import BriefDetailSerializer
from .sync import TombstoneSerializer

MAX_LIMIT = 100


class ChangeSerializer(serializers.ModelSerializer):
    seq = serializers.IntegerField(source="pk", help_text="The change's number.")
    id = serializers.UUIDField(source="uuid", help_text="The brief's permanent id.")

    class Meta:
        model = Change
        fields = ("seq", "kind", "id", "slug", "version", "created")


def _number(request, name, default, *, low, high=None):
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: ["Give a whole number."]}) from None
    if value < low or (high is not None and value > high):
        limits = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ValidationError({name: [f"Give a number {limits}."]})
    return value


def _expand(request):
    raw = request.query_params.get("expand", "")
    wanted = {part for part in raw.split(",") if part}
    if wanted - {"brief"}:
        raise ValidationError({"expand": ["Only `brief` can be expanded."]})
    return "brief" in wanted


class ChangeList(APIViewMixin, generics.GenericAPIView):
    """Changes partners can see, oldest first, numbered by `seq`.

    Anonymous clients get the changes of briefs readers can see; partners and
    staff also those of briefs under embargo, and withdrawals.
    """

    serializer_class = ChangeSerializer
    pagination_class = None
    filter_backends = ()

    def get_queryset(self):
        return Change.objects.visible_to(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after", int, description="List the changes after this `seq` (0)."
            ),
            OpenApiParameter(
                "limit", int, description=f"Changes per page, 1 to {MAX_LIMIT}."
            ),
            OpenApiParameter(
                "expand",
                str,
                enum=["brief"],
                description="`brief`: give each change the brief as "
                "`/api/v1/briefs/{slug}/` shows it, or a tombstone.",
            ),
        ],
        responses={
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="A bad parameter: messages keyed by its name.",
            ),
            200: inline_serializer(
                "ChangePage",
                {
                    "results": ChangeSerializer(many=True),
                    "next": serializers.URLField(allow_null=True),
                    "last_seq": serializers.IntegerField(
                        help_text="The last `seq` of this page (or `after`): ask "
                        "for what comes after it next time."
                    ),
                    "latest_seq": serializers.IntegerField(
                        help_text="The newest `seq` there is now."
                    ),
                },
            ),
        },
    )
    def get(self, request):
        after = _number(request, "after", 0, low=0)
        limit = _number(request, "limit", MAX_LIMIT, low=1, high=MAX_LIMIT)
        expand = _expand(request)
        changes = self.get_queryset()
        rows = list(changes.filter(pk__gt=after).order_by("pk")[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        results = ChangeSerializer(rows, many=True).data
        if expand:
            for result, brief in zip(results, self.representations(rows), strict=True):
                result["brief"] = brief
        last_seq = rows[-1].pk if rows else after
        next_url = None
        if more:
            next_url = replace_query_param(
                request.build_absolute_uri(), "after", last_seq
            )
        latest = changes.aggregate(latest=Max("pk"))["latest"] or 0
        return Response(
            {
                "results": results,
                "next": next_url,
                "last_seq": last_seq,
                "latest_seq": latest,
            }
        )

    def representations(self, rows):
        """Return, for each change, its brief as the client may see it now, or
        a tombstone; in a number of queries that does not grow with the page."""
        uuids = {row.uuid for row in rows}
        briefs = {
            brief.uuid: brief
            for brief in api_queryset(
                Brief.objects.visible_to(self.request.user).filter(uuid__in=uuids)
            )
        }
        missing = uuids - set(briefs)
        withdrawals = {
            withdrawal.uuid: withdrawal
            for withdrawal in Withdrawal.objects.filter(uuid__in=missing)
        }
        context = {"request": self.request}
        shown = {
            key: BriefDetailSerializer(brief, context=context).data
            for key, brief in briefs.items()
        }
        answers = []
        for row in rows:
            if row.uuid in shown:
                answers.append(shown[row.uuid])
                continue
            withdrawal = withdrawals.get(row.uuid) or Withdrawal(
                uuid=row.uuid, slug=row.slug, withdrawn_at=row.created
            )
            answers.append(TombstoneSerializer(withdrawal).data)
        return answers
