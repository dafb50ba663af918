// The hall kiosk: setup, screens, language and reading aids, idle reset, offline status.
// Everything it shows comes from the public API (docs/api.md) and is kept on the device.

import { HTML_LANG, LOCALES, SPEECH_LANG, words } from "./i18n.js";
import { Store } from "./store.js";
import { Sync, Unauthorized } from "./sync.js";
import { clock, current } from "./time.js";
import * as views from "./views.js";

const config = JSON.parse(document.getElementById("kiosk-config").textContent);
const TOKEN_KEY = "linli.kioskToken";
const KIOSK_KEY = "linli.kiosk";
const TICK_MS = 15000;

const el = {
  html: document.documentElement,
  header: document.getElementById("header"),
  banner: document.getElementById("urgent"),
  main: document.getElementById("main"),
  status: document.getElementById("status"),
};

const state = {
  locale: "zh-hans",
  defaultLocale: "zh-hans",
  w: words("zh-hans"),
  all: {},
  items: [],
  directories: {},
  directory: {},
  online: null,
  syncedAt: null,
  large: false,
  contrast: false,
  query: "",
  now: Date.now(),
  canSpeak: false,
  speaking: false,
  publicUrl: config.public_url || location.origin,
};

let store = null;
let sync = null;
let shown = "";
let depth = 0;

// ---- content on the device ---------------------------------------------------------------

async function load() {
  for (const locale of LOCALES) {
    state.all[locale] = await store.items(locale);
    state.directories[locale] = (await store.get(`directory:${locale}`)) || {};
  }
  state.syncedAt = await store.get("synced-at");
  refresh(true);
}

// Recompute what is on screen: notices past their validity and events that are over go,
// by the device's clock, even while the network is down.
function refresh(force = false) {
  state.now = Date.now();
  state.w = words(state.locale);
  state.items = (state.all[state.locale] || []).filter((item) => current(item, state.now));
  state.directory = state.directories[state.locale] || {};
  const visible = state.items.map((item) => `${item.type}${item.id}:${item.last_published_at}`).join();
  const changed = visible !== shown;
  shown = visible;
  renderFrame();
  if (force || changed) renderMain();
}

// ---- rendering ---------------------------------------------------------------------------

function renderFrame() {
  el.html.lang = HTML_LANG[state.locale];
  el.html.classList.toggle("is-large", state.large);
  el.html.classList.toggle("is-contrast", state.contrast);
  document.title = state.w.hall;
  el.header.innerHTML = views.header(state);
  const banner = views.urgentBanner(state);
  el.banner.innerHTML = banner;
  el.banner.hidden = !banner;
  renderStatus();
}

function renderStatus() {
  el.status.innerHTML = views.status(state);
  el.html.classList.toggle("is-offline", state.online === false);
}

function route() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  return { parts: path.split("/").filter(Boolean), params: new URLSearchParams(query) };
}

function findItem(type, id) {
  return state.items.find((item) => item.type === type && String(item.id) === String(id));
}

function renderMain() {
  stopSpeaking();
  const { parts, params } = route();
  const [screen, id] = parts;
  let html;
  if (!screen) html = views.home(state);
  else if (screen === "services") html = views.services(state, params);
  else if (screen === "notices") html = views.notices(state);
  else if (screen === "events") html = views.events(state);
  else if (screen === "search") html = views.search(state);
  else if (["service", "notice", "event"].includes(screen)) {
    const item = findItem(screen, id);
    if (!item) {
      location.replace("#/");
      return;
    }
    html = views[screen](state, item);
  } else html = views.home(state);
  el.main.innerHTML = html;
  el.main.dataset.screen = screen || "home";
  if (screen === "search") searchReady();
  el.html.dataset.ready = "true";
}

// ---- search ------------------------------------------------------------------------------

let searchTimer = null;
let searchSeq = 0;

function searchReady() {
  const input = document.getElementById("q");
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
  if (state.query) suggest();
}

function localMatches(query) {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  return state.items
    .filter((item) => `${item.title} ${item.summary}`.toLowerCase().includes(needle))
    .slice(0, 20);
}

