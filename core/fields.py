"""Model fields shared by several apps."""

from django import forms
from django.db import models


class ChoiceListField(models.JSONField):
    """Several values from a fixed set of choices, stored as a JSON list of codes.

    Editors tick boxes; the API and filters read the codes. Filter with
    `field__icontains='"code"'`, which works on SQLite and PostgreSQL alike.
    """

    def __init__(self, *args, choices_list=(), **kwargs):
        self.choices_list = list(choices_list)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_list"] = self.choices_list
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not self.choices_list:
            return  # choices come from data (categories, communities); the form checks them
        known = {code for code, _label in self.choices_list}
        unknown = [code for code in value or [] if code not in known]
        if unknown:
            raise forms.ValidationError(
                "未知的选项：%(codes)s",
                code="invalid_choice",
                params={"codes": ", ".join(map(str, unknown))},
            )

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choices_list,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
        }
        defaults.update(kwargs)
        # JSONField.formfield would force its own form class; skip to Field.formfield.
        return models.Field.formfield(self, **defaults)

    def value_from_object(self, obj):
        return list(super().value_from_object(obj) or [])


def notify_subscribers_field():
    """The editor's "tell subscribers" box on services, notices and events (see docs/push.md)."""
    from django.utils.translation import gettext_lazy as _

    return models.BooleanField(
        _("推送给订阅居民"),
        default=True,
        help_text=_(
            "发布后推送给订阅了相关人群的居民。每次推送后会自动取消勾选；"
            "以后修改时再勾选，才会再推送一次。"
        ),
    )
