"""The hub's URL map: admin, documents, health check, then Wagtail's page tree."""

from pathlib import Path

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api_wagtail import router as wagtail_api
from core.views import healthz
from subscriptions.views import service_worker

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("config.api_urls")),
    path("sw.js", service_worker, name="service-worker"),
    path("kiosk/", include("kiosks.urls")),
    path("", include("subscriptions.sms_urls")),
    path("wechat/", include("subscriptions.wechat_urls")),
    path("api/wagtail/v2/", wagtail_api.urls),
    path("feeds/", include("feeds.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only: documents are read through /documents/, which checks they are public.
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=Path(settings.MEDIA_ROOT) / folder
        )

urlpatterns += i18n_patterns(
    path("", include("subscriptions.site_urls")),
    path("", include("front.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
