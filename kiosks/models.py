"""Self-service kiosks in the service halls: who they are, where, and whether they are alive."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiosks.forms import KioskForm

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def setup_link(token: str) -> str:
    """The address staff open on a new kiosk: the token rides in the fragment.

    Browsers never send a fragment, so the token stays out of every server and
    proxy log; the kiosk's script reads it, keeps it and clears the address bar.
    """
    return f"{settings.LINLI_PUBLIC_URL.rstrip('/')}{reverse('kiosk:app')}#token={token}"


class KioskQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Kiosk(models.Model):
    """One kiosk: it authenticates with a token shown once at creation and stored only as a hash."""

    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：街道服务大厅 1 号机。"))
    community = models.SlugField(
        _("社区代码"),
        max_length=40,
        blank=True,
        help_text=_(
            "自助机所在社区的代码（如 anhuali），只显示这个社区和街道的内容；留空显示全街道。"
        ),
    )
    location = models.CharField(_("位置"), max_length=200, blank=True)
    locale = models.CharField(
        _("默认语言"), max_length=16, choices=settings.LANGUAGES, default="zh-hans"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("最后在线"), null=True, blank=True, editable=False)
    client_version = models.CharField(_("软件版本"), max_length=40, blank=True, editable=False)
    feed_cursor = models.CharField(_("同步位置"), max_length=200, blank=True, editable=False)

    objects = KioskQuerySet.as_manager()
    base_form_class = KioskForm

    class Meta:
        ordering = ["name"]
        verbose_name = _("自助机")
        verbose_name_plural = _("自助机")

    def __str__(self):
        return self.name

    def issue_token(self) -> str:
        """A new secret for this kiosk; returned once, only its hash is kept."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_hash = hash_token(token)
        return token

    @property
    def is_online(self) -> bool:
        """Seen within two poll intervals."""
        if self.revoked_at or not self.last_seen_at:
            return False
        window = timedelta(seconds=2 * settings.LINLI_FEED_POLL_SECONDS)
        return timezone.now() - self.last_seen_at <= window
