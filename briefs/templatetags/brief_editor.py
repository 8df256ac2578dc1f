"""The brief editor's tags: the publish checklist beside the row it concerns."""

from django import template

from briefs.models import checklist_row

register = template.Library()


@register.simple_tag(takes_context=True)
def checklist_for(context, obj):
    """Return the checklist items about `obj` (a section, bullet or vote)."""
    if obj is None or obj.pk is None:
        return []
    return context.get("checklist_rows", {}).get(checklist_row(obj), [])
