"""Words of the subscribe, manage, confirm and unsubscribe pages, by key.

Merged into the `t` dict the pages receive; the subscribe page's script reads
them from the page too, so it needs no catalog of its own. `{email}` in a
value is filled in by that script. gettext messages, like `subscriptions.texts`.
Cached per locale like `front.texts`; callers treat the dict as read-only.
"""

from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@lru_cache(maxsize=8)
def page_words(locale: str) -> dict[str, str]:
    """The pages' words by key, in `locale`."""
    with translation.override(locale):
        return {
            "skip_link": _("跳到主要内容"),
            "lang_nav": _("选择语言"),
            "subscribe_title": _("订阅社区信息"),
            "subscribe_intro": _(
                "不用注册账号。选好您关心的内容，有新信息时我们会通过短信、微信、电子邮件或浏览器通知告诉您，紧急通知还可以打电话。随时可以修改或退订。"
            ),
            "noscript": _(
                "订阅需要浏览器开启 JavaScript。您也可以到社区服务站，请工作人员帮您订阅。"
            ),
            "loading": _("正在加载…"),
            "options_failed": _("选项加载失败，请检查网络后刷新页面。"),
            "already_subscribed": _("您在这个浏览器上已经订阅过。"),
            "manage_mine": _("管理我的订阅"),
            "on_behalf_legend": _("为谁订阅？"),
            "on_behalf_label": _("为家人订阅"),
            "on_behalf_hint": _(
                "替父母、配偶、邻居等不方便自己订阅的人订阅：下面选这位家人关心的专题和社区，"
                "消息会写明“您为母亲订阅的……”。"
            ),
            "relationship_legend": _("这位家人是您的？"),
            "agreement_label": _("已征得本人同意"),
            "agreement_hint": _(
                "请先告诉这位家人要替他/她订阅哪些信息，并得到同意。他/她想停的时候，您随时可以退订。"
            ),
            "error_on_behalf": _("请选择这位家人和您的关系，并勾选“已征得本人同意”。"),
            "categories_legend": _("您关心哪些专题的信息？（可多选）"),
            "categories_hint": _(
                "为自己、家人或您照顾的人订阅都可以。我们会发送所选专题的信息，以及面向全体居民的信息。"
            ),
            "sensitive_note": _("需要单独同意；工作人员只能看到订阅人数，看不到是谁订阅。"),
            "consent_legend": _("单独同意"),
            "consent_label": _("我已阅读并同意上面这段话"),
            "error_sensitive_consent": _("订阅这些专题，请先勾选“单独同意”。"),
            "types_legend": _("想收到哪些内容？（至少选一项）"),
            "type_notice_hint": _("政策通知、停水停电等公告"),
            "type_service_hint": _("可以办理的服务和补贴"),
            "type_event_hint": _("社区文化、健康、培训活动"),
            "communities_legend": _("哪些社区的信息？"),
            "communities_hint": _("都不选，就是接收所有社区的信息。"),
            "frequency_legend": _("多久通知一次？"),
            "frequency_hint": _("紧急通知总是马上发送。"),
            "frequency_immediate": _("有新信息马上通知"),
            "frequency_daily": _("每天一次摘要"),
            "frequency_weekly": _("每周一次摘要"),
            "quiet_legend": _("免打扰时段"),
            "quiet_hint": _("这段时间里的普通消息，会等免打扰结束后再发。紧急通知不受影响。"),
            "quiet_on": _("夜间免打扰"),
            "quiet_start": _("开始时间"),
            "quiet_end": _("结束时间"),
            "quiet_off": _("不设免打扰"),
            "channels_legend": _("怎样通知您？（至少选一种）"),
            "phone_label": _("手机号码（短信）"),
            "phone_hint": _(
                "我们会先发一条短信验证码，填好验证码后才开始发短信。想退订时，回复 TD 即可。"
            ),
            "voice_label": _("紧急通知打电话给我"),
            "voice_hint": _(
                "只在发布紧急通知时拨打这个手机号，用语音读两遍标题和一句摘要。用同一个短信验证码确认，不另收验证码。"
            ),
            "phone_confirmed": _("这个手机号已确认。"),
            "phone_unconfirmed": _("这个手机号还没有确认，请填写短信验证码。"),
            "code_label": _("短信验证码"),
            "code_hint": _("6 位数字，10 分钟内有效。"),
            "code_submit": _("确认手机号"),
            "code_checking": _("正在确认…"),
            "code_sent": _("验证码已发到 {phone}，请在 10 分钟内填写。"),
            "code_done": _("手机号已确认。有您关心的新信息，我们会发短信告诉您。"),
            "error_phone": _("请填写正确的手机号码（中国大陆手机，11 位）。"),
            "error_code": _("验证码不对或已失效，请重新获取。"),
            "email_label": _("电子邮箱"),
            "email_hint": _("我们会先发一封确认邮件，您点开里面的确认链接后，才会开始收到信息。"),
            "push_label": _("在这个浏览器上接收通知"),
            "push_hint": _("打开后，浏览器会询问是否允许通知，请选择“允许”。"),
            "push_unsupported": _("这个浏览器不能接收网页通知，请填写电子邮箱。"),
            "push_working": _("正在开启浏览器通知…"),
            "push_ready": _("浏览器通知已准备好，提交后生效。"),
            "push_on": _("浏览器通知已开启。"),
            "push_off_pending": _("保存后将停止浏览器通知。"),
            "push_denied": _("您没有允许通知。如需开启，请在浏览器设置里允许本网站发送通知。"),
            "push_failed": _("开启浏览器通知没有成功，请稍后再试，或填写电子邮箱。"),
            "submit": _("订阅"),
            "submitting": _("正在提交…"),
            "success_title": _("订阅成功！"),
            "success_email": _(
                "我们已给 {email} 发了一封确认邮件，请在 7 天内打开邮件里的链接确认。"
            ),
            "success_push": _("新信息会以通知的形式出现在这个浏览器上。"),
            "success_manage": _(
                "以后想修改或退订，请打开下面的链接。这个浏览器已经记住了它，建议您也收藏起来："
            ),
            "error_intro": _("没有成功："),
            "error_network": _("网络连接失败，请检查网络后再试。"),
            "error_server": _("服务器出了问题，请稍后再试。"),
            "error_rate_limited": _("提交次数太多，请一小时后再试。"),
            "error_email": _("请填写正确的电子邮箱，或开启浏览器通知。"),
            "error_web_push": _("浏览器通知没有开启成功，请关掉开关后再打开一次。"),
            "error_content_types": _("请至少选择一种内容。"),
            "error_resident_categories": _("所选人群有误，请刷新页面后重新选择。"),
            "error_communities": _("所选社区有误，请刷新页面后重新选择。"),
            "error_quiet_hours": _("请填写免打扰的开始和结束时间（例如 21:00）。"),
            "error_choice": _("请重新选择。"),
            "manage_title": _("管理我的订阅"),
            "manage_intro": _("这个页面的链接就是您的钥匙，请不要发给别人。"),
            "manage_loading": _("正在读取您的订阅…"),
            "manage_invalid": _("这个管理链接无效，或者订阅已经删除。"),
            "email_confirmed": _("这个邮箱已确认。"),
            "email_unconfirmed": _("这个邮箱还没有确认，请查收确认邮件。"),
            "locale_legend": _("通知使用哪种语言？"),
            "save": _("保存修改"),
            "saving": _("正在保存…"),
            "saved": _("已保存修改。"),
            "saved_email": _("我们已给 {email} 发了确认邮件，确认后才会往这个邮箱发信。"),
            "data_title": _("我的数据"),
            "export": _("导出我的数据"),
            "export_hint": _("下载一个文件，里面是我们保存的关于您的全部信息。"),
            "exporting": _("正在准备下载…"),
            "exported": _("已开始下载您的数据。"),
            "delete": _("删除我的订阅"),
            "delete_hint": _("删除后，我们会清除您的邮箱和所有选择，不再给您发送任何信息。"),
            "delete_question": _("确定要删除吗？删除后不能恢复。"),
            "delete_yes": _("确定删除"),
            "delete_no": _("不删除"),
            "deleting": _("正在删除…"),
            "deleted": _("您的订阅已删除，我们不会再给您发送信息。"),
            "reconfirm_title": _("确认继续接收所选专题"),
            "reconfirm_intro": _(
                "您订阅的部分专题需要每年确认一次。下面是您当时同意的内容；"
                "确认后再接收一年。不想再接收，不用做什么，到期后这些专题会自动停止。"
            ),
            "reconfirm_button": _("我同意，继续接收"),
            "reconfirm_done": _("已确认，这些专题的信息会再发送一年。"),
            "reconfirm_invalid": _(
                "这个链接已失效：可能已经确认过，或专题已到期停止。可以在“管理我的订阅”里重新选择。"
            ),
            "confirm_title": pgettext("page title", "确认订阅"),
            "confirm_done": _("订阅已确认。以后有您关心的社区信息，我们会发邮件告诉您。"),
            "confirm_invalid": _("这个确认链接无效或已过期（7 天内有效）。请重新订阅。"),
            "unsubscribe_title": _("退订邮件"),
            "unsubscribe_question": _("确定不再通过邮件接收社区信息吗？"),
            "unsubscribe_reason": _("退订原因（可不填）"),
            "unsubscribe_done": _("已退订，我们不会再给这个邮箱发信。"),
            "unsubscribe_invalid": _("这个退订链接无效。"),
            "unsubscribe_expired": _(
                "这个退订链接已超过 60 天，不能再用了。请用最近一封邮件里的退订链接；"
                "在订阅时用过的浏览器上，也可以在“管理我的订阅”里退订。"
            ),
            "subscribe_again": _("重新订阅"),
            "wechat_bind": _("在微信里接收"),
            "wechat_hint": _(
                "不用填手机号或邮箱：通知会以本公众号的服务通知发到您的微信。"
                "需要先关注本公众号；只记下公众号给您的编号，不读取昵称和头像。"
            ),
            "wechat_bound": _("已连接您的微信，保存后通知会发到微信里。"),
            "wechat_active": _("通知会发到您的微信。"),
            "wechat_failed": _("没能连接您的微信，可能是等待太久。请回到订阅页面再试一次。"),
            "relay_title": _("转告紧急通知"),
            "relay_intro": _(
                "{name}：请把这条紧急通知告诉您负责的住户，特别是老人、独居和不用手机的住户。"
            ),
            "relay_read": _("查看通知全文"),
            "relay_button": _("已转告"),
            "relay_button_hint": _("转告完再点。点一次就记下了，不用重复点。"),
            "relay_done": _("已记下：您在 {time} 转告了这条通知。谢谢！"),
            "relay_households": _("您负责 {count} 户。"),
            "relay_invalid": _("这个链接无效。请使用短信或邮件里的完整链接。"),
            "relay_expired": _("这个链接已超过 30 天，不能再用了。"),
            "relay_withdrawn": _("这条通知已撤回或过期，不用再转告。"),
        }
