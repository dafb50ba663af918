"""The notifications report: per notification, its audience and how delivery is going; its reach."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from home.models import CommunityHomePage, ResidentCategory
from home.selectors import communities_seen_by
from subscriptions.channels.registry import all_channels
from subscriptions.models import Delivery, Notification
from subscriptions.panels import delivery_counts
from subscriptions.reach import LABELS, LEFT, STATE_LABELS, STATES, reach_csv, reach_of


def notification_rows(limit: int = 50, *, communities: set[str] | None = None) -> list[dict]:
    """The latest notifications; with `communities`, those of these communities and street-wide ones."""
    notifications = Notification.objects.order_by("-pk")
    if communities is not None:
        notifications = notifications.filter(community__in=[*communities, ""])
    rows = []
    for notification in notifications[:limit]:
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

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = notification_rows(communities=communities_seen_by(self.request.user))
        context["rows"] = rows
        context["running"] = any(row["running"] for row in rows)
        return context


def _names() -> tuple[dict, dict]:
    locale = Locale.get_default()
    communities = dict(CommunityHomePage.objects.filter(locale=locale).values_list("code", "title"))
    categories = dict(ResidentCategory.objects.filter(locale=locale).values_list("code", "name"))
    return communities, categories


class ReachView(WagtailAdminTemplateMixin, TemplateView):
    """One notification's reach, live: people per state, community, category and channel."""

    page_title = "送达情况"
    header_icon = "mail"
    template_name = "subscriptions/reach.html"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("subscriptions_notifications"), "label": "推送记录"},
            {"url": "", "label": self.page_title},
        ]

    def reach(self):
        notification = get_object_or_404(Notification, pk=self.kwargs["pk"])
        seen = communities_seen_by(self.request.user)
        if seen is not None and notification.community and notification.community not in seen:
            raise Http404
        return reach_of(notification, communities=seen), seen

    def get(self, request, *args, **kwargs):
        if kwargs.get("csv"):
            reach, _seen = self.reach()
            community_names, category_names = _names()
            body = reach_csv(reach, community_names=community_names, category_names=category_names)
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="reach-{reach.notification.pk}.csv"'
            )
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reach, seen = self.reach()
        community_names, category_names = _names()
        channel_names = {spec.code: str(spec.label) for spec in all_channels()}

        def rows(groups, names, blank):
            return [
                {
                    "name": names.get(code, code or blank),
                    "total": sum(counts.values()),
                    "counts": [counts[state] for state in STATES],
                }
                for code, counts in sorted(groups.items())
            ]

        context.update(
            notification=reach.notification,
            reach=reach,
            states=[STATE_LABELS[state] for state in STATES],
            totals=[reach.people[state] for state in STATES],
            communities=rows(reach.by_community, community_names, "全街道"),
            categories=rows(reach.by_category, {**category_names, LEFT: LABELS[LEFT]}, "未选人群"),
            channels=rows(reach.by_channel, channel_names, ""),
            running=reach.people["pending"] > 0,
            scoped=seen is not None,
        )
        return context
