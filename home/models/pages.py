"""The tree: one street office, its communities, and where content sits in it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField

from core.content_types import content_types
from core.models import BasePage


class PlacedPage(models.Model):
    """Content that belongs to the whole street office or to one of its communities.

    `street` and `community` mirror the page's place in the tree (community is
    empty for street-wide content), so "everything a resident of community X
    should see" is one indexed filter instead of a walk up the tree.
    """

    street = models.ForeignKey(
        "home.StreetHomePage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community = models.ForeignKey(
        "home.CommunityHomePage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Placement is derived from the tree, never typed by an editor; it is
        # refreshed here and, for a whole subtree, after every move.
        from home.selectors import placement_for_path

        if self.path:
            self.street, self.community = placement_for_path(path=self.path)
        return super().save(*args, **kwargs)


class ContentTypesBelow:
    """A home page takes the index page of every registered content type as a child."""

    @classmethod
    def clean_subpage_models(cls):
        named = super().clean_subpage_models()
        indexes = [ct.index_page_model for ct in content_types()]
        return [*named, *(model for model in indexes if model not in named)]


class StreetHomePage(ContentTypesBelow, BasePage):
    """The home page of one street office (街道) and its service centre."""

    summary = models.CharField(_("简介"), max_length=140, blank=True)
    hall = models.ForeignKey(
        "home.ServicePoint",
        verbose_name=_("社区服务中心（大厅）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("居民办事的大厅：地址和开放时间从这个服务点读取。"),
    )
    hotline = models.CharField(_("服务热线"), max_length=40, blank=True)

    parent_page_types = ["wagtailcore.Page"]
    # Plus the index page of every content type (ContentTypesBelow).
    subpage_types = ["home.CommunityHomePage"]
    max_count_per_parent = 1

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hall"), FieldPanel("hotline")], heading=_("服务大厅")),
    ]
    api_fields = [APIField("summary"), APIField("hall"), APIField("hotline")]
    override_translatable_fields = [SynchronizedField("hotline")]

    class Meta:
        verbose_name = _("街道首页")
        verbose_name_plural = _("街道首页")


class CommunityHomePage(ContentTypesBelow, BasePage):
    """The home page of one community (社区): its station, hotline and content."""

    code = models.SlugField(
        _("社区代码"),
        max_length=40,
        help_text=_("英文代码，自助机和订阅用它指定社区，例如 heping。创建后不要修改。"),
    )
    summary = models.CharField(_("简介"), max_length=140, blank=True)
    hall = models.ForeignKey(
        "home.ServicePoint",
        verbose_name=_("社区服务站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hotline = models.CharField(_("服务热线"), max_length=40, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)

    parent_page_types = ["home.StreetHomePage"]
    # The index page of every content type (ContentTypesBelow).
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hall"), FieldPanel("hotline"), FieldPanel("households")],
            heading=_("服务站"),
        ),
    ]
    api_fields = [
        APIField("code"),
        APIField("summary"),
        APIField("hall"),
        APIField("hotline"),
        APIField("households"),
    ]
    override_translatable_fields = [SynchronizedField("code"), SynchronizedField("hotline")]

    class Meta:
        verbose_name = _("社区首页")
        verbose_name_plural = _("社区首页")

    def clean(self):
        super().clean()
        # The code is unique per locale (translations share it); Page owns the
        # locale column, so this cannot be a database constraint.
        clash = CommunityHomePage.objects.filter(code=self.code, locale_id=self.locale_id)
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if self.code and clash.exists():
            raise ValidationError({"code": _("已经有社区使用这个代码，请换一个。")})
