"""The kiosk front end: one HTML shell; everything it shows comes from /api/v1/."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def app(request: HttpRequest) -> HttpResponse:
    return render(request, "kiosk/index.html")


def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "kiosk/sw.js", content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
