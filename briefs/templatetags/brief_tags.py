"""Helpers of brief pages: numbered sources, JSON-LD, absolute URLs.

The public templates reach them through the Jinja2 environment (briefs/jinja2.py).
"""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from ..models import lead_image, related

# Characters that could end a <script> element or start markup inside it.
JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def absolute_url(path):
    """Return `path` on the site's public address (SITE_URL)."""
    return settings.SITE_URL + path


def number_sources(brief):
    """Number every source the brief cites, once each, in reading order.

    Bullets' sources come first, as readers meet them; sources of the brief
    as a whole follow. Each bullet gets a `citations` list of (number, source).
    Works on prefetched data: no queries beyond what the page already made.
    """
    numbers = {}
    ordered = []

    def number(source):
        if source.pk not in numbers:
            numbers[source.pk] = len(ordered) + 1
            ordered.append((numbers[source.pk], source))
        return numbers[source.pk]

    for section in related(brief, "sections"):
        for bullet in related(section, "bullets"):
            bullet.citations = sorted(
                ((number(source), source) for source in related(bullet, "sources")),
                key=lambda pair: pair[0],
            )
    for source in related(brief, "sources"):
        number(source)
    return ordered


def json_for_script(data):
    """Return `data` as JSON that cannot close or break out of a <script>."""
    # Compact: json's C encoder does not indent, and its Python one is slow.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(JSON_SCRIPT_ESCAPES)


def credit(name, organisation):
    """Return the schema.org author for a credited name."""
    if name == settings.SITE_NAME:
        return organisation
    return {"@type": "Person", "name": name}


def brief_structured_data(brief, sources=None):
    """Return schema.org NewsArticle data for a brief."""
    url = settings.SITE_URL + brief.get_absolute_url()
    organisation = {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
    }
    published = brief.first_published_at or brief.published_at
    modified = brief.last_updated_at or published
    sources = number_sources(brief) if sources is None else sources
    data = {
        "@context": "https://schema.org",
        "@type": ["NewsArticle", "BackgroundNewsArticle"],
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": brief.title[:110],
        "description": brief.summary,
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "author": [credit(name, organisation) for name in brief.credited_names]
        or organisation,
        "publisher": organisation,
        "articleSection": [topic.name for topic in related(brief, "topics")],
        "citation": [
            {
                "@type": "CreativeWork",
                "name": source.title,
                **({"url": source.web_url} if source.web_url else {}),
                **(
                    {"publisher": {"@type": "Organization", "name": source.publisher}}
                    if source.publisher
                    else {}
                ),
            }
            for _, source in sources
        ],
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": note.text,
                "datePublished": note.published_at.isoformat(),
            }
            for note in related(brief, "corrections")
        ],
    }
    image = lead_image(brief)
    if image is not None:
        data["image"] = image_object(image)
    data = {key: value for key, value in data.items() if value != []}
    if published:
        data["datePublished"] = published.isoformat()
    if modified:
        data["dateModified"] = modified.isoformat()
    return data


def image_object(image):
    """Return the schema.org ImageObject of a lead image."""
    width, height = image.src_size
    data = {
        "@type": "ImageObject",
        "url": image.absolute_src,
        "contentUrl": image.absolute_src,
        "width": width,
        "height": height,
        "description": image.alt,
    }
    if image.caption:
        data["caption"] = image.caption
    if image.credit:
        data["creditText"] = image.credit
    return data


def brief_json_ld(brief, sources=None):
    """Return a <script type="application/ld+json"> element describing `brief`."""
    payload = json_for_script(brief_structured_data(brief, sources))
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def iso(moment):
    """Format a datetime for <time datetime> and meta tags (whole seconds)."""
    if not moment:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()
