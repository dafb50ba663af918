// The kiosk's screens as HTML strings, from the items held on the device.

import qrcode from "./vendor/qrcode.mjs";
import { COMMON_WORDS, SWITCH_LABELS, LOCALES } from "./i18n.js";
import { clock, date, dateTime, openingToday, today } from "./time.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const codes = (list) => (list || []).map((entry) => entry.code);

export function servicesFor(items, { audience, category }) {
  const services = items.filter((item) => item.type === "service" && item.status?.code !== "withdrawn");
  if (audience) {
    const specific = services.filter((item) => codes(item.audience).includes(audience));
    const everyone = services.filter(
      (item) => !codes(item.audience).includes(audience) && codes(item.audience).includes("all"),
    );
    return { specific: byTitle(specific), everyone: byTitle(everyone) };
  }
  const inCategory = services.filter((item) =>
    (item.service_categories || []).some((c) => c.code === category || c.parent === category),
  );
  return { specific: byTitle(inCategory), everyone: [] };
}

function byTitle(items) {
  return [...items].sort((a, b) => a.title.localeCompare(b.title, "zh-Hans-CN"));
}

export function noticesOrdered(items) {
  return items
    .filter((item) => item.type === "notice")
    .sort((a, b) => (b.valid_from || "").localeCompare(a.valid_from || "") || b.id - a.id);
}

export function eventsOrdered(items) {
  return items
    .filter((item) => item.type === "event")
    .sort((a, b) => (a.starts_at || "").localeCompare(b.starts_at || "") || a.id - b.id);
}

export function urgentNotices(items) {
  return noticesOrdered(items).filter((item) => item.urgency?.code === "urgent");
}

// ---- the frame around every screen -------------------------------------------------------

export function header(state) {
  const { w, locale } = state;
  const switches = LOCALES.map(
    (code) =>
      `<button type="button" class="switch" data-action="locale" data-locale="${code}" lang="${code}"
        aria-pressed="${code === locale}">${SWITCH_LABELS[code]}</button>`,
  ).join("");
  return `
    <a class="brand" href="#/">${esc(w.hall)}</a>
    <p class="now"><span class="date">${esc(today(locale))}</span> <span class="time">${esc(clock(locale))}</span></p>
    <div class="controls">
      <div role="group" aria-label="${esc(w.language)}" class="switches">${switches}</div>
      <button type="button" class="toggle" data-action="large" aria-pressed="${state.large}">${esc(w.large_text)}</button>
      <button type="button" class="toggle" data-action="contrast" aria-pressed="${state.contrast}">${esc(w.contrast)}</button>
    </div>`;
}

export function urgentBanner(state) {
  const urgent = urgentNotices(state.items);
  if (!urgent.length) return "";
  const rows = urgent
    .map((item) => `<li><a href="#/notice/${item.id}">${esc(item.title)}</a></li>`)
    .join("");
  return `<h2 class="urgent-label">${esc(state.w.urgent)}</h2><ul>${rows}</ul>`;
}

export function status(state) {
  const { w, locale } = state;
  if (state.online === false) {
    const at = state.syncedAt ? clock(locale, new Date(state.syncedAt)) : null;
    return `<p class="offline" role="status">${esc(at ? w.offline(at) : w.never_synced)}</p>`;
  }
  if (!state.syncedAt) return `<p role="status">${esc(w.loading)}</p>`;
  return `<p role="status">${esc(w.online)} · ${esc(w.updated(clock(locale, new Date(state.syncedAt))))}</p>`;
}

// ---- screens -----------------------------------------------------------------------------

function tile(href, name, detail, extra = "") {
  return `<li><a class="tile ${extra}" href="${href}"><span class="tile-name">${esc(name)}</span>
    <span class="tile-detail">${esc(detail)}</span></a></li>`;
}

function noticeCard(item, w, locale) {
  const badge = item.urgency && item.urgency.code !== "normal"
    ? `<span class="badge badge-${esc(item.urgency.code)}">${esc(item.urgency.label)}</span> ` : "";
  const until = item.valid_until ? ` – ${date(locale, item.valid_until)}` : "";
  return `<li><a class="card" href="#/notice/${item.id}">${badge}<span class="card-title">${esc(item.title)}</span>
    <span class="card-meta">${esc(date(locale, item.valid_from))}${esc(until)}</span></a></li>`;
}

