"""/api/v1/schema/: the OpenAPI schema, as served and as downloaded."""

from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The schema, downloaded under a plain ASCII name: `curl -OJ` saves it as linli-api-v1.yaml.

    drf-spectacular names the file after the title (邻里 Linli API), which
    Django sends RFC 2047-encoded, a form no HTTP client reads.
    """

    def _get_filename(self, request, version):
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        return f"linli-api-v1.{suffix}"
