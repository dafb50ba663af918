"""Documents are served to the public only once a live page uses them (or an editor marked them)."""

from django.http import Http404

from wagtail import hooks

from library.selectors import document_is_public, reads_unpublished_files


@hooks.register("before_serve_document")
def serve_public_documents_only(document, request):
    """A 404 for a private document, as for one that does not exist: ids come in sequence."""
    if document_is_public(document) or reads_unpublished_files(request.user):
        return None
    raise Http404("No such document.")
