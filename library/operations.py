"""What editors do with the public side of the media library."""

from django.db import transaction

from wagtail.models import ReferenceIndex

from library.models import PublicDocument


def document_public_set(*, document, public: bool) -> None:
    """Mark a document public (served even while no live page uses it), or take the mark off."""
    if public:
        PublicDocument.objects.get_or_create(document_id=document.pk)
    else:
        PublicDocument.objects.filter(document_id=document.pk).delete()


def page_references_record(*, page) -> None:
    """Record now what a page just published uses, so its documents are public with it.

    Wagtail records it as well, later, in a task on the `default` queue; until
    that task ran, the attachment of a notice just approved would still be a
    404 while the notice itself is already listed.
    """
    with transaction.atomic():
        ReferenceIndex.create_or_update_for_object(page)
