"""/api/v1/services/: the service catalog."""

from api import params, serializers
from api.selectors import known_service_categories
from api.views.base import ItemDetailView, ItemListView
from services.models import ServicePage


class ServiceListView(ItemListView):
    """Services, filtered by community, audience, category, kind, fee and delivery mode."""

    type = "service"
    response_serializer = serializers.ServiceList
    filters = {
        "service_category": params.choice(known_service_categories),
        "kind": params.choice({c for c, _ in ServicePage.Kind.choices}),
        "fee_mode": params.choice({c for c, _ in ServicePage.FeeMode.choices}),
        "delivery_mode": params.choice({c for c, _ in ServicePage.DeliveryMode.choices}),
        "status": params.choice({c for c, _ in ServicePage.Status.choices}),
    }

    def extra_filters(self, query):
        lookups = {}
        if "service_category" in query:
            lookups["categories__contains"] = f" {query['service_category']} "
        if "delivery_mode" in query:
            lookups["delivery_modes__contains"] = f" {query['delivery_mode']} "
        for name in ("kind", "fee_mode", "status"):
            if name in query:
                lookups[name] = query[name]
        return lookups


class ServiceDetailView(ItemDetailView):
    """One service by id or slug."""

    type = "service"
    response_serializer = serializers.ServiceItem
