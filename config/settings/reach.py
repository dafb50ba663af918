"""How the hub reaches residents beyond email and web push: texts, calls, WeChat, and what binds
them (the outbox, encrypted addresses, fallback). See docs/push.md and docs/configuration.md.
Read by base.py, which also sets the two that build on the site (the outbox folder, the
short-link base).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

# SMS (docs/push.md, "SMS"): `outbox` writes each message as a JSON file under
# LINLI_OUTBOX_DIR/sms/ instead of sending it; `aliyun` and `tencent` send.
LINLI_SMS_PROVIDER = env_str("LINLI_SMS_PROVIDER", "outbox")
if LINLI_SMS_PROVIDER not in ("outbox", "aliyun", "tencent"):
    raise ImproperlyConfigured("LINLI_SMS_PROVIDER must be outbox, aliyun or tencent.")
# The outbox reports each message delivered as it writes it, so the reach view has
# receipts on `make run`; false leaves them waiting for a report, like a carrier's.
LINLI_OUTBOX_RECEIPTS = env_bool("LINLI_OUTBOX_RECEIPTS", True)
# Numbers per provider call for one notification's texts (Aliyun takes 100, Tencent 200);
# 1 sends each in its own call, with its own key (docs/push.md, "Throughput").
LINLI_SMS_BATCH = env_int("LINLI_SMS_BATCH", 100)
LINLI_SMS_SIGN_NAME = env_str("LINLI_SMS_SIGN_NAME", "邻里")
# The provider's code of each approved template (their wording is in docs/push.md).
LINLI_SMS_TEMPLATES = {
    "notice": env_str("LINLI_SMS_TEMPLATE_NOTICE", "notice"),
    "urgent": env_str("LINLI_SMS_TEMPLATE_URGENT", "urgent"),
    "code": env_str("LINLI_SMS_TEMPLATE_CODE", "code"),
    "carer_notice": env_str("LINLI_SMS_TEMPLATE_CARER_NOTICE", "carer_notice"),
    "carer_urgent": env_str("LINLI_SMS_TEMPLATE_CARER_URGENT", "carer_urgent"),
    "relay": env_str("LINLI_SMS_TEMPLATE_RELAY", "relay"),
}
LINLI_SMS_ALIYUN_ACCESS_KEY_ID = env_str("LINLI_SMS_ALIYUN_ACCESS_KEY_ID", "")
LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
LINLI_SMS_ALIYUN_ENDPOINT = env_str("LINLI_SMS_ALIYUN_ENDPOINT", "")
LINLI_SMS_TENCENT_SECRET_ID = env_str("LINLI_SMS_TENCENT_SECRET_ID", "")
LINLI_SMS_TENCENT_SECRET_KEY = env_str("LINLI_SMS_TENCENT_SECRET_KEY", "")
LINLI_SMS_TENCENT_SDK_APP_ID = env_str("LINLI_SMS_TENCENT_SDK_APP_ID", "")
LINLI_SMS_TENCENT_REGION = env_str("LINLI_SMS_TENCENT_REGION", "ap-guangzhou")
LINLI_SMS_TENCENT_ENDPOINT = env_str("LINLI_SMS_TENCENT_ENDPOINT", "")
# The secret path segment of the providers' callback URLs (/sms/<token>/…); empty: none.
LINLI_SMS_CALLBACK_TOKEN = env_str("LINLI_SMS_CALLBACK_TOKEN", "")

# Phone numbers and openids are stored encrypted under this Fernet key and found by a
# keyed hash (subscriptions/address_crypto.py). Empty: a key derived from SECRET_KEY
# (development only; production requires one). Old keys still decrypt during a rotation.
LINLI_ADDRESS_KEY = env_str("LINLI_ADDRESS_KEY", "")
LINLI_ADDRESS_OLD_KEYS = env_list("LINLI_ADDRESS_OLD_KEYS")
# Voice calls (docs/push.md, "Voice calls"): urgent notices read out by text-to-speech to
# residents who asked for calls. `outbox` writes each call as a JSON file under
# LINLI_OUTBOX_DIR/voice/ instead of calling; `aliyun` and `tencent` call. The
# credentials, unset or empty, are the SMS ones (one account usually holds both services).
LINLI_VOICE_PROVIDER = env_str("LINLI_VOICE_PROVIDER", "outbox")
if LINLI_VOICE_PROVIDER not in ("outbox", "aliyun", "tencent"):
    raise ImproperlyConfigured("LINLI_VOICE_PROVIDER must be outbox, aliyun or tencent.")
# The provider's code of each approved text-to-speech template (wording in docs/push.md).
LINLI_VOICE_TEMPLATES = {
    "urgent": env_str("LINLI_VOICE_TEMPLATE_URGENT", "urgent"),
    "correction": env_str("LINLI_VOICE_TEMPLATE_CORRECTION", "correction"),
}
# How often a call plays its text: 2 = once more after the first time (1 to 3).
LINLI_VOICE_PLAY_TIMES = env_int("LINLI_VOICE_PLAY_TIMES", 2)
if not 1 <= LINLI_VOICE_PLAY_TIMES <= 3:
    raise ImproperlyConfigured("LINLI_VOICE_PLAY_TIMES must be 1, 2 or 3.")
LINLI_VOICE_ALIYUN_ACCESS_KEY_ID = (
    env_str("LINLI_VOICE_ALIYUN_ACCESS_KEY_ID", "") or LINLI_SMS_ALIYUN_ACCESS_KEY_ID
)
LINLI_VOICE_ALIYUN_ACCESS_KEY_SECRET = (
    env_str("LINLI_VOICE_ALIYUN_ACCESS_KEY_SECRET", "") or LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET
)
# The number residents see calling (被叫显号, bought in the console); empty: Aliyun's public pool.
LINLI_VOICE_ALIYUN_SHOW_NUMBER = env_str("LINLI_VOICE_ALIYUN_SHOW_NUMBER", "")
LINLI_VOICE_ALIYUN_ENDPOINT = env_str("LINLI_VOICE_ALIYUN_ENDPOINT", "")
LINLI_VOICE_TENCENT_SECRET_ID = (
    env_str("LINLI_VOICE_TENCENT_SECRET_ID", "") or LINLI_SMS_TENCENT_SECRET_ID
)
LINLI_VOICE_TENCENT_SECRET_KEY = (
    env_str("LINLI_VOICE_TENCENT_SECRET_KEY", "") or LINLI_SMS_TENCENT_SECRET_KEY
)
LINLI_VOICE_TENCENT_SDK_APP_ID = env_str("LINLI_VOICE_TENCENT_SDK_APP_ID", "")
LINLI_VOICE_TENCENT_REGION = env_str("LINLI_VOICE_TENCENT_REGION", "ap-guangzhou")
LINLI_VOICE_TENCENT_ENDPOINT = env_str("LINLI_VOICE_TENCENT_ENDPOINT", "")
# WeChat service account (docs/push.md, "WeChat"): `outbox` writes each template
# message as a JSON file under LINLI_OUTBOX_DIR/wechat/; `wechat` sends through the
# account's API. Binding a resident is web authorisation (snsapi_base).
LINLI_WECHAT_PROVIDER = env_str("LINLI_WECHAT_PROVIDER", "outbox")
if LINLI_WECHAT_PROVIDER not in ("outbox", "wechat"):
    raise ImproperlyConfigured("LINLI_WECHAT_PROVIDER must be outbox or wechat.")
LINLI_WECHAT_APP_ID = env_str("LINLI_WECHAT_APP_ID", "")
LINLI_WECHAT_APP_SECRET = env_str("LINLI_WECHAT_APP_SECRET", "")
# The Token of the account's server configuration (服务器配置): signs the events WeChat pushes.
LINLI_WECHAT_TOKEN = env_str("LINLI_WECHAT_TOKEN", "")
# The id of the template picked from the library (its keywords: docs/push.md).
LINLI_WECHAT_TEMPLATE_ID = env_str("LINLI_WECHAT_TEMPLATE_ID", "")
# Who the messages say they are from (the template's 发布单位 keyword, 20 characters at most).
LINLI_WECHAT_SENDER_NAME = env_str("LINLI_WECHAT_SENDER_NAME", LINLI_SMS_SIGN_NAME)
# WeChat's API (access token, template messages) and web authorisation; tests point them
# at a peer. Empty means WeChat's own.
LINLI_WECHAT_API_BASE_URL = (
    env_str("LINLI_WECHAT_API_BASE_URL", "") or "https://api.weixin.qq.com/cgi-bin/"
)
LINLI_WECHAT_OAUTH_API_BASE_URL = (
    env_str("LINLI_WECHAT_OAUTH_API_BASE_URL", "") or "https://api.weixin.qq.com/"
)
LINLI_WECHAT_OAUTH_BASE_URL = (
    env_str("LINLI_WECHAT_OAUTH_BASE_URL", "") or "https://open.weixin.qq.com/connect/"
)
# Fallback (docs/push.md, "Fallback"): an urgent notice goes to a subscriber's
# first channel, and passes to the next when no receipt proves it arrived
# within this many minutes (at once when a receipt says it failed).
LINLI_REACH_FALLBACK_MINUTES = env_int("LINLI_REACH_FALLBACK_MINUTES", 10)
