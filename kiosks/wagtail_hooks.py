"""Kiosks in the admin: create (token shown once), see which are offline, revoke."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from kiosks.models import Kiosk, setup_link


class KioskCreateView(CreateView):
    def save_instance(self):
        self.token = self.form.instance.issue_token()
        return super().save_instance()

    def get_success_message(self, instance):
        return _(
            "自助机“%(name)s”已创建。令牌只显示这一次，请现在复制到自助机：%(token)s"
            "（或在自助机上打开 %(link)s）"
        ) % {"name": instance.name, "token": self.token, "link": setup_link(self.token)}


class StatusColumn(Column):
    def get_value(self, instance):
        if instance.revoked_at:
            return format_html('<span class="w-status w-status--label">{}</span>', _("已停用"))
        if instance.is_online:
            return format_html('<span class="w-status w-status--primary">{}</span>', _("在线"))
        return format_html('<span class="w-status w-status--label">{}</span>', _("离线"))


class KioskViewSet(SnippetViewSet):
    model = Kiosk
    icon = "desktop"
    menu_label = _("自助机")
    menu_order = 260
    add_to_admin_menu = True
    add_view_class = KioskCreateView
    list_display = [
        "name",
        "community",
        "location",
        StatusColumn("status", label=_("状态")),
        "last_seen_at",
        "client_version",
    ]
    search_fields = ["name", "location", "community"]


register_snippet(KioskViewSet)