function eventCard(item, w, locale) {
  const stopped = ["cancelled", "postponed"].includes(item.status?.code);
  const badge = stopped ? `<span class="badge badge-${item.status.code}">${esc(w[item.status.code])}</span> ` : "";
  return `<li><a class="card ${stopped ? "card-stopped" : ""}" href="#/event/${item.id}">${badge}
    <span class="card-title">${esc(item.title)}</span>
    <span class="card-meta">${esc(dateTime(locale, item.starts_at))} · ${esc(item.venue?.name || item.venue_address || "")}</span></a></li>`;
}

function serviceCard(item, w) {
  const fee = item.fee_mode ? item.fee_mode.label : "";
  return `<li><a class="card" href="#/service/${item.id}"><span class="card-title">${esc(item.title)}</span>
    <span class="card-meta">${esc(item.summary)}</span>
    <span class="card-fee">${esc(w.fee)}：${esc(fee)}</span></a></li>`;
}

function list(items, render, w, locale) {
  if (!items.length) return `<p class="empty">${esc(w.nothing_here)}</p>`;
  return `<ul class="cards">${items.map((item) => render(item, w, locale)).join("")}</ul>`;
}

export function home(state) {
  const { w, locale, items, directory } = state;
  const weekEnd = state.now + 7 * 24 * 3600 * 1000;
  const events = eventsOrdered(items).filter((item) => Date.parse(item.starts_at) < weekEnd);
  const pinned = noticesOrdered(items).filter((item) => item.pinned && item.urgency?.code !== "urgent");
  const residentTiles = (directory["resident-categories"] || [])
    .map((row) => [row, servicesFor(items, { audience: row.code }).specific.length])
    .filter(([, count]) => count > 0)
    .map(([row, count]) => tile(`#/services?audience=${row.code}`, row.name, w.services_count(count)))
    .join("");
  const categoryTiles = (directory["service-categories"] || [])
    .map((row) => [row, servicesFor(items, { category: row.code }).specific.length])
    .filter(([, count]) => count > 0)
    .map(([row, count]) => tile(`#/services?category=${row.code}`, row.name, w.services_count(count), "tile-category"))
    .join("");
  return `
    <h1 class="visually-hidden">${esc(w.home)}</h1>
    <a class="search-entry" href="#/search"><svg aria-hidden="true" width="32" height="32" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5"><circle cx="10" cy="10" r="7"/><path d="m15 15 7 7"/></svg> ${esc(w.search_placeholder)}</a>
    <section aria-labelledby="h-residents"><h2 id="h-residents">${esc(w.for_residents)}</h2>
      <ul class="tiles">${residentTiles}</ul></section>
    <section aria-labelledby="h-categories"><h2 id="h-categories">${esc(w.services_by_category)}</h2>
      <ul class="tiles">${categoryTiles}</ul></section>
    <div class="columns">
      <section aria-labelledby="h-pinned"><h2 id="h-pinned">${esc(w.pinned)}</h2>
        ${list(pinned, noticeCard, w, locale)}
        <a class="more" href="#/notices">${esc(w.all_notices)}</a></section>
      <section aria-labelledby="h-events"><h2 id="h-events">${esc(w.events_week)}</h2>
        ${events.length ? list(events, eventCard, w, locale) : `<p class="empty">${esc(w.no_events)}</p>`}
        <a class="more" href="#/events">${esc(w.all_events)}</a></section>
    </div>`;
}

export function services(state, params) {
  const { w, items, directory } = state;
  const audience = params.get("audience");
  const category = params.get("category");
  const rows = audience ? directory["resident-categories"] : directory["service-categories"];
  const named = (rows || []).find((row) => row.code === (audience || category));
  const { specific, everyone } = servicesFor(items, { audience, category });
  const rest = everyone.length
    ? `<h2>${esc(w.for_everyone)}</h2>${list(everyone, serviceCard, w)}` : "";
  return `${back(w)}<h1>${esc(named ? named.name : w.services)}</h1>${list(specific, serviceCard, w)}${rest}`;
}

