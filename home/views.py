"""The resident's phone pages that are not pages of the tree."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "resident/search.html")
