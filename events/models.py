"""Cultural events (文化活动): lectures, arts, sports, festivals, children's activities."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from core.blocks import BodyBlock
from core.fields import notify_subscribers_field
from core.forms import ContentPageForm
from core.models import BasePage, in_default_locale
from core.panels import SlotPanel
from home.models import PlacedPage
from home.querysets import PlacedPageQuerySet


class EventIndexPage(BasePage):
    """The list of events of the street office or of one community."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)

    parent_page_types = ["home.StreetHomePage", "home.CommunityHomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("活动日历")
        verbose_name_plural = _("活动日历")


class EventPage(PlacedPage, BasePage):
    """A cultural event (文化活动) with its time, place, audience and registration."""

    class EventType(models.TextChoices):
        LECTURE = "lecture", _("讲座")
        ARTS = "arts", _("文艺")
        SPORTS = "sports", _("体育健身")
        FESTIVAL = "festival", _("节日活动")
        HEALTH = "health", _("健康")
        CHILDREN = "children", _("少儿")
        VOLUNTEERING = "volunteering", pgettext_lazy("event type", "志愿服务")
        OTHER = "other", _("其他")

    class Registration(models.TextChoices):
        NONE = "none", _("无需报名")
        REQUIRED = "required", _("需要报名")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("如期举行")
        POSTPONED = "postponed", _("延期")
        CANCELLED = "cancelled", _("取消")

    summary = models.CharField(
        _("摘要"), max_length=140, help_text=_("140 字以内，用于推送和活动列表。")
    )
    body = StreamField(BodyBlock(), verbose_name=_("活动介绍"), blank=True)
    search_keywords = models.CharField(
        _("搜索关键词"),
        max_length=200,
        blank=True,
        help_text=_(
            "居民可能用的其他叫法、简称或拼音首字母，用空格隔开，例如：低保 最低生活保障 dbsq。"
            "只用于搜索，不会显示出来。"
        ),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.ForeignKey(
        "home.ServicePoint",
        verbose_name=_("活动地点（服务点）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    venue_address = models.CharField(
        _("其他地点"),
        max_length=200,
        blank=True,
        help_text=_("活动不在服务点举行时，填写详细地址。"),
    )
    organiser = models.ForeignKey(
        "home.Organisation",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = ParentalManyToManyField(
        "home.ResidentCategory",
        verbose_name=_("面向人群"),
        related_name="events",
        limit_choices_to=in_default_locale,
    )
    event_type = models.CharField(
        _("活动类型"), max_length=20, choices=EventType.choices, default=EventType.OTHER
    )
    capacity = models.PositiveIntegerField(
        _("名额"), null=True, blank=True, help_text=_("不限人数可不填。")
    )
    registration = models.CharField(
        _("报名"), max_length=20, choices=Registration.choices, default=Registration.NONE
    )
    registration_how = models.CharField(
        _("报名方式"),
        max_length=200,
        blank=True,
        help_text=_("例如：拨打电话 6512 3456，或到服务站前台登记。"),
    )
    registration_deadline = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    fee = models.DecimalField(
        _("费用（元）"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("免费活动填 0。"),
    )
    fee_note = models.CharField(_("费用说明"), max_length=100, blank=True)
    status = models.CharField(
        _("活动状态"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    status_reason = models.CharField(
        _("延期或取消的原因"),
        max_length=200,
        blank=True,
        help_text=_("延期或取消时必须填写，会告诉已经知道这个活动的居民。"),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("活动图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    notify_subscribers = notify_subscribers_field()

    objects = PageManager.from_queryset(PlacedPageQuerySet)()

    # Greys out the push box when the page was announced within the day.
    base_form_class = ContentPageForm

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("search_keywords"),
        FieldRowPanel([FieldPanel("event_type"), FieldPanel("status")]),
        FieldPanel("status_reason"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("venue_address"), FieldPanel("organiser")],
            heading=_("地点与主办"),
        ),
        FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("registration"), FieldPanel("capacity")]),
                FieldPanel("registration_how"),
                FieldPanel("registration_deadline"),
                FieldRowPanel([FieldPanel("fee"), FieldPanel("fee_note")]),
            ],
            heading=_("报名与费用"),
        ),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("notify_subscribers"), SlotPanel("reach")], heading=_("推送")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_keywords"),
        index.SearchField("body"),
        index.FilterField("event_type"),
        index.FilterField("status"),
        index.FilterField("starts_at"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "summary",
            "body",
            "starts_at",
            "ends_at",
            "venue",
            "venue_address",
            "organiser",
            "audience",
            "event_type",
            "capacity",
            "registration",
            "registration_how",
            "registration_deadline",
            "fee",
            "fee_note",
            "status",
            "status_reason",
            "image",
        )
    ]
    override_translatable_fields = [SynchronizedField("fee")]

    class Meta:
        verbose_name = _("文化活动")
        verbose_name_plural = _("文化活动")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("结束时间必须晚于开始时间。")
        if not self.venue_id and not self.venue_address.strip():
            errors["venue_address"] = _("请选择活动地点（服务点），或者填写其他地点的地址。")
        if self.status != self.Status.SCHEDULED and not self.status_reason.strip():
            errors["status_reason"] = _("活动延期或取消时，必须写明原因。")
        if self.registration == self.Registration.REQUIRED and not self.registration_how.strip():
            errors["registration_how"] = _("需要报名的活动，必须写明怎么报名。")
        if (
            self.registration_deadline
            and self.starts_at
            and self.registration_deadline > self.starts_at
        ):
            errors["registration_deadline"] = _("报名截止时间不能晚于活动开始时间。")
        if errors:
            raise ValidationError(errors)