export function notices(state) {
  const { w, locale, items } = state;
  return `${back(w)}<h1>${esc(w.notices)}</h1>${list(noticesOrdered(items), noticeCard, w, locale)}`;
}

export function events(state) {
  const { w, locale, items } = state;
  return `${back(w)}<h1>${esc(w.events)}</h1>${list(eventsOrdered(items), eventCard, w, locale)}`;
}

function back(w) {
  return `<button type="button" class="back" data-action="back">← ${esc(w.back)}</button>`;
}

function fact(title, body) {
  return body ? `<section class="fact"><h2>${esc(title)}</h2>${body}</section>` : "";
}

function phoneUrl(state, item) {
  const prefix = state.locale === "zh-hans" ? "" : `/${state.locale}`;
  return item.web_url ? `${state.publicUrl}${prefix}${item.web_url}` : "";
}

function qr(state, item) {
  const url = phoneUrl(state, item);
  if (!url) return "";
  const code = qrcode(0, "M");
  code.addData(url);
  code.make();
  const svg = code.createSvgTag({ cellSize: 4, margin: 4, scalable: true, alt: state.w.scan });
  return `<aside class="qr" data-url="${esc(url)}">${svg}<p>${esc(state.w.scan)}</p></aside>`;
}

function readAloud(state) {
  if (!state.canSpeak) return "";
  return `<button type="button" class="read-aloud" data-action="speak" aria-pressed="${state.speaking}">
    <svg aria-hidden="true" width="28" height="28" viewBox="0 0 24 24" fill="currentColor"><path d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z"/></svg> ${esc(state.speaking ? state.w.stop_reading : state.w.read_aloud)}</button>`;
}

function money(amount) {
  return Number(amount).toFixed(2).replace(/\.00$/, "");
}

function fee(item, w) {
  if (!item.fee_mode) return "";
  const costs = (item.costs || [])
    .map((cost) => `<li><strong>${esc(Number(cost.amount) === 0 ? w.free : w.yuan(money(cost.amount)))}</strong>${cost.unit && Number(cost.amount) ? ` / ${esc(cost.unit)}` : ""} ${esc(cost.description)}</li>`)
    .join("");
  return `<p class="fee-mode">${esc(item.fee_mode.label)}</p>${costs ? `<ul class="costs">${costs}</ul>` : ""}`;
}

function place(point, w, now) {
  const today = openingToday(point, now);
  let hours = "";
  if (today.known) {
    const state = today.closed ? w.closed_today : today.open ? w.open_now : w.closed_now;
    hours = `<p class="hours"><span class="open-badge ${today.open ? "is-open" : "is-closed"}">${esc(state)}</span>
      ${today.ranges.length ? `${esc(w.hours_today)}：${esc(today.ranges.join("，"))}` : ""}
      ${today.note ? `<br>${esc(today.note)}` : ""}</p>`;
  }
  return `<li class="place"><strong>${esc(point.name)}</strong><br>${esc(point.address)}
    ${hours}${point.phone ? `<p>${esc(w.phone)}：${esc(point.phone)}</p>` : ""}
    ${point.accessibility_notes ? `<p class="access">♿ ${esc(point.accessibility_notes)}</p>` : ""}</li>`;
}

