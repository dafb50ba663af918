"""The documented shapes of API answers, for the OpenAPI schema.

Items are rendered once at publish time (items.representation), not by
these serializers; schemathesis checks in CI that what is served matches them.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers as s

from api.errors import ERROR_CODES
from events.models import EventPage
from notices.models import NoticePage
from services.models import ServicePage


def enum_field(name: str, codes, **options) -> s.CharField:
    """A text field documented as one of `codes`, inline (no enum component to name)."""
    documented = extend_schema_field({"type": "string", "enum": list(codes)})
    return documented(type(name, (s.CharField,), {}))(**options)


def choice_of(name: str, choices) -> type[s.Serializer]:
    """A stored choice as items show it (`core.representation.choice_repr`): its code and label."""
    return type(
        name,
        (s.Serializer,),
        {
            "code": enum_field(f"{name}Code", choices.values),
            "label": s.CharField(help_text="the code's label in the item's locale"),
            "__doc__": f"One of the codes of {choices.__qualname__}, with its label.",
        },
    )


ServiceKind = choice_of("ServiceKind", ServicePage.Kind)
FeeMode = choice_of("FeeMode", ServicePage.FeeMode)
DeliveryMode = choice_of("DeliveryMode", ServicePage.DeliveryMode)
ServiceStatus = choice_of("ServiceStatus", ServicePage.Status)
Urgency = choice_of("Urgency", NoticePage.Urgency)
EventType = choice_of("EventType", EventPage.EventType)
EventStatus = choice_of("EventStatus", EventPage.Status)


class Category(s.Serializer):
    code = s.CharField()
    name = s.CharField()


class ServiceCategoryRef(Category):
    parent = s.CharField(allow_null=True)


class Organisation(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    kind = s.CharField()
    phone = s.CharField(allow_blank=True)
    address = s.CharField(allow_blank=True)


class OrganisationWithVetting(Organisation):
    vetting_status = s.CharField(allow_null=True)


class Hours(s.Serializer):
    days = s.ListField(child=s.IntegerField(min_value=0, max_value=6), help_text="0 = Monday")
    opens = s.CharField(help_text="HH:MM")
    closes = s.CharField(help_text="HH:MM")


class HoursException(s.Serializer):
    date = s.DateField()
    closed = s.BooleanField()
    opens = s.CharField(allow_null=True)
    closes = s.CharField(allow_null=True)
    note = s.CharField(allow_blank=True)


class ServicePoint(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    address = s.CharField()
    latitude = s.FloatField(allow_null=True)
    longitude = s.FloatField(allow_null=True)
    phone = s.CharField(allow_blank=True)
    accessibility_notes = s.CharField(allow_blank=True)
    hours = Hours(many=True)
    exceptions = HoursException(many=True)


class ServicePointInDirectory(ServicePoint):
    community = s.CharField(allow_null=True)


class Cost(s.Serializer):
    amount = s.CharField(help_text="decimal yuan, e.g. '6.00'")
    currency = s.CharField()
    unit = s.CharField()
    description = s.CharField(allow_blank=True)


class RequiredDocument(s.Serializer):
    name = s.CharField()
    original = s.BooleanField()
    copies = s.IntegerField()
    note = s.CharField(allow_blank=True)


class Step(s.Serializer):
    title = s.CharField()
    detail = s.CharField(allow_blank=True)


class Attachment(s.Serializer):
    title = s.CharField()
    url = s.CharField()
    file_extension = s.CharField()


class Rendition(s.Serializer):
    url = s.CharField()
    width = s.IntegerField()
    height = s.IntegerField()


class Image(s.Serializer):
    alt = s.CharField(allow_blank=True)
    kiosk = Rendition()
    phone = Rendition()


class Registration(s.Serializer):
    required = s.BooleanField()
    how = s.CharField(allow_blank=True)
    deadline = s.DateTimeField(allow_null=True)


class ItemHead(s.Serializer):
    id = s.IntegerField()
    type = s.ChoiceField(choices=["service", "notice", "event"])
    locale = s.CharField()
    content_locale = s.CharField()
    fallback = s.BooleanField()
    translations = s.DictField(child=s.IntegerField(allow_null=True))
    slug = s.CharField()
    title = s.CharField()
    summary = s.CharField(allow_blank=True)
    community = s.CharField(allow_null=True)
    audience = Category(many=True)
    first_published_at = s.DateTimeField(allow_null=True)
    last_published_at = s.DateTimeField(allow_null=True)
    web_url = s.CharField(allow_null=True)
    body_html = s.CharField(allow_blank=True)
    body_text = s.CharField(allow_blank=True)
    machine_converted = s.BooleanField(
        help_text="true when a zh-hant reader gets the simplified text converted by machine"
    )


class Satisfaction(s.Serializer):
    count = s.IntegerField(help_text="ratings in the last 12 months")
    rate = s.FloatField(help_text="满意率: (非常满意 + 满意 + 基本满意) / all, 0 to 1")


class ServiceItem(ItemHead):
    kind = ServiceKind()
    service_categories = ServiceCategoryRef(many=True)
    eligibility = s.CharField(allow_blank=True)
    min_age = s.IntegerField(allow_null=True)
    max_age = s.IntegerField(allow_null=True)
    provider = Organisation(allow_null=True)
    fee_mode = FeeMode()
    costs = Cost(many=True)
    delivery_modes = DeliveryMode(many=True)
    service_points = ServicePoint(many=True)
    documents = RequiredDocument(many=True)
    steps = Step(many=True)
    promised_days = s.IntegerField(allow_null=True, help_text="working days; 0 = on the spot")
    apply_url = s.CharField(allow_blank=True)
    hotline = s.CharField(allow_blank=True)
    status = ServiceStatus()
    last_verified = s.DateField(allow_null=True)
    satisfaction = Satisfaction(
        allow_null=True,
        help_text="ratings of the last 12 months; null below LINLI_RATINGS_MIN_PUBLIC ratings",
    )


class NoticeItem(ItemHead):
    issuer = Organisation(allow_null=True)
    document_number = s.CharField(allow_blank=True)
    valid_from = s.DateTimeField()
    valid_until = s.DateTimeField(allow_null=True)
    urgency = Urgency()
    pinned = s.BooleanField()
    attachments = Attachment(many=True)


class EventItem(ItemHead):
    starts_at = s.DateTimeField()
    ends_at = s.DateTimeField()
    venue = ServicePoint(allow_null=True)
    venue_address = s.CharField(allow_blank=True)
    organiser = Organisation(allow_null=True)
    event_type = EventType()
    capacity = s.IntegerField(allow_null=True)
    registration = Registration()
    fee = s.CharField()
    fee_note = s.CharField(allow_blank=True)
    status = EventStatus()
    status_reason = s.CharField(allow_blank=True)
    image = Image(allow_null=True)


def item_list(name: str, item: type[s.Serializer]) -> type[s.Serializer]:
    return type(
        name,
        (s.Serializer,),
        {
            "locale": s.CharField(),
            "next": s.CharField(allow_null=True, help_text="cursor of the next page, or null"),
            "results": item(many=True),
        },
    )


ServiceList = item_list("ServiceList", ServiceItem)
NoticeList = item_list("NoticeList", NoticeItem)
EventList = item_list("EventList", EventItem)

# The documented shape of each content type's items; a type without an entry
# is documented by the fields every item has.
ITEM_SCHEMAS = {
    "service": (ServiceItem, ServiceList),
    "notice": (NoticeItem, NoticeList),
    "event": (EventItem, EventList),
}


def item_schema(code: str) -> tuple[type[s.Serializer], type[s.Serializer]]:
    """The item and list serializers that document one content type."""
    if code not in ITEM_SCHEMAS:
        ITEM_SCHEMAS[code] = (ItemHead, item_list(f"{code.capitalize()}List", ItemHead))
    return ITEM_SCHEMAS[code]


def any_item() -> PolymorphicProxySerializer:
    """An item of any registered type, told apart by its `type`."""
    return PolymorphicProxySerializer(
        component_name="Item",
        serializers=lambda: {code: item for code, (item, _listed) in ITEM_SCHEMAS.items()},
        resource_type_field_name="type",
        required=False,
        help_text="the full item, as its type's endpoint serves it, when updated",
    )


class FeedEntry(s.Serializer):
    op = s.ChoiceField(choices=["updated", "deleted"])
    type = s.ChoiceField(choices=["service", "notice", "event"])
    id = s.IntegerField()
    item = any_item()


class FeedPage(s.Serializer):
    mode = s.ChoiceField(choices=["snapshot", "delta"])
    next = s.CharField()
    has_more = s.BooleanField()
    poll_seconds = s.IntegerField()
    entries = FeedEntry(many=True)


class ErrorBody(s.Serializer):
    code = enum_field("ErrorCode", ERROR_CODES, help_text="stable: clients key on it")
    field = s.CharField(allow_null=True)
    message = s.CharField()


class Error(s.Serializer):
    error = ErrorBody()


class ResidentCategory(s.Serializer):
    code = s.CharField()
    name = s.CharField()
    description = s.CharField(allow_blank=True)
    is_sensitive = s.BooleanField()


class ServiceCategoryNode(Category):
    description = s.CharField(allow_blank=True)


class ServiceCategoryTree(ServiceCategoryNode):
    children = ServiceCategoryNode(many=True)


class Community(s.Serializer):
    code = s.CharField()
    title = s.CharField()
    summary = s.CharField(allow_blank=True)
    hotline = s.CharField(allow_blank=True)
    households = s.IntegerField(allow_null=True)
    hall = ServicePoint(allow_null=True)


class ResidentCategoryCount(ResidentCategory):
    count = s.IntegerField(help_text="active services for this category in the kiosk's community")


class ServiceCategoryCount(ServiceCategoryNode):
    count = s.IntegerField(help_text="active services in this category in the kiosk's community")


class ServiceCategoryTreeCount(ServiceCategoryCount):
    children = ServiceCategoryCount(many=True)


class KioskSummary(s.Serializer):
    name = s.CharField()
    community = s.CharField(allow_null=True, help_text="null: a kiosk for the whole street")
    locale = s.CharField()


def results_of(name: str, row: type[s.Serializer]) -> type[s.Serializer]:
    return type(name, (s.Serializer,), {"results": row(many=True)})
