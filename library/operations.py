"""What editors do with the public side of the media library."""

from library.models import PublicDocument


def document_public_set(*, document, public: bool) -> None:
    """Mark a document public (served even while no live page uses it), or take the mark off."""
    if public:
        PublicDocument.objects.get_or_create(document_id=document.pk)
    else:
        PublicDocument.objects.filter(document_id=document.pk).delete()