export function service(state, item) {
  const { w } = state;
  const now = new Date(state.now);
  const documents = (item.documents || [])
    .map((doc) => {
      const how = [doc.original ? w.original : "", doc.copies ? w.copies(doc.copies) : ""].filter(Boolean).join(w.list_separator);
      const note = doc.note ? `<br><small>${esc(doc.note)}</small>` : "";
      return `<li><span class="box" aria-hidden="true"></span><span><strong>${esc(doc.name)}</strong>${how ? `（${esc(how)}）` : ""}${note}</span></li>`;
    })
    .join("");
  const steps = (item.steps || [])
    .map((step) => `<li><strong>${esc(step.title)}</strong> ${esc(step.detail)}</li>`)
    .join("");
  const promised = item.promised_days == null ? ""
    : `<p>${esc(item.promised_days === 0 ? w.on_the_spot : w.working_days(item.promised_days))}</p>`;
  const provider = item.provider
    ? `<p>${esc(item.provider.name)}${item.provider.phone ? `<br>${esc(w.phone)}：${esc(item.provider.phone)}` : ""}</p>` : "";
  const hotline = item.hotline ? `<p>${esc(w.hotline)}：<strong>${esc(item.hotline)}</strong></p>` : "";
  const places = (item.service_points || []).map((point) => place(point, w, now)).join("");
  const modes = (item.delivery_modes || []).map((mode) => `<li>${esc(mode.label)}</li>`).join("");
  return `${back(w)}
    <article class="detail" data-type="service">
      <h1>${esc(item.title)}</h1>
      <p class="summary">${esc(item.summary)}</p>
      ${readAloud(state)}
      <div class="detail-grid">
        <div class="facts">
          ${fact(w.fee, fee(item, w))}
          ${fact(w.eligibility, item.eligibility ? `<p>${esc(item.eligibility)}</p>` : "")}
          ${fact(w.where, places ? `<ul class="places">${places}</ul>` : "")}
          ${fact(w.delivery, modes ? `<ul class="chips">${modes}</ul>` : "")}
          ${fact(w.documents, documents ? `<ul class="checklist">${documents}</ul>` : "")}
          ${fact(w.steps, steps ? `<ol class="steps">${steps}</ol>` : "")}
          ${fact(w.promised, promised)}
          ${fact(w.provider, provider + hotline)}
        </div>
        ${qr(state, item)}
      </div>
      <div class="body">${item.body_html || ""}</div>
    </article>`;
}

export function notice(state, item) {
  const { w, locale } = state;
  const validity = `${date(locale, item.valid_from)} – ${item.valid_until ? date(locale, item.valid_until) : w.valid_until_open}`;
  const badge = item.urgency && item.urgency.code !== "normal"
    ? `<p><span class="badge badge-${esc(item.urgency.code)}">${esc(item.urgency.label)}</span></p>` : "";
  const attachments = (item.attachments || []).map((a) => `<li>${esc(a.title || a.name || "")}</li>`).join("");
  return `${back(w)}
    <article class="detail" data-type="notice">
      ${badge}<h1>${esc(item.title)}</h1>
      <p class="summary">${esc(item.summary)}</p>
      ${readAloud(state)}
      <div class="detail-grid">
        <div class="facts">
          ${fact(w.valid, `<p>${esc(validity)}</p>`)}
          ${fact(w.issuer, item.issuer ? `<p>${esc(item.issuer.name)}${item.issuer.phone ? `<br>${esc(w.phone)}：${esc(item.issuer.phone)}` : ""}</p>` : "")}
          ${fact(w.document_number, item.document_number ? `<p>${esc(item.document_number)}</p>` : "")}
        </div>
        ${qr(state, item)}
      </div>
      <div class="body">${item.body_html || ""}</div>
      ${attachments ? `<ul class="attachments">${attachments}</ul>` : ""}
    </article>`;
}

export function event(state, item) {
  const { w, locale } = state;
  const stopped = ["cancelled", "postponed"].includes(item.status?.code);
  const banner = stopped
    ? `<p class="stopped" role="status"><strong>${esc(w[item.status.code])}</strong>${item.status_reason ? `：${esc(item.status_reason)}` : ""}</p>` : "";
  const reg = item.registration || {};
  const registration = reg.required
    ? `<p>${esc(w.registration_required)}${reg.how ? `：${esc(reg.how)}` : ""}</p>${reg.deadline ? `<p>${esc(w.deadline)}：${esc(dateTime(locale, reg.deadline))}</p>` : ""}`
    : `<p>${esc(w.registration_open)}</p>`;
  const feeText = item.fee != null && Number(item.fee) > 0 ? `${w.yuan(money(item.fee))} ${item.fee_note || ""}` : w.free;
  const venue = item.venue
    ? `${esc(item.venue.name)}<br>${esc(item.venue.address)}` : esc(item.venue_address);
  return `${back(w)}
    <article class="detail ${stopped ? "is-stopped" : ""}" data-type="event">
      ${banner}<h1>${esc(item.title)}</h1>
      <p class="summary">${esc(item.summary)}</p>
      ${readAloud(state)}
      <div class="detail-grid">
        <div class="facts">
          ${fact(w.when, `<p>${esc(dateTime(locale, item.starts_at))} – ${esc(clock(locale, new Date(item.ends_at || item.starts_at)))}</p>`)}
          ${fact(w.venue, `<p>${venue}</p>`)}
          ${fact(w.registration, registration + (item.capacity ? `<p>${esc(w.capacity(item.capacity))}</p>` : ""))}
          ${fact(w.fee, `<p>${esc(feeText)}</p>`)}
          ${fact(w.provider, item.organiser ? `<p>${esc(item.organiser.name)}${item.organiser.phone ? `<br>${esc(w.phone)}：${esc(item.organiser.phone)}` : ""}</p>` : "")}
        </div>
        ${qr(state, item)}
      </div>
      <div class="body">${item.body_html || ""}</div>
    </article>`;
}

