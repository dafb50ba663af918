"""What of the media library the public may read beyond what live pages use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicDocument(models.Model):
    """A document an editor made public although no live page uses it (a form behind a poster's QR code)."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公开的文件")
        verbose_name_plural = _("公开的文件")

    def __str__(self):
        return str(self.document_id)
