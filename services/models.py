"""The service catalog: every service a resident can get, with what it takes to get it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import BodyBlock
from core.fields import ChoiceListField, notify_subscribers_field
from core.forms import ContentPageForm, StableCodeForm
from core.models import BasePage, in_default_locale, subcategories_in_default_locale
from core.panels import SlotPanel
from home.models import PlacedPage
from home.models.snippets import TaxonomyQuerySet
from home.querysets import PlacedPageQuerySet
from services.blocks import CostBlock, RequiredDocumentBlock, StepBlock


class ServiceCategory(TranslatableMixin, models.Model):
    """A two-level subject heading for services, e.g. 养老服务 → 助餐."""

    code = models.SlugField(
        _("代码"),
        max_length=40,
        help_text=_("英文代码，自助机和应用用它筛选服务，创建后不能修改。"),
    )
    name = models.CharField(_("名称"), max_length=40)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text=_(
            "留空表示这是一级类别（如“养老服务”）；二级类别（如“助餐”）选它所属的一级类别。"
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = TaxonomyQuerySet.as_manager()

    base_form_class = StableCodeForm
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("code"),
        SynchronizedField("parent"),
        SynchronizedField("sort_order"),
    ]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("parent"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "code"]
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        constraints = [
            models.UniqueConstraint(fields=["code", "locale"], name="unique_service_category_code"),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} → {self.name}"
        return self.name

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": _("类别不能以自己为上级。")})
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": _("服务类别只有两级：上级类别必须是一级类别。")})
        if self.pk and self.children.exists():
            raise ValidationError({"parent": _("这个类别下面已有二级类别，不能再成为二级类别。")})


class ServiceIndexPage(BasePage):
    """The list of services of the street office or of one community."""

    intro = models.CharField(_("导语"), max_length=200, blank=True)

    parent_page_types = ["home.StreetHomePage", "home.CommunityHomePage"]
    subpage_types = ["services.ServicePage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("服务目录")
        verbose_name_plural = _("服务目录")


class ServicePage(PlacedPage, BasePage):
    """One service in the catalog (服务事项): who can get it, what it costs, where, and how long it takes."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("公共服务")
        MUTUAL_AID = "mutual_aid", _("互助服务")
        VOLUNTEER = "volunteer", _("志愿服务")
        COMMERCIAL = "commercial", _("商业服务")

    class FeeMode(models.TextChoices):
        FREE = "free", _("无偿（免费）")
        LOW_COST = "low_cost", _("低偿（优惠收费）")
        PAID = "paid", _("有偿（按价收费）")

    class DeliveryMode(models.TextChoices):
        HOME_VISIT = "home_visit", _("上门服务")
        SERVICE_POINT = "service_point", _("到服务点")
        DEVICE = "device", _("设施设备")
        ONLINE = "online", _("网上办理")
        HOTLINE = "hotline", _("电话办理")

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常提供")
        SUSPENDED = "suspended", _("暂停")
        DISCONTINUED = "discontinued", _("已停止")

    summary = models.CharField(
        _("一句话简介"),
        max_length=80,
        help_text=_("80 字以内，显示在自助机的服务卡片上。用大白话说清楚这是什么服务。"),
    )
    description = StreamField(BodyBlock(), verbose_name=_("详细介绍"), blank=True)
    search_keywords = models.CharField(
        _("搜索关键词"),
        max_length=200,
        blank=True,
        help_text=_(
            "居民可能用的其他叫法、简称或拼音首字母，用空格隔开，例如：低保 最低生活保障 dbsq。"
            "只用于搜索，不会显示出来。"
        ),
    )
    kind = models.CharField(_("服务类型"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC)
    service_categories = ParentalManyToManyField(
        ServiceCategory,
        verbose_name=_("服务类别"),
        related_name="services",
        blank=True,
        limit_choices_to=subcategories_in_default_locale,
    )
    resident_categories = ParentalManyToManyField(
        "home.ResidentCategory",
        verbose_name=_("服务对象"),
        related_name="services",
        limit_choices_to=in_default_locale,
        help_text=_("这项服务面向哪些居民。面向所有人请选“全体居民”。"),
    )
    eligibility = models.TextField(
        _("申请条件"),
        blank=True,
        max_length=1000,
        help_text=_("谁可以申请，需要满足什么条件。"),
    )
    min_age = models.PositiveSmallIntegerField(
        _("最低年龄"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("最高年龄"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    provider = models.ForeignKey(
        "home.Organisation",
        verbose_name=_("服务提供方"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fee_mode = models.CharField(
        _("收费方式"), max_length=20, choices=FeeMode.choices, default=FeeMode.FREE
    )
    costs = StreamField(
        [("cost", CostBlock())],
        verbose_name=_("收费标准"),
        blank=True,
        help_text=_("低偿和有偿服务必须写明价格，包括上门费等所有费用。"),
    )
    delivery_modes = ChoiceListField(_("服务方式"), choices_list=DeliveryMode.choices)
    service_points = ParentalManyToManyField(
        "home.ServicePoint",
        verbose_name=_("服务地点"),
        related_name="services",
        blank=True,
        limit_choices_to=in_default_locale,
    )
    documents = StreamField(
        [("document", RequiredDocumentBlock())],
        verbose_name=_("所需材料"),
        blank=True,
        help_text=_("居民要带的全部材料，写清原件还是复印件，免得跑第二趟。"),
    )
    steps = StreamField(
        [("step", StepBlock())],
        verbose_name=_("办理步骤"),
        blank=True,
    )
    promised_days = models.PositiveSmallIntegerField(
        _("承诺办结时限（工作日）"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("从受理到办完最多几个工作日；当场办结填 0。"),
    )
    apply_url = models.URLField(_("网上办理地址"), blank=True)
    hotline = models.CharField(_("咨询电话"), max_length=40, blank=True)
    status = models.CharField(
        _("服务状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    last_verified = models.DateField(
        _("信息核实日期"),
        null=True,
        blank=True,
        help_text=_("最近一次核对价格、时间和材料是否准确的日期。"),
    )

    notify_subscribers = notify_subscribers_field()

    objects = PageManager.from_queryset(PlacedPageQuerySet)()

    # Greys out the push box when the page was announced within the day.
    base_form_class = ContentPageForm

    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("status"),
        FieldPanel("search_keywords"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("service_categories", widget=forms.CheckboxSelectMultiple),
                FieldPanel("resident_categories", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("分类"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("eligibility"),
                FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
            ],
            heading=_("谁可以申请"),
        ),
        MultiFieldPanel([FieldPanel("fee_mode"), FieldPanel("costs")], heading=_("收费")),
        MultiFieldPanel(
            [
                FieldPanel("delivery_modes"),
                FieldPanel("service_points", widget=forms.CheckboxSelectMultiple),
                FieldPanel("provider"),
                FieldRowPanel([FieldPanel("hotline"), FieldPanel("apply_url")]),
            ],
            heading=_("在哪里、怎么办"),
        ),
        FieldPanel("documents"),
        FieldPanel("steps"),
        FieldRowPanel([FieldPanel("promised_days"), FieldPanel("last_verified")]),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("notify_subscribers"), SlotPanel("reach")], heading=_("推送")),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("eligibility"),
        index.SearchField("search_keywords"),
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("kind"),
        index.FilterField("fee_mode"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "summary",
            "description",
            "kind",
            "service_categories",
            "resident_categories",
            "eligibility",
            "min_age",
            "max_age",
            "provider",
            "fee_mode",
            "costs",
            "delivery_modes",
            "service_points",
            "documents",
            "steps",
            "promised_days",
            "apply_url",
            "hotline",
            "status",
            "last_verified",
        )
    ]
    override_translatable_fields = [
        SynchronizedField("min_age"),
        SynchronizedField("max_age"),
        SynchronizedField("promised_days"),
        SynchronizedField("hotline"),
        SynchronizedField("last_verified"),
        SynchronizedField("delivery_modes"),
    ]

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")

    def clean(self):
        super().clean()
        errors = {}
        if self.fee_mode != self.FeeMode.FREE and not self.costs:
            errors["costs"] = _("低偿或有偿服务必须填写收费标准（金额和单位）。")
        elif self.fee_mode != self.FeeMode.FREE and not any(
            cost.value["amount"] for cost in self.costs
        ):
            errors["costs"] = _("收费标准的金额都是 0：免费服务请把收费方式改为无偿。")
        if self.fee_mode == self.FeeMode.FREE and self.costs:
            errors["costs"] = _("免费服务不要填写收费标准；如有收费，请把收费方式改为低偿或有偿。")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("最高年龄不能小于最低年龄。")
        if self.status == self.Status.ACTIVE and self.provider_id and not self.provider.may_provide:
            errors["provider"] = _(
                "这家加盟企业的审核未通过或已暂停，不能提供服务。请换一个提供方，或把服务状态改为暂停。"
            )
        if errors:
            raise ValidationError(errors)
