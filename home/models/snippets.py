"""Shared records of the street office: who is served, who serves, and where."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.fields import ChoiceListField
from core.forms import StableCodeForm


class TaxonomyQuerySet(models.QuerySet):
    def in_default_locale(self):
        """Rows of the default content locale, the ones pages and subscriptions point at."""
        from wagtail.models import Locale

        return self.filter(locale=Locale.get_default())


class ResidentCategory(TranslatableMixin, models.Model):
    """A group of residents that policy singles out and residents subscribe to."""

    code = models.SlugField(
        _("代码"),
        max_length=40,
        help_text=_("英文代码，自助机、手机应用和订阅都靠它识别类别，创建后不能修改。"),
    )
    name = models.CharField(_("名称"), max_length=40)
    description = models.TextField(_("说明"), blank=True, max_length=300)
    is_sensitive = models.BooleanField(
        _("涉及个人隐私"),
        default=False,
        help_text=_(
            "订阅这一类别会透露订阅人的个人情况（如残疾、低保）。"
            "勾选后，社区编辑只能看到订阅人数，看不到是谁。"
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = TaxonomyQuerySet.as_manager()

    base_form_class = StableCodeForm
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("code"),
        SynchronizedField("is_sensitive"),
        SynchronizedField("sort_order"),
    ]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("is_sensitive"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "code"]
        verbose_name = _("居民类别")
        verbose_name_plural = _("居民类别")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "locale"], name="unique_resident_category_code"
            ),
        ]

    def __str__(self):
        return self.name


class Organisation(TranslatableMixin, models.Model):
    """A body that provides services or issues notices: a department, committee, team or partner firm."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        COMMITTEE = "committee", _("居民委员会")
        STATION = "station", _("社区服务站")
        VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")
        ENTERPRISE = "enterprise", _("加盟企业")

    class Vetting(models.TextChoices):
        PENDING = "pending", _("审核中")
        APPROVED = "approved", _("已通过")
        SUSPENDED = "suspended", _("已暂停")
        REJECTED = "rejected", _("未通过")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("简介"), blank=True, max_length=500)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    website = models.URLField(_("网址"), blank=True)
    vetting_status = models.CharField(
        _("加盟审核状态"),
        max_length=20,
        choices=Vetting.choices,
        blank=True,
        help_text=_("只有加盟企业需要填写：诚信、价格、质量和安全审核的结果。"),
    )
    vetted_on = models.DateField(_("审核日期"), null=True, blank=True)

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        TranslatableField("contact_person"),
        TranslatableField("address"),
        SynchronizedField("kind"),
        SynchronizedField("phone"),
        SynchronizedField("email"),
        SynchronizedField("website"),
        SynchronizedField("vetting_status"),
        SynchronizedField("vetted_on"),
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("contact_person"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("address"),
                FieldPanel("website"),
            ],
            heading=_("联系方式"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("vetting_status"), FieldPanel("vetted_on")])],
            heading=_("加盟企业审核"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["kind", "name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self):
        return self.name

    @property
    def may_provide(self) -> bool:
        """Partner enterprises serve residents only once vetted and while not suspended."""
        return self.kind != self.Kind.ENTERPRISE or self.vetting_status == self.Vetting.APPROVED

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.ENTERPRISE:
            if not self.vetting_status:
                errors["vetting_status"] = _("加盟企业必须填写审核状态。")
            elif self.vetting_status == self.Vetting.APPROVED and not self.vetted_on:
                errors["vetted_on"] = _("审核已通过的企业必须填写审核日期。")
        elif self.vetting_status:
            errors["vetting_status"] = _("只有加盟企业才有审核状态，其他机构请留空。")
        if errors:
            raise ValidationError(errors)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class ServicePoint(TranslatableMixin, ClusterableModel):
    """A place where residents are served: a hall, station, canteen or activity room, with its hours."""

    name = models.CharField(_("名称"), max_length=100)
    community = models.ForeignKey(
        "home.CommunityHomePage",
        verbose_name=_("所属社区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("留空表示街道一级的服务点。"),
    )
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    accessibility_notes = models.TextField(
        _("无障碍说明"),
        blank=True,
        max_length=300,
        help_text=_("例如：有无障碍坡道、在一楼办理、有爱心座椅、可借轮椅。"),
    )

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("address"),
        TranslatableField("accessibility_notes"),
        SynchronizedField("community"),
        SynchronizedField("latitude"),
        SynchronizedField("longitude"),
        SynchronizedField("phone"),
        SynchronizedField("opening_hours"),
        SynchronizedField("hours_exceptions"),
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("community"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("phone"),
        FieldPanel("accessibility_notes"),
        InlinePanel("opening_hours", heading=_("每周开放时间"), label=_("时段")),
        InlinePanel("hours_exceptions", heading=_("特殊日期（节假日等）"), label=_("特殊日期")),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("服务点")
        verbose_name_plural = _("服务点")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("经度和纬度要同时填写，或者都不填。")})


class OpeningHours(Orderable):
    """One weekly opening period of a service point, e.g. Monday to Friday 08:30–11:30."""

    point = ParentalKey(ServicePoint, on_delete=models.CASCADE, related_name="opening_hours")
    days = ChoiceListField(_("星期"), choices_list=Weekday.choices)
    opens = models.TimeField(_("开门"))
    closes = models.TimeField(_("关门"))

    panels = [FieldPanel("days"), FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("开放时段")
        verbose_name_plural = _("开放时段")

    def clean(self):
        super().clean()
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("关门时间要晚于开门时间。")})


class HoursException(Orderable):
    """A date when a service point keeps other hours or is closed (holidays)."""

    point = ParentalKey(ServicePoint, on_delete=models.CASCADE, related_name="hours_exceptions")
    date = models.DateField(_("日期"))
    closed = models.BooleanField(_("全天关闭"), default=True)
    opens = models.TimeField(_("开门"), null=True, blank=True)
    closes = models.TimeField(_("关门"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("例如：元旦休息。"))

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("closed")]),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("特殊日期")
        verbose_name_plural = _("特殊日期")

    def clean(self):
        super().clean()
        if self.closed:
            return
        if not (self.opens and self.closes):
            raise ValidationError({"opens": _("不是全天关闭时，要填写当天的开门和关门时间。")})
        if self.closes <= self.opens:
            raise ValidationError({"closes": _("关门时间要晚于开门时间。")})
