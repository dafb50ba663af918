"""Wagtail's own API v2 (pages, images, documents) for generic Wagtail clients."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from api.wagtail import StrictWagtailAPI


class PagesAPI(StrictWagtailAPI, PagesAPIViewSet):
    pass


class ImagesAPI(StrictWagtailAPI, ImagesAPIViewSet):
    pass


class DocumentsAPI(StrictWagtailAPI, DocumentsAPIViewSet):
    pass


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PagesAPI)
router.register_endpoint("images", ImagesAPI)
router.register_endpoint("documents", DocumentsAPI)
