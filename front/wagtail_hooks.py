"""Live pages of the tree are served as the residents' pages, rendered from the API's items."""

from wagtail import hooks

from core.models import BasePage
from front.views import page_serve


@hooks.register("on_serve_page")
def serve_from_items(next_serve):
    """Wagtail's live serving of a Linli page goes to the residents' pages; previews never pass here."""

    def serve(page, request, args, kwargs):
        if isinstance(page, BasePage):
            return page_serve(request, page)
        return next_serve(page, request, args, kwargs)

    return serve
