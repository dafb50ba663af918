"""The hub's URLs plus an API endpoint that fails, to see how a server fault reaches clients."""

from django.urls import path

from config.urls import urlpatterns as hub


def fails(request):
    raise RuntimeError("a fault in the server, not in the request")


urlpatterns = [path("api/v1/fails/", fails), *hub]