// Through the sync's request: the kiosk's token and the same timeout.
async function apiJson(path) {
  const response = await sync.request(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// As the resident types: the hub's suggestions (hanzi, pinyin, initials), or local matches offline.
async function suggest() {
  const seq = ++searchSeq;
  const box = document.getElementById("suggestions");
  if (!box) return;
  const query = state.query.trim();
  if (!query) {
    box.innerHTML = "";
    return;
  }
  let html;
  try {
    const answer = await apiJson(`search/suggest/?${new URLSearchParams({ q: query, locale: state.locale, limit: "8" })}`);
    const rows = answer.suggestions.filter((row) => findItem(row.type, row.id));
    html = views.results(state, rows, { heading: false });
  } catch {
    html = views.results(state, localMatches(query), { offline: true, heading: false });
  }
  if (seq === searchSeq) box.innerHTML = html;
}

async function searchSubmit() {
  const seq = ++searchSeq;
  const box = document.getElementById("suggestions");
  const query = state.query.trim();
  if (!query) return;
  let html;
  try {
    const params = { q: query, locale: state.locale, limit: "20" };
    if (state.kiosk?.community) params.community = state.kiosk.community;
    const answer = await apiJson(`search/?${new URLSearchParams(params)}`);
    html = views.results(state, answer.results.filter((row) => findItem(row.type, row.id)));
  } catch {
    html = views.results(state, localMatches(query), { offline: true });
  }
  if (seq === searchSeq) box.innerHTML = html;
}

function typeKey(key) {
  const input = document.getElementById("q");
  if (!input) return;
  if (key === "Backspace") input.value = input.value.slice(0, -1);
  else if (key === "Clear") input.value = "";
  else input.value += key;
  state.query = input.value;
  clearTimeout(searchTimer);
  suggest();
}

// ---- reading aloud -----------------------------------------------------------------------

function voiceFor(locale) {
  if (!("speechSynthesis" in window)) return null;
  const voices = speechSynthesis.getVoices();
  for (const lang of SPEECH_LANG[locale]) {
    const voice = voices.find((v) => v.lang.replace("_", "-").toLowerCase().startsWith(lang.toLowerCase()));
    if (voice) return voice;
  }
  return null;
}

function updateVoices() {
  const can = Boolean(voiceFor(state.locale));
  if (can !== state.canSpeak) {
    state.canSpeak = can;
    if (document.querySelector("article.detail")) renderMain();
  }
}

function stopSpeaking() {
  if (state.speaking && "speechSynthesis" in window) speechSynthesis.cancel();
  state.speaking = false;
}

function speak() {
  if (state.speaking) {
    stopSpeaking();
  } else {
    const article = document.querySelector("article.detail");
    const voice = voiceFor(state.locale);
    if (!article || !voice) return;
    const utterance = new SpeechSynthesisUtterance(article.innerText);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    utterance.onend = () => {
      state.speaking = false;
      updateSpeakButton();
    };
    speechSynthesis.speak(utterance);
    state.speaking = true;
  }
  updateSpeakButton();
}

function updateSpeakButton() {
  const button = document.querySelector("[data-action=speak]");
  if (!button) return;
  button.setAttribute("aria-pressed", String(state.speaking));
  button.lastChild.textContent = ` ${state.speaking ? state.w.stop_reading : state.w.read_aloud}`;
}

// ---- idle reset --------------------------------------------------------------------------

let idleTimer = null;

function touched() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(resetToHome, config.idle_seconds * 1000);
}

// Nobody has touched the screen for a while: the next resident starts afresh.
function resetToHome() {
  stopSpeaking();
  state.query = "";
  state.locale = state.defaultLocale;
  state.large = false;
  state.contrast = false;
  depth = 0;
  if (location.hash && location.hash !== "#/") location.replace("#/");
  refresh(true);
  window.scrollTo(0, 0);
}

// ---- events ------------------------------------------------------------------------------

function onClick(event) {
  const key = event.target.closest("[data-key]");
  if (key) {
    typeKey(key.dataset.key);
    return;
  }
  const action = event.target.closest("[data-action]");
  if (!action || action.tagName === "FORM") return;
  const name = action.dataset.action;
  if (name === "locale") {
    state.locale = action.dataset.locale;
    refresh(true);
    updateVoices();
  } else if (name === "large") {
    state.large = !state.large;
    renderFrame();
  } else if (name === "contrast") {
    state.contrast = !state.contrast;
    renderFrame();
  } else if (name === "back") {
    if (depth > 0) history.back();
    else location.hash = "#/";
  } else if (name === "speak") {
    speak();
  }
}

function onInput(event) {
  if (event.target.id === "q") {
    state.query = event.target.value;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(suggest, 150);
  }
}

async function onSubmit(event) {
  const form = event.target.closest("form[data-action]");
  if (!form) return;
  event.preventDefault();
  if (form.dataset.action === "search") searchSubmit();
  if (form.dataset.action === "setup") await setupSubmit(form.token.value.trim());
}

// ---- setup and start ---------------------------------------------------------------------

function showSetup(options = {}) {
  el.header.innerHTML = "";
  el.banner.hidden = true;
  el.status.innerHTML = "";
  el.main.innerHTML = views.setup(words(state.locale), options);
  el.main.dataset.screen = "setup";
  el.html.dataset.ready = "setup";
}

async function setupSubmit(token) {
  const candidate = new Sync({ api: config.api, token, store, version: config.version });
  let answer;
  try {
    answer = await candidate.heartbeat();
  } catch (error) {
    const w = words(state.locale);
    showSetup({ token, error: error instanceof Unauthorized ? w.setup_invalid : w.setup_offline });
    return;
  }
  localStorage.setItem(TOKEN_KEY, token);
  await start(answer.kiosk);
}

function onStatus(update) {
  if (update.unauthorized) {
    localStorage.removeItem(TOKEN_KEY);
    showSetup({ error: state.w.revoked });
    return;
  }
  if (update.kiosk) rememberKiosk(update.kiosk);
  state.online = update.online;
  state.syncedAt = update.syncedAt || state.syncedAt;
  renderStatus();
}

async function rememberKiosk(kiosk) {
  const before = state.kiosk;
  state.kiosk = kiosk;
  localStorage.setItem(KIOSK_KEY, JSON.stringify(kiosk));
  if (before && before.community !== kiosk.community) {
    // Moved to another community in the admin: its content is a different set.
    await store.clear();
    sync.community = kiosk.community;
    shown = "";
    await load();
  }
}

async function start(kiosk) {
  state.kiosk = kiosk;
  localStorage.setItem(KIOSK_KEY, JSON.stringify(kiosk));
  state.defaultLocale = LOCALES.includes(kiosk.locale) ? kiosk.locale : "zh-hans";
  state.locale = state.defaultLocale;
  await load();
  if (!location.hash) location.replace("#/");
  sync = new Sync({
    api: config.api,
    token: localStorage.getItem(TOKEN_KEY),
    store,
    community: kiosk.community || "",
    version: config.version,
    onChange: async () => {
      for (const locale of LOCALES) {
        state.all[locale] = await store.items(locale);
        state.directories[locale] = (await store.get(`directory:${locale}`)) || {};
      }
      refresh(true);
    },
    onStatus,
  });
  sync.start(state.locale);
  touched();
}

async function boot() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.service_worker, { scope: config.scope }).catch(() => {});
  }
  // The setup link staff open carries the token in its fragment (/kiosk/#token=…): browsers
  // never send a fragment, so no server or proxy log holds it. Taken once, it is kept on the
  // device and out of the address bar.
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromUrl) history.replaceState(null, "", location.pathname + location.search);
  document.addEventListener("click", onClick);
  document.addEventListener("input", onInput);
  document.addEventListener("submit", onSubmit);
  for (const type of ["pointerdown", "keydown", "touchstart"]) {
    document.addEventListener(type, touched, { passive: true });
  }
  window.addEventListener("hashchange", () => {
    depth += 1;
    renderMain();
    window.scrollTo(0, 0);
  });
  window.addEventListener("offline", () => onStatus({ online: false }));
  if ("speechSynthesis" in window) speechSynthesis.addEventListener("voiceschanged", updateVoices);
  setInterval(() => {
    el.header.querySelector(".time")?.replaceChildren(clock(state.locale));
    if (sync) refresh();
  }, TICK_MS);

  store = await Store.open();
  if (fromUrl) return setupSubmit(fromUrl);
  const token = localStorage.getItem(TOKEN_KEY);
  const kiosk = JSON.parse(localStorage.getItem(KIOSK_KEY) || "null");
  if (!token) return showSetup();
  if (kiosk) return start(kiosk);
  return setupSubmit(token);
}

boot();
updateVoices();
