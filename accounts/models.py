"""What holds the two-step rule: a permission, granted to groups like any other."""

from django.db import models


class SignIn(models.Model):
    """No rows: only carries the permission that makes two-step verification mandatory.

    Superusers hold every permission, so they are covered; the street's
    reviewers get it when their group is provisioned; an administrator can
    tick it for any other group in the admin (Settings → Groups).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("require_two_factor", "登录须两步验证")]

    def __str__(self):
        return "登录须两步验证"
