"""Which uploaded documents and images the public may read.

An upload is private until a live page uses it: the attachment of a notice
waiting for review is not served before the notice is approved. "Uses" is
Wagtail's reference index (`ReferenceIndex`), which records every chooser,
attachment and rich-text link of a page's live content; a draft revision is
not indexed, so what only a draft uses stays private. Editors may also mark a
document public by hand (`PublicDocument`); people who work in the admin read
every document.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from wagtail.models import Page, ReferenceIndex

from library.models import PublicDocument


def used_by_live_pages(model) -> QuerySet:
    """Ids (as text, as the index keeps them) of `model` rows a live, unrestricted page uses."""
    live = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=live,
        to_content_type=ContentType.objects.get_for_model(model),
    ).values("to_object_id")


def documents_public(documents: QuerySet) -> QuerySet:
    """Of `documents`, those anyone may read: used by a live page, or marked public."""
    used = used_by_live_pages(documents.model)
    marked = PublicDocument.objects.values("document_id")
    return documents.annotate(reference_key=Cast("pk", CharField())).filter(
        Q(reference_key__in=used) | Q(pk__in=marked)
    )


def images_public(images: QuerySet) -> QuerySet:
    """Of `images`, those a live page uses (what Wagtail's API v2 lists)."""
    used = used_by_live_pages(images.model)
    return images.annotate(reference_key=Cast("pk", CharField())).filter(reference_key__in=used)


def document_is_public(document) -> bool:
    return documents_public(type(document).objects.filter(pk=document.pk)).exists()


def document_is_marked_public(document) -> bool:
    return PublicDocument.objects.filter(document_id=document.pk).exists()


def reads_unpublished_files(user) -> bool:
    """Editors, reviewers and administrators: whoever may open the admin."""
    return bool(user and user.is_active and user.has_perm("wagtailadmin.access_admin"))
