"""/api/v1/notices/: policy notices."""

from api import params, serializers
from api.views.base import ItemDetailView, ItemListView
from notices.models import NoticePage


class NoticeListView(ItemListView):
    """Notices valid now (or, with current=false, also expired and future ones)."""

    type = "notice"
    response_serializer = serializers.NoticeList
    filters = {
        "urgency": params.choice({c for c, _ in NoticePage.Urgency.choices}),
        "current": params.boolean,
        "pinned": params.boolean,
    }

    def extra_filters(self, query):
        lookups = {}
        if "urgency" in query:
            lookups["urgency"] = query["urgency"]
        if "pinned" in query:
            lookups["pinned"] = query["pinned"]
        return lookups

    def visible_only(self, query):
        return query.get("current", True)


class NoticeDetailView(ItemDetailView):
    """One notice by id or slug."""

    type = "notice"
    response_serializer = serializers.NoticeItem
