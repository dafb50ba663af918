"""Policy notices (政策通知): relief rules, application windows, payment days, warnings."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from core.blocks import BodyBlock
from core.fields import notify_subscribers_field
from core.forms import ContentPageForm
from core.models import BasePage, in_default_locale
from core.panels import SlotPanel
from home.models import PlacedPage
from home.querysets import PlacedPageQuerySet


class NoticeIndexPage(BasePage):
    """The list of notices of the street office or of one community."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)

    parent_page_types = ["home.StreetHomePage", "home.CommunityHomePage"]
    subpage_types = ["notices.NoticePage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("通知公告栏")
        verbose_name_plural = _("通知公告栏")


def valid_at(at) -> Q:
    """Notices valid at `at`: started, and not yet past valid_until. The one rule for "current"."""
    return Q(valid_from__lte=at) & (Q(valid_until__isnull=True) | Q(valid_until__gt=at))


class NoticePageQuerySet(PlacedPageQuerySet):
    def current(self, at=None):
        """Notices valid at `at` (now by default)."""
        return self.filter(valid_at(at or timezone.now()))


class NoticePage(PlacedPage, BasePage):
    """A policy notice (政策通知) with its issuer, validity and audience."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        IMPORTANT = "important", _("重要")
        URGENT = "urgent", _("紧急")

    summary = models.CharField(
        _("摘要"),
        max_length=140,
        blank=True,
        help_text=_("140 字以内，用于推送消息和自助机滚动条。紧急通知必须填写。"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)
    search_keywords = models.CharField(
        _("搜索关键词"),
        max_length=200,
        blank=True,
        help_text=_(
            "居民可能用的其他叫法、简称或拼音首字母，用空格隔开，例如：低保 最低生活保障 dbsq。"
            "只用于搜索，不会显示出来。"
        ),
    )
    issuer = models.ForeignKey(
        "home.Organisation",
        verbose_name=_("发布单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document_number = models.CharField(
        _("文号"), max_length=60, blank=True, help_text=_("例如：和街发〔2026〕12号。没有可不填。")
    )
    valid_from = models.DateTimeField(
        _("生效时间"), default=timezone.now, help_text=_("从什么时候起有效。")
    )
    valid_until = models.DateTimeField(
        _("失效时间"),
        null=True,
        blank=True,
        help_text=_("过了这个时间，通知会自动从自助机和应用上撤下。长期有效可不填。"),
    )
    urgency = models.CharField(
        _("紧急程度"),
        max_length=20,
        choices=Urgency.choices,
        default=Urgency.NORMAL,
        help_text=_("紧急通知会立即推送（不受免打扰时段限制），并在自助机顶部一直显示。"),
    )
    audience = ParentalManyToManyField(
        "home.ResidentCategory",
        verbose_name=_("面向人群"),
        related_name="notices",
        limit_choices_to=in_default_locale,
        help_text=_("通知面向哪些居民。面向所有人请选“全体居民”。"),
    )
    pinned = models.BooleanField(
        _("在自助机首页置顶"), default=False, help_text=_("有效期内一直显示在自助机首页。")
    )
    notify_subscribers = notify_subscribers_field()

    objects = PageManager.from_queryset(NoticePageQuerySet)()

    # Greys out the push box when the page was announced within the day.
    base_form_class = ContentPageForm

    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("urgency"),
        FieldPanel("search_keywords"),
        FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("issuer"),
                FieldPanel("document_number"),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
            ],
            heading=_("发布单位与有效期"),
        ),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
        MultiFieldPanel(
            [FieldPanel("pinned"), FieldPanel("notify_subscribers"), SlotPanel("reach")],
            heading=_("显示与推送"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("document_number"),
        index.SearchField("search_keywords"),
        index.FilterField("urgency"),
        index.FilterField("valid_from"),
        index.FilterField("valid_until"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "summary",
            "body",
            "issuer",
            "document_number",
            "valid_from",
            "valid_until",
            "urgency",
            "audience",
            "attachments",
            "pinned",
        )
    ]
    override_translatable_fields = [SynchronizedField("document_number")]

    class Meta:
        verbose_name = _("政策通知")
        verbose_name_plural = _("政策通知")

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors["valid_until"] = _("失效时间必须晚于生效时间。")
        if self.urgency == self.Urgency.URGENT and not self.summary.strip():
            errors["summary"] = _("紧急通知必须填写摘要：推送和自助机顶部横幅显示的就是它。")
        if errors:
            raise ValidationError(errors)


class NoticeAttachment(Orderable):
    """A file attached to a notice: the policy original, an application form."""

    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("显示名称"), max_length=100, blank=True, help_text=_("留空则使用文件本身的标题。")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]
    api_fields = [APIField("document"), APIField("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
