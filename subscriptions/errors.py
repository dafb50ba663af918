"""What the subscription API says when it refuses, in the reader's locale.

The locale is the request's `Accept-Language` (the subscribe pages send the
page's language) or Django's language cookie; without either it is
simplified Chinese. Messages that Django
and DRF word themselves ("this field is required") come from their catalogs
in the same locale. Codes are the same in every locale: clients key on them.
Kept as data, like `subscriptions.texts`.
"""

from django.http import HttpRequest
from django.utils import translation

from core.errors import ApiError

DEFAULT_LOCALE = "zh-hans"

MESSAGES: dict[str, dict[str, str]] = {
    "zh-hans": {
        "p256dh_invalid": "不是有效的 P-256 公钥（p256dh）。",
        "auth_invalid": "auth 应为 16 字节的 base64url 字符串。",
        "endpoint_not_public": "推送地址必须是公网的 https 地址。",
        "unknown_categories": "未知的人群类别：{codes}",
        "unknown_communities": "未知的社区：{codes}",
        "channel_required": "请填写电子邮箱或开启网页推送，至少选一种接收方式。",
        "rate_limited": "请求太频繁，请一小时后再试。",
        "rate_limited_address": "这个邮箱的请求太频繁，请一小时后再试。",
        "not_authenticated": "请用 Authorization: Bearer <管理令牌> 发送订阅时得到的管理令牌。",
        "invalid_manage_token": "管理令牌无效，或这项订阅已删除。",
        "invalid_confirm_token": "确认链接无效或已过期（7 天）。",
        "invalid_unsubscribe_token": "退订链接无效。",
        "unknown_parameter": "未知的查询参数“{name}”。可用：{known}。",
        "repeated_parameter": "查询参数“{name}”只能给一次。",
        "invalid_choice": "“{name}”的值无效。可选：{known}。",
    },
    "zh-hant": {
        "p256dh_invalid": "不是有效的 P-256 公鑰（p256dh）。",
        "auth_invalid": "auth 應為 16 位元組的 base64url 字串。",
        "endpoint_not_public": "推送地址必須是公網的 https 地址。",
        "unknown_categories": "未知的人群類別：{codes}",
        "unknown_communities": "未知的社區：{codes}",
        "channel_required": "請填寫電子郵箱或開啟網頁推送，至少選一種接收方式。",
        "rate_limited": "請求太頻繁，請一小時後再試。",
        "rate_limited_address": "這個郵箱的請求太頻繁，請一小時後再試。",
        "not_authenticated": "請用 Authorization: Bearer <管理令牌> 傳送訂閱時得到的管理令牌。",
        "invalid_manage_token": "管理令牌無效，或這項訂閱已刪除。",
        "invalid_confirm_token": "確認連結無效或已過期（7 天）。",
        "invalid_unsubscribe_token": "退訂連結無效。",
        "unknown_parameter": "未知的查詢參數「{name}」。可用：{known}。",
        "repeated_parameter": "查詢參數「{name}」只能給一次。",
        "invalid_choice": "「{name}」的值無效。可選：{known}。",
    },
    "en": {
        "p256dh_invalid": "This is not a valid P-256 public key (p256dh).",
        "auth_invalid": "auth must be 16 bytes in base64url.",
        "endpoint_not_public": "The push endpoint must be a public https address.",
        "unknown_categories": "Unknown resident categories: {codes}",
        "unknown_communities": "Unknown communities: {codes}",
        "channel_required": "Give an email address or turn on web push: at least one way to reach you.",
        "rate_limited": "Too many requests; please try again in an hour.",
        "rate_limited_address": "Too many requests for this email address; please try again in an hour.",
        "not_authenticated": "Send the manage token you got when subscribing as 'Authorization: Bearer <token>'.",
        "invalid_manage_token": "This manage token is unknown, or its subscription was deleted.",
        "invalid_confirm_token": "This confirmation link is invalid or expired (it lasts 7 days).",
        "invalid_unsubscribe_token": "This unsubscribe link is invalid.",
        "unknown_parameter": "Unknown query parameter '{name}'. Known: {known}.",
        "repeated_parameter": "Give '{name}' only once.",
        "invalid_choice": "'{name}' has no such value. Known: {known}.",
    },
}


def request_locale(request: HttpRequest) -> str:
    """The reading locale a request asks for in `Accept-Language`, else simplified Chinese."""
    return translation.get_language_from_request(request) or DEFAULT_LOCALE


def message(key: str, **values: str) -> str:
    """The message `key` in the active locale (the request's, inside the API's views)."""
    words = MESSAGES.get(translation.get_language() or "", MESSAGES[DEFAULT_LOCALE])
    return words[key].format(**values)


def refusal(
    code: str, key: str | None = None, *, field: str | None = None, status: int = 400, **values
) -> ApiError:
    """An `ApiError` with a stable `code` and the message `key` (default: the code) localised."""
    return ApiError(code, message(key or code, **values), field=field, status=status)
