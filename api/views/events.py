"""/api/v1/events/: cultural events."""

from django.utils import timezone

from api import params, serializers
from api.errors import ApiError
from api.views.base import ItemDetailView, ItemListView
from events.models import EventPage


class EventListView(ItemListView):
    """Events overlapping [from, to]; by default those that have not ended."""

    type = "event"
    response_serializer = serializers.EventList
    filters = {
        "from": params.moment,
        "to": params.moment,
        "status": params.choice({c for c, _ in EventPage.Status.choices}),
        "event_type": params.choice({c for c, _ in EventPage.EventType.choices}),
    }

    def extra_filters(self, query):
        start = query.get("from")
        end = query.get("to")
        if start and end and end < start:
            raise ApiError("invalid_range", "'to' must not be before 'from'.", field="to")
        lookups = {"ends_at__gte": start or timezone.now()}
        if end:
            lookups["starts_at__lte"] = end
        if "status" in query:
            lookups["status"] = query["status"]
        if "event_type" in query:
            lookups["kind"] = query["event_type"]
        return lookups


class EventDetailView(ItemDetailView):
    """One event by id or slug."""

    type = "event"
    response_serializer = serializers.EventItem
