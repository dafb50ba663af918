// Dates and opening hours in Beijing time, whatever the device's time zone says.

const ZONE = "Asia/Shanghai";
const TAGS = { "zh-hans": "zh-CN", "zh-hant": "zh-Hant-HK", en: "en-GB" };
const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

const formats = new Map();
function format(locale, options) {
  const key = locale + JSON.stringify(options);
  if (!formats.has(key)) {
    formats.set(key, new Intl.DateTimeFormat(TAGS[locale] || "zh-CN", { timeZone: ZONE, ...options }));
  }
  return formats.get(key);
}

export function clock(locale, at = new Date()) {
  return format(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

export function dateTime(locale, iso) {
  if (!iso) return "";
  return format(locale, {
    month: "long", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(iso));
}

export function date(locale, iso) {
  if (!iso) return "";
  return format(locale, { year: "numeric", month: "long", day: "numeric" }).format(new Date(iso));
}

export function today(locale, at = new Date()) {
  return format(locale, { month: "long", day: "numeric", weekday: "long" }).format(at);
}

// The wall clock in Beijing: weekday (Monday 0), ISO date, and minutes since midnight.
export function beijing(at = new Date()) {
  const parts = {};
  for (const part of format("en", {
    year: "numeric", month: "2-digit", day: "2-digit", weekday: "short",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(at)) {
    parts[part.type] = part.value;
  }
  return {
    weekday: WEEKDAYS[parts.weekday],
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function minutes(hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

// Today's opening for one service point: {closed, ranges: ["11:00–13:00"], open, note}.
export function openingToday(point, at = new Date()) {
  const now = beijing(at);
  const exception = (point.exceptions || []).find((row) => row.date === now.date);
  let rows;
  if (exception) {
    rows = exception.closed ? [] : [{ opens: exception.opens, closes: exception.closes }];
  } else {
    rows = (point.hours || []).filter((row) => row.days.includes(now.weekday));
  }
  rows = rows.filter((row) => row.opens && row.closes);
  rows.sort((a, b) => minutes(a.opens) - minutes(b.opens));
  return {
    known: Boolean((point.hours || []).length || exception),
    closed: rows.length === 0,
    ranges: rows.map((row) => `${row.opens}–${row.closes}`),
    open: rows.some((row) => minutes(row.opens) <= now.minutes && now.minutes < minutes(row.closes)),
    note: exception ? exception.note || "" : "",
  };
}

// Whether an item should be on screen at `at` (the device clock), even without the network.
export function current(item, at = Date.now()) {
  if (item.type === "notice") {
    if (item.valid_from && Date.parse(item.valid_from) > at) return false;
    if (item.valid_until && Date.parse(item.valid_until) <= at) return false;
  }
  if (item.type === "event") {
    const end = item.ends_at || item.starts_at;
    if (end && Date.parse(end) <= at) return false;
  }
  return true;
}
