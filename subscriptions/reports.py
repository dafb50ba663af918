"""The notifications report: per notification, its audience and how delivery is going."""

from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from subscriptions.models import Delivery, Notification
from subscriptions.panels import delivery_counts


def notification_rows(limit: int = 50) -> list[dict]:
    rows = []
    for notification in Notification.objects.order_by("-pk")[:limit]:
        counts = delivery_counts(Delivery.objects.filter(notification=notification))
        total = sum(counts.values())
        done = counts["sent"] + counts["dead"] + counts["cancelled"]
        running = notification.planned_at is None or counts["pending"] > 0
        rows.append(
            {
                "notification": notification,
                "counts": counts,
                "total": total,
                "percent": round(100 * done / total) if total else 100,
                "running": running,
            }
        )
    return rows


class NotificationReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "推送记录"
    header_icon = "mail"
    template_name = "subscriptions/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = notification_rows()
        context["rows"] = rows
        context["running"] = any(row["running"] for row in rows)
        return context
