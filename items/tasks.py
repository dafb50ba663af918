"""Background work of the API's read model."""

from django.apps import apps
from django.db import transaction

from django_tasks import task

from items.projection import items_project_group


def referencing_translation_keys(record) -> set:
    """Translation keys of the content pages that show `record` (an organisation, place or category)."""
    from events.models import EventPage
    from home.models import Organisation, ResidentCategory, ServicePoint
    from notices.models import NoticePage
    from services.models import ServiceCategory, ServicePage

    group = type(record).objects.filter(translation_key=record.translation_key)
    lookups = {
        Organisation: [
            (ServicePage, "provider__in"),
            (NoticePage, "issuer__in"),
            (EventPage, "organiser__in"),
        ],
        ServicePoint: [(ServicePage, "service_points__in"), (EventPage, "venue__in")],
        ResidentCategory: [
            (ServicePage, "resident_categories__in"),
            (NoticePage, "audience__in"),
            (EventPage, "audience__in"),
        ],
        ServiceCategory: [(ServicePage, "service_categories__in")],
    }.get(type(record), [])
    keys: set = set()
    for model, lookup in lookups:
        keys |= set(
            model.objects.live().filter(**{lookup: group}).values_list("translation_key", flat=True)
        )
    return keys


@task()
def items_reproject_referencing(app_label: str, model_name: str, pk: int) -> int:
    """Re-render the items that show a shared record after it was edited; returns changes logged."""
    model = apps.get_model(app_label, model_name)
    record = model.objects.filter(pk=pk).first()
    if record is None:
        return 0
    changes = 0
    with transaction.atomic():
        for key in referencing_translation_keys(record):
            changes += items_project_group(translation_key=key, reason="record")
    return changes
