"""The street office's shared records: categories, communities, organisations, service points."""

import json

from django.http import HttpRequest, HttpResponse

from rest_framework.views import APIView

from api import serializers
from api.views.items import json_response
from core import params
from items.directory import (
    communities_read,
    organisations_read,
    resident_categories_read,
    service_categories_read,
    service_points_read,
)


def _body(results: list) -> bytes:
    return json.dumps({"results": results}, ensure_ascii=False, separators=(",", ":")).encode()


class _DirectoryView(APIView):
    max_age = 300

    def param_spec(self) -> dict:
        return {"locale": params.locale}

    def get(self, request: HttpRequest) -> HttpResponse:
        query = params.parse(request.GET, self.param_spec(), defaults={"locale": "zh-hans"})
        return json_response(_body(self.results(query["locale"])), max_age=self.max_age)

    def results(self, locale: str) -> list:
        raise NotImplementedError


class ResidentCategoryListView(_DirectoryView):
    """The resident categories residents subscribe to, by their stable codes."""

    response_serializer = serializers.results_of(
        "ResidentCategoryList", serializers.ResidentCategory
    )

    def results(self, locale):
        return resident_categories_read(locale)


class ServiceCategoryListView(_DirectoryView):
    """Service categories as a two-level tree."""

    response_serializer = serializers.results_of(
        "ServiceCategoryList", serializers.ServiceCategoryTree
    )

    def results(self, locale):
        return service_categories_read(locale)


class CommunityListView(_DirectoryView):
    """The communities of the street office, with their service station and hotline."""

    response_serializer = serializers.results_of("CommunityList", serializers.Community)

    def results(self, locale):
        return communities_read(locale)


class OrganisationListView(_DirectoryView):
    """Departments, committees, teams and vetted partner enterprises."""

    response_serializer = serializers.results_of(
        "OrganisationList", serializers.OrganisationWithVetting
    )

    def results(self, locale):
        return organisations_read(locale)


class ServicePointListView(_DirectoryView):
    """Places where residents are served, with weekly hours and holiday exceptions."""

    response_serializer = serializers.results_of(
        "ServicePointList", serializers.ServicePointInDirectory
    )

    def results(self, locale):
        return service_points_read(locale)
