"""Changes to a brief's lead image: set or replace it, edit its words, remove it.

An image shows on the brief's page, in its JSON-LD, ninjs and API answers, so
each change records the brief (`briefs.changes`). Files follow the database:
a new original is written to the storage only once the change commits (a
change that rolls back leaves no file behind), and the files of a replaced or
removed image are deleted once the change commits (until then readers may
still be served pages naming them).
"""

import functools
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task

from .. import changes, images
from ..models import LeadImage

logger = logging.getLogger(__name__)


@changes.collected
def lead_image_save(*, brief, image=None, alt, credit="", caption=""):
    """Give `brief` a lead image, or change the words of the one it has.

    `image`: a new picture, an uploaded file or a CheckedImage (see
    `briefs.images.check_upload`); None keeps the current one. Raises
    ValidationError, storing nothing, if the picture or the words are refused.
    """
    if image is not None and not isinstance(image, images.CheckedImage):
        image = images.check_upload(image)
    current = LeadImage.objects.select_for_update().filter(brief=brief).first()
    if image is None and current is None:
        raise ValidationError({"file": "Choose an image file to upload."})
    lead = current or LeadImage(brief=brief)
    replaced = current.stored_names() if (current and image) else []
    lead.alt, lead.credit, lead.caption = alt.strip(), credit.strip(), caption.strip()
    if image is not None:
        lead.file.name = images.new_name(image.extension)
        lead.width, lead.height = image.width, image.height
        lead.renditions = []
    lead.full_clean(exclude=["brief"])
    lead.save()
    if image is not None:
        transaction.on_commit(
            functools.partial(_store_original, lead.pk, lead.file.name, image.content)
        )
    if replaced:
        transaction.on_commit(functools.partial(images.delete_files, replaced))
    changes.record(brief_ids=[brief.pk])
    return lead


@changes.collected
def lead_image_adopt(*, brief, file, width, height, alt, credit="", caption=""):
    """Make the stored image `file` the lead image of `brief` (a pending
    draft's image going live); its sizes are made in the background."""
    lead = LeadImage.objects.select_for_update().filter(brief=brief).first()
    replaced = lead.stored_names() if lead and lead.file.name != file else []
    lead = lead or LeadImage(brief=brief)
    if lead.file.name != file:
        lead.renditions = []
    lead.file.name, lead.width, lead.height = file, width, height
    lead.alt, lead.credit, lead.caption = alt, credit, caption
    lead.full_clean(exclude=["brief"])
    lead.save()
    if replaced:
        transaction.on_commit(functools.partial(images.delete_files, replaced))
    if not lead.renditions:
        transaction.on_commit(
            functools.partial(
                lead_image_renditions_task.enqueue, brief_id=brief.pk, name=file
            )
        )
    changes.record(brief_ids=[brief.pk])
    return lead


@changes.collected
def lead_image_remove(*, brief):
    """Remove the lead image of `brief`; its files go once the change commits."""
    if not delete_lead_image_of(brief):
        return False
    changes.record(brief_ids=[brief.pk])
    return True


def delete_lead_image_of(brief):
    """Delete the image row of `brief` (inside the caller's service) and its
    files once that commits; return whether there was one."""
    lead = LeadImage.objects.filter(brief=brief).first()
    if lead is None:
        return False
    transaction.on_commit(functools.partial(images.delete_files, lead.stored_names()))
    lead.delete()
    return True


@changes.collected
def lead_image_renditions_store(*, brief_id, name, renditions):
    """Record the renditions made of the original `name` of `brief_id`'s image.

    Return False, recording nothing, if the image was replaced or removed
    meanwhile: the caller then deletes the renditions it made.
    """
    stored = LeadImage.objects.filter(pk=brief_id, file=name).update(
        renditions=renditions
    )
    if stored:
        changes.record(brief_ids=[brief_id])
    return bool(stored)


def _store_original(brief_id, name, content):
    """Write the committed image's original, then have its renditions made."""
    try:
        stored = images.store(name, content)
    except Exception:
        # The row must not name a file that is not there: readers would get a
        # broken image. The editor finds the brief without one and uploads again.
        logger.exception("Could not store the lead image of brief %s", brief_id)
        _forget(brief_id, name)
        return
    if stored != name:
        LeadImage.objects.filter(pk=brief_id, file=name).update(file=stored)
    lead_image_renditions_task.enqueue(brief_id=brief_id, name=stored)


def lead_image_renditions_make(*, brief_id, name):
    """Make the renditions of `brief_id`'s lead image `name` and record them.

    Return how many were made; none if the image was replaced or removed
    before or while they were made (what was made is then deleted).
    """
    if not LeadImage.objects.filter(pk=brief_id, file=name).exists():
        return 0
    made = images.make_renditions(images.read(name), name.rsplit("/", 1)[0])
    if not lead_image_renditions_store(brief_id=brief_id, name=name, renditions=made):
        images.delete_files([rendition["name"] for rendition in made])
        return 0
    return len(made)


@task()
def lead_image_renditions_task(brief_id, name):
    """Make the renditions of the lead image stored as `name`; return how many."""
    return lead_image_renditions_make(brief_id=brief_id, name=name)


@changes.collected
def _forget(brief_id, name):
    if LeadImage.objects.filter(pk=brief_id, file=name).delete()[0]:
        changes.record(brief_ids=[brief_id])
