// Everything the kiosk says, in the three reading locales. Content comes from the API;
// these are only the kiosk's own words. They are gettext messages (simplified Chinese
// msgids, locale/*/LC_MESSAGES/djangojs.po); `manage.py compile_catalogs` writes them into
// catalog.js, a module the service worker keeps like the others, so they work offline.
import CATALOGS from "./catalog.js";

export const LOCALES = ["zh-hans", "zh-hant", "en"];
export const SWITCH_LABELS = { "zh-hans": "简", "zh-hant": "繁", en: "EN" };
export const HTML_LANG = { "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", en: "en" };
export const SPEECH_LANG = { "zh-hans": ["zh-CN", "zh"], "zh-hant": ["zh-HK", "zh-TW", "zh"], en: ["en"] };

// Fills %(name)s in a translated message, as Django's JavaScript catalog does.
export function interpolate(text, values) {
  return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// gettext, ngettext and pgettext reading one locale's catalog; the msgid when it has no translation.
export function translator(locale) {
  const catalog = CATALOGS[locale] || { plural: () => 0, messages: {} };
  const lookup = (key) => catalog.messages[key];
  const gettext = (msgid) => lookup(msgid) || msgid;
  const pgettext = (context, msgid) => lookup(`${context}\u0004${msgid}`) || msgid;
  const ngettext = (singular, plural, n) => {
    const forms = lookup(singular);
    return (forms && forms[catalog.plural(n)]) || (n === 1 ? singular : plural);
  };
  return { gettext, ngettext, pgettext };
}

export function words(locale) {
  const { gettext, ngettext, pgettext } = translator(locale);
  return {
    hall: gettext("社区服务中心"),
    home: gettext("首页"),
    back: gettext("返回"),
    urgent: gettext("紧急通知"),
    pinned: gettext("重要通知"),
    events_week: gettext("本周活动"),
    no_events: gettext("本周没有活动。"),
    for_residents: gettext("我是……"),
    services_by_category: gettext("服务分类"),
    search_placeholder: gettext("搜索服务、通知、活动"),
    search_hint: gettext("可以输入汉字或拼音，例如 ylfw、yanglao"),
    search: gettext("搜索"),
    search_results: gettext("搜索结果"),
    no_results: gettext("没有找到，请换个词，或到服务窗口问工作人员。"),
    offline_search: gettext("网络断开时，只按标题和简介里的汉字查找。"),
    common_words: gettext("常用词"),
    space: gettext("空格"),
    delete: gettext("删除"),
    clear: gettext("清空"),
    services_count: (n) => interpolate(ngettext("%(n)s 项服务", "%(n)s 项服务", n), { n }),
    all_notices: gettext("全部通知"),
    all_events: gettext("全部活动"),
    notices: gettext("通知公告"),
    events: gettext("社区活动"),
    services: gettext("服务"),
    for_everyone: gettext("面向全体居民的服务"),
    nothing_here: gettext("这里暂时没有内容。"),
    fee: gettext("收费"),
    free: gettext("免费"),
    eligibility: gettext("谁可以办"),
    where: gettext("在哪里办"),
    today: gettext("今天"),
    open_now: gettext("现在开门"),
    closed_now: gettext("现在没开门"),
    closed_today: gettext("今天不开门"),
    hours_today: gettext("今天开放时间"),
    delivery: gettext("办理方式"),
    documents: gettext("要带的材料"),
    original: gettext("原件"),
    copies: (n) => interpolate(ngettext("复印件 %(n)s 份", "复印件 %(n)s 份", n), { n }),
    steps: gettext("办理步骤"),
    promised: gettext("办结时间"),
    on_the_spot: gettext("当场办结"),
    working_days: (n) => interpolate(ngettext("%(n)s 个工作日内办结", "%(n)s 个工作日内办结", n), { n }),
    provider: gettext("服务单位"),
    phone: gettext("电话"),
    hotline: gettext("咨询电话"),
    scan: gettext("用手机扫一扫，在手机上看这一页"),
    valid: gettext("有效期"),
    valid_until_open: gettext("长期有效"),
    issuer: gettext("发布单位"),
    document_number: gettext("文号"),
    when: gettext("时间"),
    venue: gettext("地点"),
    registration: gettext("报名"),
    registration_required: gettext("需要报名"),
    registration_open: gettext("不用报名，直接来"),
    deadline: gettext("报名截止"),
    capacity: (n) => interpolate(ngettext("限 %(n)s 人", "限 %(n)s 人", n), { n }),
    cancelled: gettext("已取消"),
    postponed: gettext("已延期"),
    read_aloud: gettext("朗读"),
    stop_reading: gettext("停止朗读"),
    large_text: gettext("大字"),
    contrast: gettext("高对比"),
    language: gettext("语言"),
    online: gettext("已联网"),
    offline: (time) => interpolate(gettext("网络已断开，显示的是 %(time)s 更新的信息"), { time }),
    never_synced: gettext("还没有取到信息，请检查网络。"),
    updated: (time) => interpolate(gettext("%(time)s 更新"), { time }),
    setup_title: gettext("自助机设置"),
    setup_intro: gettext("请工作人员输入这台自助机的令牌（在管理后台“自助机”里添加自助机时显示）。"),
    setup_token: gettext("自助机令牌"),
    setup_save: gettext("保存并开始"),
    setup_invalid: gettext("令牌无效或已停用，请在管理后台核对。"),
    setup_offline: gettext("连不上服务器，请检查网络后再试。"),
    revoked: gettext("这台自助机已被停用，请联系工作人员。"),
    loading: gettext("正在取信息……"),
    street_wide: gettext("全街道"),
    yuan: (amount) => interpolate(gettext("%(amount)s 元"), { amount }),
    list_separator: pgettext("list separator", "，"),
  };
}

// Quick picks for the on-screen keyboard: hanzi without an input method.
export const COMMON_WORDS = {
  "zh-hans": ["养老", "助餐", "医疗", "低保", "残疾", "就业", "社保", "补贴", "证明", "维修"],
  "zh-hant": ["養老", "助餐", "醫療", "低保", "殘疾", "就業", "社保", "補貼", "證明", "維修"],
  en: ["elderly", "meals", "medical", "allowance", "disability", "jobs", "insurance", "repair"],
};
