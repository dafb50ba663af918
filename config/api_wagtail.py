"""Wagtail's own API v2 (pages, images, documents) for generic Wagtail clients."""

from django.utils import timezone

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import get_full_url
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from api.wagtail import StrictWagtailAPI
from items.selectors import unreadable_translation_keys
from library.selectors import documents_public, images_public


class PublicHtmlUrlField(PageHtmlUrlField):
    """The page's address on the hub's public host (`WAGTAILAPI_BASE_URL`), like `detail_url`.

    Wagtail writes the Site record's host here, which a fresh installation
    leaves at http://localhost; the public host is configured once, in
    `LINLI_PUBLIC_URL`.
    """

    def to_representation(self, page):
        parts = page.get_url_parts(request=self.context.get("request"))
        if parts is None:
            return None
        _site_id, _root_url, path = parts
        return get_full_url(self.context.get("request"), path)


class PublicPageSerializer(PageSerializer):
    html_url = PublicHtmlUrlField(read_only=True)


class PublicPagesAPIViewSet(StrictWagtailAPI, PagesAPIViewSet):
    """Live pages whose address answers: not those the read model no longer serves.

    An expired notice stays (its page shows it as expired, as `current=false`
    lists it); an event past `LINLI_PAST_EVENTS_DAYS` goes, as everywhere else.
    """

    base_serializer_class = PublicPageSerializer

    def get_queryset(self):
        hidden = unreadable_translation_keys(timezone.now())
        return super().get_queryset().exclude(translation_key__in=hidden)


class PublicDocumentsAPIViewSet(StrictWagtailAPI, DocumentsAPIViewSet):
    """Documents a live page uses or an editor marked public; not every upload (ids are in sequence)."""

    def get_queryset(self):
        return documents_public(super().get_queryset())


class PublicImagesAPIViewSet(StrictWagtailAPI, ImagesAPIViewSet):
    """Images a live page uses; not every upload."""

    def get_queryset(self):
        return images_public(super().get_queryset())


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PublicPagesAPIViewSet)
router.register_endpoint("images", PublicImagesAPIViewSet)
router.register_endpoint("documents", PublicDocumentsAPIViewSet)
