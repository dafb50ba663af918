"""Structured lists on a service page: what it costs, what to bring, what happens."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class CostBlock(blocks.StructBlock):
    """One price of a service: amount in yuan, per unit, and who pays what."""

    amount = blocks.DecimalBlock(label=_("金额（元）"), min_value=Decimal("0"), decimal_places=2)
    unit = blocks.CharBlock(label=_("单位"), max_length=20, help_text=_("例如：份、次、小时、月。"))
    description = blocks.CharBlock(
        label=_("说明"),
        required=False,
        max_length=100,
        help_text=_("例如：持爱心卡九折；上门费另计。"),
    )

    class Meta:
        icon = "tag"
        label = _("收费标准")

    def get_api_representation(self, value, context=None):
        return {
            "amount": str(value["amount"]),
            "currency": "CNY",
            "unit": value["unit"],
            "description": value["description"],
        }


class RequiredDocumentBlock(blocks.StructBlock):
    """One document a resident must bring, so nobody makes the trip twice."""

    name = blocks.CharBlock(label=_("材料名称"), max_length=60)
    original = blocks.BooleanBlock(label=_("需要原件"), required=False, default=True)
    copies = blocks.IntegerBlock(label=_("复印件份数"), required=False, min_value=0, max_value=20)
    note = blocks.CharBlock(label=_("备注"), required=False, max_length=100)

    class Meta:
        icon = "doc-empty"
        label = _("所需材料")

    def get_api_representation(self, value, context=None):
        return {
            "name": value["name"],
            "original": bool(value["original"]),
            "copies": value["copies"] or 0,
            "note": value["note"],
        }


class StepBlock(blocks.StructBlock):
    """One step of getting a service, in the order a resident goes through them."""

    title = blocks.CharBlock(label=_("步骤"), max_length=40)
    detail = blocks.TextBlock(label=_("说明"), required=False, max_length=300)

    class Meta:
        icon = "list-ol"
        label = _("办理步骤")

    def get_api_representation(self, value, context=None):
        return {"title": value["title"], "detail": value["detail"]}
