"""The admin's document form, with the box that makes a document public without a page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.documents.forms import BaseDocumentForm

from library.operations import document_public_set
from library.selectors import document_is_marked_public


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE) plus 'public without a page'."""

    public = forms.BooleanField(
        label=_("不经页面直接公开"),
        required=False,
        help_text=_(
            "通常不用勾选：页面发布后，页面用到的文件自动对外公开；"
            "审核中的通知的附件，批准发布前不对外公开。"
            "只有要在页面之外发给居民的文件（如海报二维码指向的表格）才勾选。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["public"].initial = document_is_marked_public(self.instance)

    def save(self, commit=True):
        document = super().save(commit=commit)
        if commit:
            document_public_set(document=document, public=self.cleaned_data.get("public", False))
        return document
