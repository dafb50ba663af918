"""What the subscription API says when it refuses, in the reader's locale.

The locale is the request's `Accept-Language` (the subscribe pages send the
page's language) or Django's language cookie; without either it is
simplified Chinese. Messages that Django
and DRF word themselves ("this field is required") come from their catalogs
in the same locale. Codes are the same in every locale: clients key on them.
The messages are gettext messages, like `subscriptions.texts`.
"""

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.errors import ApiError

DEFAULT_LOCALE = "zh-hans"

# By key; lazy, so each is read in the locale active when it is used.
MESSAGES = {
    "p256dh_invalid": gettext_lazy("不是有效的 P-256 公钥（p256dh）。"),
    "auth_invalid": gettext_lazy("auth 应为 16 字节的 base64url 字符串。"),
    "endpoint_not_public": gettext_lazy("推送地址必须是公网的 https 地址。"),
    "unknown_categories": gettext_lazy("未知的人群类别：{codes}"),
    "unknown_communities": gettext_lazy("未知的社区：{codes}"),
    "channel_required": gettext_lazy(
        "请填写手机号码或电子邮箱，或开启网页推送，至少选一种接收方式。"
    ),
    "phone_invalid": gettext_lazy("请填写中国大陆的手机号码（11 位，可带 +86）。"),
    "consent_required": gettext_lazy(
        "订阅残疾人、低收入家庭等相关政策，需要您单独勾选同意（sensitive_consent）。"
    ),
    "wechat_binding_invalid": gettext_lazy(
        "微信绑定已失效（1 小时内有效），请再点一次“在微信里接收”。"
    ),
    "unknown_channels": gettext_lazy("未知的接收方式：{codes}。可选：{known}。"),
    "repeated_channels": gettext_lazy("接收方式“{code}”只能出现一次。"),
    "rate_limited": gettext_lazy("请求太频繁，请一小时后再试。"),
    "rate_limited_address": gettext_lazy("这个邮箱的请求太频繁，请一小时后再试。"),
    "rate_limited_phone": gettext_lazy("给这个手机号发验证码太频繁了，请稍后再试。"),
    "invalid_phone_code": gettext_lazy("验证码不对或已失效（10 分钟内有效），请重新获取。"),
    "not_authenticated": gettext_lazy(
        "请用 Authorization: Bearer <管理令牌> 发送订阅时得到的管理令牌。"
    ),
    "invalid_manage_token": gettext_lazy("管理令牌无效，或这项订阅已删除。"),
    "invalid_confirm_token": gettext_lazy("确认链接无效或已过期（7 天）。"),
    "invalid_unsubscribe_token": gettext_lazy("退订链接无效。"),
    "expired_unsubscribe_token": gettext_lazy(
        "退订链接已过期（60 天内有效）。请使用最近一封邮件里的退订链接。"
    ),
    "relationship_required": gettext_lazy(
        "为家人订阅时，请选择这位家人和您的关系（on_behalf.relationship：{known}）。"
    ),
    "invalid_relationship": gettext_lazy("未知的关系。可选：{known}。"),
    "agreement_required": gettext_lazy(
        "为家人订阅前，请先征得这位家人的同意，并勾选“已征得本人同意”（on_behalf.agreement）。"
    ),
    "unknown_parameter": gettext_lazy("未知的查询参数“{name}”。可用：{known}。"),
    "repeated_parameter": gettext_lazy("查询参数“{name}”只能给一次。"),
    "invalid_choice": gettext_lazy("“{name}”的值无效。可选：{known}。"),
    "invalid_text": gettext_lazy("查询参数“{name}”里不能有 NUL 字符。"),
}


def request_locale(request: HttpRequest) -> str:
    """The reading locale a request asks for in `Accept-Language`, else simplified Chinese."""
    return translation.get_language_from_request(request) or DEFAULT_LOCALE


def message(key: str, **values: str) -> str:
    """The message `key` in the active locale (the request's, inside the API's views)."""
    return str(MESSAGES[key]).format(**values)


def refusal(
    code: str, key: str | None = None, *, field: str | None = None, status: int = 400, **values
) -> ApiError:
    """An `ApiError` with a stable `code` and the message `key` (default: the code) localised."""
    return ApiError(code, message(key or code, **values), field=field, status=status)