const KEY_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

export function search(state) {
  const { w, locale, query } = state;
  const keys = KEY_ROWS.map(
    (row) => `<div class="key-row">${[...row].map((key) => `<button type="button" class="key" data-key="${key}">${key}</button>`).join("")}</div>`,
  ).join("");
  const chips = (COMMON_WORDS[locale] || [])
    .map((word) => `<button type="button" class="key key-word" data-key="${esc(word)}">${esc(word)}</button>`)
    .join("");
  return `${back(w)}
    <h1>${esc(w.search)}</h1>
    <form class="search-form" role="search" data-action="search">
      <label for="q" class="visually-hidden">${esc(w.search_placeholder)}</label>
      <input id="q" name="q" type="search" autocomplete="off" value="${esc(query)}"
        placeholder="${esc(w.search_placeholder)}" aria-describedby="search-hint" aria-controls="suggestions">
      <button type="submit" class="search-go">${esc(w.search)}</button>
    </form>
    <p id="search-hint" class="hint">${esc(w.search_hint)}</p>
    <div id="suggestions" class="suggestions" aria-live="polite"></div>
    <div class="keyboard" role="group" aria-label="${esc(w.search)}">
      <div class="key-row key-words" role="group" aria-label="${esc(w.common_words)}">${chips}</div>
      ${keys}
      <div class="key-row">
        <button type="button" class="key key-wide" data-key=" ">${esc(w.space)}</button>
        <button type="button" class="key key-wide" data-key="Backspace">⌫ ${esc(w.delete)}</button>
        <button type="button" class="key key-wide" data-key="Clear">${esc(w.clear)}</button>
      </div>
    </div>`;
}

export function results(state, rows, { offline = false, heading = true } = {}) {
  const { w } = state;
  if (!rows.length) {
    return state.query ? `<p class="empty">${esc(w.no_results)}</p>` : "";
  }
  const items = rows
    .map((row) => `<li><a class="card" href="#/${row.type}/${row.id}"><span class="card-title">${esc(row.title)}</span>
      ${row.summary ? `<span class="card-meta">${esc(row.summary)}</span>` : ""}</a></li>`)
    .join("");
  return `${heading ? `<h2>${esc(w.search_results)}</h2>` : ""}
    ${offline ? `<p class="hint">${esc(w.offline_search)}</p>` : ""}<ul class="cards">${items}</ul>`;
}

export function setup(w, { error = "", token = "" } = {}) {
  return `
    <h1>${esc(w.setup_title)}</h1>
    <p>${esc(w.setup_intro)}</p>
    <form class="setup" data-action="setup">
      <label for="token">${esc(w.setup_token)}</label>
      <input id="token" name="token" autocomplete="off" spellcheck="false" value="${esc(token)}"
        ${error ? 'aria-invalid="true" aria-describedby="setup-error"' : ""} required>
      ${error ? `<p id="setup-error" class="error" role="alert">${esc(error)}</p>` : ""}
      <button type="submit">${esc(w.setup_save)}</button>
    </form>`;
}

export function message(text) {
  return `<p class="message" role="alert">${esc(text)}</p>`;
}
