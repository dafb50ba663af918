"""Blocks shared by every page type's body."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class CalloutBlock(blocks.StructBlock):
    """A highlighted box for what a reader must not miss (deadlines, warnings)."""

    tone = blocks.ChoiceBlock(
        choices=[("info", _("提示")), ("warning", _("注意"))],
        default="info",
        label=_("样式"),
    )
    text = blocks.TextBlock(label=_("内容"), max_length=300)

    class Meta:
        icon = "warning"
        label = _("提示框")


class DocumentLinkBlock(blocks.StructBlock):
    """A downloadable file (form, policy original) with a plain title."""

    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("显示名称"), required=False, max_length=100)

    class Meta:
        icon = "doc-full"
        label = _("附件")

    def get_api_representation(self, value, context=None):
        document = value["document"]
        return {
            "title": value["title"] or document.title,
            "url": document.url,
            "file_extension": document.file_extension,
        }


class BodyBlock(blocks.StreamBlock):
    """The free-text body of a service, notice or event: paragraphs, headings, images, files."""

    heading = blocks.CharBlock(
        label=_("小标题"), max_length=60, form_classname="title", icon="title"
    )
    paragraph = blocks.RichTextBlock(label=_("段落"), features=RICH_TEXT_FEATURES)
    callout = CalloutBlock()
    image = ImageBlock(label=_("图片"))
    document = DocumentLinkBlock()

    class Meta:
        label = _("正文")
