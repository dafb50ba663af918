"""Push in the admin: gateway webhooks (staff only), the notifications report, a dashboard panel.

Nobody in the admin sees who subscribed to what: subscriptions appear only
as counts, because several categories are sensitive personal information.
"""

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from home.models import ResidentCategory
from subscriptions.channels.registry import address_channels
from subscriptions.channels.webhook import secret_new
from subscriptions.forms import RelayForm, WebhookEndpointForm
from subscriptions.models import Address, Relay, Subscription, WebhookEndpoint
from subscriptions.operations import webhook_endpoint_secret_rotate
from subscriptions.reports import NotificationReportView, ReachView


class EndpointCreateView(CreateView):
    def save_instance(self):
        self.form.instance.secret = secret_new()
        return super().save_instance()

    def get_success_message(self, instance):
        return f"网关“{instance.name}”已添加。签名密钥（请配置到网关）：{instance.secret}"


class EndpointEditView(EditView):
    def save_instance(self):
        instance = self.form.instance
        self.rotated = self.form.cleaned_data.get("rotate_secret")
        if self.rotated:
            webhook_endpoint_secret_rotate(endpoint=instance)
        if instance.active:
            instance.disabled_reason = ""
        return super().save_instance()

    def get_success_message(self, instance):
        if getattr(self, "rotated", False):
            return f"已更换“{instance.name}”的签名密钥，新密钥：{instance.secret}（旧密钥 24 小时内仍有效）"
        return super().get_success_message(instance)


class StateColumn(Column):
    def get_value(self, instance):
        if instance.active:
            return format_html('<span class="w-status w-status--primary">{}</span>', "启用")
        return format_html(
            '<span class="w-status w-status--label" title="{}">{}</span>',
            instance.disabled_reason,
            "已停用",
        )


class WebhookEndpointViewSet(SnippetViewSet):
    model = WebhookEndpoint
    icon = "link"
    menu_label = "网关回调"
    menu_order = 270
    add_to_admin_menu = True
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    list_display = ["name", "url", StateColumn("state", label="状态"), "locale"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("resident_categories"),
            FieldPanel("communities"),
            FieldPanel("content_types"),
            FieldPanel("locale"),
            FieldRowPanel([FieldPanel("quiet_start"), FieldPanel("quiet_end")]),
            FieldPanel("active"),
            FieldPanel("rotate_secret"),
        ],
        base_form_class=WebhookEndpointForm,
    )


register_snippet(WebhookEndpointViewSet)


class RelayDeleteView(DeleteView):
    def delete_action(self):
        from subscriptions.relays import relay_delete

        # With its subscription and addresses: a deleted relay's number is not kept.
        relay_delete(relay=self.object)


class RelayCommunityColumn(Column):
    def get_value(self, instance):
        from home.models import CommunityHomePage

        page = CommunityHomePage.objects.filter(
            code=instance.community, locale=Locale.get_default()
        ).first()
        return page.title if page else instance.community


class RelayViewSet(SnippetViewSet):
    """Grid workers and building heads: staff keep them here; they never sign in."""

    model = Relay
    icon = "group"
    menu_label = "转告人"
    menu_order = 271
    add_to_admin_menu = True
    delete_view_class = RelayDeleteView
    list_display = [
        "name",
        RelayCommunityColumn("community", label="社区"),
        "grid",
        "households",
        "active",
    ]
    list_filter = ["community", "active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("community"),
            FieldPanel("grid"),
            FieldPanel("households"),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            FieldPanel("active"),
        ],
        base_form_class=RelayForm,
    )


register_snippet(RelayViewSet)


@hooks.register("register_admin_urls")
def register_report_url():
    return [
        path(
            "reports/notifications/",
            NotificationReportView.as_view(),
            name="subscriptions_notifications",
        ),
        path(
            "reports/notifications/<int:pk>/reach/",
            ReachView.as_view(),
            name="subscriptions_reach",
        ),
        path(
            "reports/notifications/<int:pk>/reach.csv",
            ReachView.as_view(),
            {"csv": True},
            name="subscriptions_reach_csv",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem(
        "推送记录",
        reverse("subscriptions_notifications"),
        icon_name="mail",
        order=700,
    )


def subscription_counts() -> dict:
    """Active subscriptions per resident category: counts only, cached for a minute."""
    counts = cache.get("subscriptions:counts")
    if counts is not None:
        return counts
    # Residents only: relays are counted in their own admin list.
    live_addresses = Address.objects.live().filter(subscription__is_relay=False)
    live = Subscription.objects.filter(is_relay=False).filter(
        Exists(live_addresses.filter(subscription=OuterRef("pk")))
    )
    rows = []
    for category in ResidentCategory.objects.filter(locale=Locale.get_default()).order_by(
        "sort_order"
    ):
        rows.append(
            {
                "name": category.name,
                "sensitive": category.is_sensitive,
                "count": live.filter(resident_categories__icontains=f'"{category.code}"').count(),
            }
        )
    per_channel = dict(live_addresses.values_list("channel").annotate(n=Count("pk")).order_by())
    channels = [
        {"name": str(spec.label), "count": per_channel.get(spec.code, 0)}
        for spec in address_channels()
    ]
    counts = {"total": live.count(), "rows": rows, "channels": channels}
    cache.set("subscriptions:counts", counts, 60)
    return counts


class SubscriptionsPanel(Component):
    name = "subscriptions"
    order = 150
    template_name = "subscriptions/panels/dashboard.html"

    def get_context_data(self, parent_context):
        return {
            **subscription_counts(),
            "disabled": list(
                WebhookEndpoint.objects.filter(active=False).exclude(disabled_reason="")
            ),
            "report_url": reverse("subscriptions_notifications"),
        }


@hooks.register("construct_homepage_panels")
def add_subscriptions_panel(request, panels):
    panels.append(SubscriptionsPanel())
