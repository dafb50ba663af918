// Subscribe and manage pages for community news: builds the choices from the
// options endpoint, sets up browser notifications and talks to the
// subscription API. Plain ES module, no dependencies.

const TOKEN_KEY = "linli.manageToken";
const FIELDS = [
  "wechat",
  "phone",
  "voice_phone",
  "email",
  "web_push",
  "resident_categories",
  "content_types",
  "communities",
  "locale",
  "frequency",
  "quiet_hours",
  "sensitive_consent",
  "on_behalf",
  "on_behalf.relationship",
  "on_behalf.agreement",
];

const form = document.getElementById("subscription-form");
const statusBox = document.getElementById("status");
const T = JSON.parse(document.getElementById("page-texts")?.textContent || "{}");

// ---- small helpers -------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function fill(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (match, key) =>
    key in values ? values[key] : match,
  );
}

function base64UrlBytes(value) {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

const tokenStore = {
  get() {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  // Whether the browser kept it (not in private mode or with storage turned off).
  set(token) {
    try {
      localStorage.setItem(TOKEN_KEY, token);
      return localStorage.getItem(TOKEN_KEY) === token;
    } catch {
      return false; // The link on screen still works.
    }
  },
  forget(token) {
    try {
      if (localStorage.getItem(TOKEN_KEY) === token) localStorage.removeItem(TOKEN_KEY);
    } catch {
      // Nothing stored, nothing to forget.
    }
  },
};

// The manage link carries the token in its fragment (/subscriptions/manage/#token=…): browsers
// never send a fragment, so no server or proxy log holds it.
function tokenFromFragment() {
  return new URLSearchParams(location.hash.slice(1)).get("token") || "";
}

// ---- the API ---------------------------------------------------------------

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

function apiClient(lang, csrfToken) {
  return async function call(method, url, { body, token, raw = false } = {}) {
    const headers = { Accept: "application/json", "Accept-Language": lang };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    // Django's CSRF check may apply to the API's writes: send the page's token with them.
    if (csrfToken && !SAFE_METHODS.includes(method)) headers["X-CSRFToken"] = csrfToken;
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
        // The page's own policy is no-referrer, under which a browser may send `Origin: null`
        // and fail Django's CSRF check; the origin alone says nothing of the token in the path.
        referrerPolicy: "strict-origin",
      });
    } catch {
      return { ok: false, status: 0, error: { code: "network" } };
    }
    if (response.ok && raw) return { ok: true, status: response.status, response };
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.ok) return { ok: true, status: response.status, data };
    const error = (data && data.error) || {};
    if (!error.code) error.code = response.status >= 500 ? "server" : "error";
    if (response.status === 429) error.code = "rate_limited";
    return { ok: false, status: response.status, error };
  };
}

// ---- the page ----------------------------------------------------------------

class SubscriptionPage {
  constructor(formNode) {
    this.form = formNode;
    const data = formNode.dataset;
    this.mode = data.mode;
    this.lang = data.lang || document.documentElement.lang || "zh-hans";
    this.apiUrl = data.apiUrl;
    this.optionsUrl = data.optionsUrl;
    this.selfUrl = data.selfUrl;
    this.managePath = data.manageUrl;
    this.subscribeUrl = data.subscribeUrl;
    this.swUrl = data.swUrl || "/sw.js";
    this.vapidKey = data.vapidKey || "";
    this.token = "";
    this.exportUrl = data.exportUrl || "";
    const csrf = formNode.querySelector('input[name="csrfmiddlewaretoken"]');
    this.call = apiClient(this.lang, csrf ? csrf.value : "");
    this.busy = false;

    this.submitButton = document.getElementById("submit-button");
    this.emailInput = document.getElementById("email");
    this.phoneInput = document.getElementById("phone");
    this.phoneState = document.getElementById("phone-state");
    // 紧急通知打电话给我: calls for urgent notices, to the number above.
    this.voiceBox = document.getElementById("voice_calls");
    this.codeForm = document.getElementById("phone-code-form");
    this.codeInput = document.getElementById("phone-code");
    this.codeStatus = document.getElementById("code-status");
    // The number a code was texted to, waiting for the resident to type it in.
    this.pendingPhone = "";
    // WeChat (inside WeChat only): the binding token its authorisation sent back (#wechat=…).
    this.wechatState = document.getElementById("wechat-state");
    this.wechatButton = document.getElementById("wechat-bind");
    this.wechatToken = "";
    this.pushSwitch = document.getElementById("web_push");
    this.pushState = document.getElementById("push-state");
    this.quietStart = document.getElementById("quiet_start");
    this.quietEnd = document.getElementById("quiet_end");
    this.quietTimes = document.getElementById("quiet-times");
    // 为家人订阅: a switch that shows the relationship and the agreement box.
    this.onBehalfSwitch = document.getElementById("on_behalf");
    this.onBehalfFields = document.getElementById("on-behalf-fields");
    this.agreementBox = document.getElementById("on_behalf_agreement");

    // Browser notifications: the subscription this page obtained (to send),
    // whether the server already pushes to this subscription, and a pending setup.
    this.push = { json: null, serverActive: false, pending: null };
    // What the server holds, so the manage page sends only what changed.
    this.current = null;
  }

  manageUrl(token) {
    return `${this.managePath}#token=${encodeURIComponent(token)}`;
  }

  // -- status and errors --

  setStatus(kind, nodes, box = statusBox) {
    box.className = kind ? `status status-${kind}` : "status";
    box.replaceChildren(...nodes);
    this.consentChanged();
  }

  // The separate consent box shows while a sensitive topic is ticked (also for
  // browsers whose stylesheet cannot say so with :has()).
  sensitiveChecked() {
    return this.form.querySelector('input[name="resident_categories"][data-sensitive]:checked');
  }

  consentChanged() {
    this.form.classList.toggle("wants-consent", Boolean(this.sensitiveChecked()));
  }

  clearErrors() {
    for (const field of FIELDS) {
      const message = document.getElementById(`error-${field}`);
      if (!message) continue;
      message.textContent = "";
      message.hidden = true;
      const container = document.getElementById(`field-${field}`);
      container?.classList.remove("has-error");
      for (const node of this.describedNodes(field)) {
        node.removeAttribute("aria-invalid");
        const ids = (node.getAttribute("aria-describedby") || "")
          .split(/\s+/)
          .filter((id) => id && id !== message.id);
        if (ids.length) node.setAttribute("aria-describedby", ids.join(" "));
        else node.removeAttribute("aria-describedby");
      }
    }
  }

  // The element(s) an error of this field is announced on: the input, or the group.
  describedNodes(field) {
    const container = document.getElementById(`field-${field}`);
    if (!container) return [];
    if (container.tagName === "FIELDSET") return [container];
    return [...container.querySelectorAll("input")];
  }

  errorText(error) {
    if (error.code === "network") return T.error_network;
    if (error.code === "rate_limited") return T.error_rate_limited;
    if (error.code === "server") return T.error_server;
    const message = typeof error.message === "string" ? error.message.trim() : "";
    // The API explains in simplified Chinese; nested errors arrive as a dump of a dict.
    const readable = message && !/^[[{]/.test(message);
    if (this.lang === "zh-hans" && readable) return message;
    const own = error.field && T[`error_${error.field}`];
    if (own) return own;
    if (error.field === "frequency" || error.field === "locale") return T.error_choice;
    if (String(error.field || "").startsWith("on_behalf")) return T.error_on_behalf;
    return readable ? message : T.error_server;
  }

  showError(error) {
    this.clearErrors();
    const text = this.errorText(error);
    const field = FIELDS.includes(error.field) ? error.field : null;
    const message = field && document.getElementById(`error-${field}`);
    if (message) {
      message.textContent = text;
      message.hidden = false;
      document.getElementById(`field-${field}`)?.classList.add("has-error");
      for (const node of this.describedNodes(field)) {
        if (node.tagName === "INPUT") node.setAttribute("aria-invalid", "true");
        const ids = (node.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        node.setAttribute("aria-describedby", [message.id, ...ids].join(" "));
      }
    }
    this.setStatus("error", [el("p", {}, `${T.error_intro}${text}`)]);
    if (message) {
      const target = [...document.getElementById(`field-${field}`).querySelectorAll("input")].find(
        (input) => !input.disabled,
      );
      target?.focus();
    }
  }

  // -- options --

  async loadOptions() {
    const url = `${this.optionsUrl}?locale=${encodeURIComponent(this.lang)}`;
    const result = await this.call("GET", url);
    return result.ok ? result.data : null;
  }

  renderChoices(name, items, { sensitiveNote = "" } = {}) {
    const box = document.getElementById(`choices-${name}`);
    const ticked = new Set(this.checked(name)); // the page's own list may be ticked already
    const nodes = items.map((item) => {
      const id = `${name}-${item.code}`;
      const nameNode = el("span", { class: "choice-name", id: `${id}-name` }, item.name);
      const text = el("span", { class: "choice-text" }, nameNode);
      const input = el("input", {
        type: "checkbox",
        name,
        value: item.code,
        id,
        "aria-labelledby": nameNode.id,
      });
      input.checked = ticked.has(item.code);
      if (item.sensitive) {
        // Marks the topics that need the separate consent (the stylesheet shows its box).
        input.setAttribute("data-sensitive", "");
        if (sensitiveNote) {
          const note = el("span", { class: "choice-note private", id: `${id}-note` }, sensitiveNote);
          text.append(note);
          input.setAttribute("aria-describedby", note.id);
        }
      }
      return el("label", { class: "choice" }, input, text);
    });
    box.replaceChildren(...nodes);
  }

  renderOptions(options) {
    this.renderChoices("resident_categories", options.resident_categories || [], {
      sensitiveNote: T.sensitive_note,
    });
    const communities = options.communities || [];
    this.renderChoices("communities", communities);
    document.getElementById("field-communities").hidden = communities.length === 0;
    if (this.mode === "subscribe" && options.quiet_hours) {
      this.quietStart.value = options.quiet_hours.start || this.quietStart.value;
      this.quietEnd.value = options.quiet_hours.end || this.quietEnd.value;
    }
    if (!this.vapidKey && options.vapid_public_key) this.vapidKey = options.vapid_public_key;
  }

  // -- reading and filling the form --

  checked(name) {
    return [...this.form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  radio(name) {
    return this.form.querySelector(`input[name="${name}"]:checked`)?.value;
  }

  setChecked(name, values) {
    const wanted = new Set(values || []);
    for (const input of this.form.querySelectorAll(`input[name="${name}"]`)) {
      input.checked = wanted.has(input.value);
    }
  }

  quietChanged() {
    const off = this.radio("quiet") === "off";
    this.quietStart.disabled = off;
    this.quietEnd.disabled = off;
    this.quietTimes.setAttribute("aria-disabled", off ? "true" : "false");
  }

  // Back from WeChat's authorisation: the token is kept for the next save and taken out of
  // the address bar (the rest of the fragment, a manage token, stays for takeToken).
  takeWechat() {
    const params = new URLSearchParams(location.hash.slice(1));
    const token = params.get("wechat");
    if (!token) return;
    params.delete("wechat");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
    if (!this.wechatState) return;
    this.wechatToken = token;
    this.wechatState.textContent = T.wechat_bound;
    if (this.wechatButton) this.wechatButton.hidden = true;
  }

  onBehalfChanged() {
    if (!this.onBehalfSwitch) return;
    const on = this.onBehalfSwitch.checked;
    this.onBehalfFields.hidden = !on;
    this.onBehalfSwitch.setAttribute("aria-expanded", on ? "true" : "false");
  }

  // What the API reads for 为家人订阅; undefined: nothing to send (unchanged on the manage page).
  readOnBehalf() {
    if (!this.onBehalfSwitch) return undefined;
    const held = this.current && this.current.on_behalf;
    if (!this.onBehalfSwitch.checked) return this.mode === "manage" && !held ? undefined : null;
    const relationship = this.radio("relationship") || null;
    if (this.mode === "manage" && held && held.relationship === relationship) return undefined;
    return { relationship, agreement: this.agreementBox.checked };
  }

  readForm() {
    const data = {
      resident_categories: this.checked("resident_categories"),
      content_types: this.checked("content_types"),
      communities: this.checked("communities"),
      frequency: this.radio("frequency") || "immediate",
      quiet_hours:
        this.radio("quiet") === "off"
          ? null
          : { start: this.quietStart.value, end: this.quietEnd.value },
      locale: this.radio("locale") || this.lang,
    };
    const consent = document.getElementById("sensitive_consent");
    if (consent && this.sensitiveChecked()) data.sensitive_consent = consent.checked;
    const onBehalf = this.readOnBehalf();
    if (onBehalf !== undefined && (this.mode === "manage" || onBehalf !== null)) {
      data.on_behalf = onBehalf;
    }
    const email = this.emailInput.value.trim();
    const phone = this.phoneInput ? this.phoneInput.value.trim() : "";
    const voice = this.voiceBox && this.voiceBox.checked ? phone : "";
    if (this.wechatToken) data.wechat = this.wechatToken;
    if (this.mode === "subscribe") {
      if (phone) data.phone = phone;
      if (voice) data.voice_phone = voice;
      if (email) data.email = email;
      if (this.pushSwitch.checked && this.push.json) data.web_push = this.push.json;
    } else {
      // Only what changed: the API counts every address it is sent against a budget.
      if (email !== (this.current.email || "")) data.email = email;
      if (this.phoneInput && phone !== (this.current.phone || "")) data.phone = phone;
      if (this.voiceBox && voice !== (this.current.voice_phone || "")) data.voice_phone = voice;
      if (this.pushSwitch.checked && this.push.json) data.web_push = this.push.json;
      else if (!this.pushSwitch.checked && this.push.serverActive) data.web_push = null;
    }
    return data;
  }

  applySubscription(subscription) {
    this.current = subscription;
    this.setChecked("resident_categories", subscription.resident_categories);
    const consent = document.getElementById("sensitive_consent");
    // Never ticked in advance: ticking it again renews the consent for a year.
    if (consent) consent.checked = false;
    this.consentChanged();
    this.setChecked("content_types", subscription.content_types);
    this.setChecked("communities", subscription.communities);
    this.setChecked("frequency", [subscription.frequency]);
    this.setChecked("locale", [subscription.locale]);
    if (subscription.quiet_hours) {
      this.setChecked("quiet", ["on"]);
      this.quietStart.value = subscription.quiet_hours.start;
      this.quietEnd.value = subscription.quiet_hours.end;
    } else {
      this.setChecked("quiet", ["off"]);
    }
    this.quietChanged();
    if (this.onBehalfSwitch) {
      const held = subscription.on_behalf;
      this.onBehalfSwitch.checked = Boolean(held);
      this.setChecked("relationship", held ? [held.relationship] : []);
      this.agreementBox.checked = Boolean(held);
      this.onBehalfChanged();
    }
    this.emailInput.value = subscription.email || "";
    const emailState = document.getElementById("email-state");
    if (emailState) {
      emailState.textContent = subscription.email
        ? subscription.email_confirmed
          ? T.email_confirmed
          : T.email_unconfirmed
        : "";
    }
    if (this.phoneInput) {
      this.phoneInput.value = subscription.phone || "";
      this.phoneState.textContent = subscription.phone
        ? subscription.phone_confirmed
          ? T.phone_confirmed
          : T.phone_unconfirmed
        : "";
      if (subscription.phone && !subscription.phone_confirmed) this.askCode(subscription.phone);
      else this.codeForm.hidden = true;
    }
    if (this.voiceBox) this.voiceBox.checked = Boolean(subscription.voice_phone);
    if (this.wechatState && !this.wechatToken) {
      this.wechatState.textContent = subscription.wechat_bound ? T.wechat_active : "";
    }
    this.push.serverActive = Boolean(subscription.web_push && subscription.web_push.active);
    this.push.json = null;
    this.pushSwitch.checked = this.push.serverActive;
    this.pushState.textContent = this.push.serverActive ? T.push_on : "";
  }

  // -- browser notifications --

  pushSupported() {
    return (
      Boolean(this.vapidKey) &&
      window.isSecureContext &&
      "serviceWorker" in navigator &&
      "PushManager" in window &&
      "Notification" in window
    );
  }

  setupPushSwitch() {
    this.pushSwitch.addEventListener("change", () => this.pushToggled());
    if (this.pushSupported()) {
      this.pushSwitch.disabled = false;
    } else if (this.push.serverActive) {
      // Push set up on another device can still be switched off from here.
      this.pushSwitch.disabled = false;
    } else {
      this.pushSwitch.disabled = true;
      this.pushSwitch.checked = false;
      this.pushState.textContent = T.push_unsupported;
    }
  }

  async pushToggled() {
    this.clearFieldError("web_push");
    if (!this.pushSwitch.checked) {
      this.push.json = null;
      this.pushState.textContent =
        this.mode === "manage" && this.push.serverActive ? T.push_off_pending : "";
      return;
    }
    if (!this.pushSupported()) {
      this.pushSwitch.checked = false;
      this.pushState.textContent = T.push_unsupported;
      return;
    }
    this.pushSwitch.disabled = true;
    this.pushState.textContent = T.push_working;
    this.push.pending = this.pushSubscribe();
    try {
      this.push.json = await this.push.pending;
      this.pushState.textContent = T.push_ready;
    } catch (error) {
      this.push.json = null;
      this.pushSwitch.checked = false;
      this.pushState.textContent = error && error.reason === "denied" ? T.push_denied : T.push_failed;
    } finally {
      this.push.pending = null;
      this.pushSwitch.disabled = false;
      // Disabling the switch dropped its focus; give it back unless the resident moved on.
      const active = document.activeElement;
      if (!active || active === document.body) this.pushSwitch.focus();
    }
  }

  async pushSubscribe() {
    // Ask first, while the tap that turned the switch on still counts as the user's gesture.
    let permission = Notification.permission;
    if (permission === "default") permission = await Notification.requestPermission();
    if (permission !== "granted") throw Object.assign(new Error("not allowed"), { reason: "denied" });
    await navigator.serviceWorker.register(this.swUrl, { scope: "/" });
    const registration = await navigator.serviceWorker.ready;
    const options = { userVisibleOnly: true, applicationServerKey: base64UrlBytes(this.vapidKey) };
    let subscription;
    try {
      subscription = await registration.pushManager.subscribe(options);
    } catch (error) {
      // A subscription made with another server key blocks a new one: replace it.
      if (!error || error.name !== "InvalidStateError") throw error;
      const old = await registration.pushManager.getSubscription();
      if (old) await old.unsubscribe();
      subscription = await registration.pushManager.subscribe(options);
    }
    const json = subscription.toJSON();
    if (!json || !json.endpoint || !json.keys) throw new Error("incomplete push subscription");
    return {
      endpoint: json.endpoint,
      expirationTime: json.expirationTime ?? null,
      keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
    };
  }

  clearFieldError(field) {
    const message = document.getElementById(`error-${field}`);
    if (message && !message.hidden) this.clearErrors();
  }

  // -- submitting --

  setBusy(busy) {
    this.busy = busy;
    this.form.setAttribute("aria-busy", busy ? "true" : "false");
    this.submitButton.setAttribute("aria-disabled", busy ? "true" : "false");
  }

  async submit(event) {
    event.preventDefault();
    if (this.busy) return;
    this.setBusy(true);
    this.clearErrors();
    this.setStatus("info", [el("p", {}, this.mode === "manage" ? T.saving : T.submitting)]);
    try {
      if (this.push.pending) await this.push.pending.catch(() => null);
      const payload = this.readForm();
      if (this.mode === "manage") await this.save(payload);
      else await this.create(payload);
    } finally {
      this.setBusy(false);
    }
  }

  async create(payload) {
    const result = await this.call("POST", this.apiUrl, { body: payload });
    if (!result.ok) {
      this.showError(result.error);
      return;
    }
    const token = result.data.manage_token;
    tokenStore.set(token);
    const url = this.manageUrl(token);
    this.form.hidden = true;
    const stored = document.getElementById("stored-subscription");
    if (stored) stored.hidden = true;
    const heading = el("h2", { tabindex: "-1" }, T.success_title);
    const parts = [heading];
    const phone = result.data.subscription && result.data.subscription.phone;
    if (phone) parts.push(el("p", {}, fill(T.code_sent, { phone: payload.phone })));
    if (result.data.confirmation_sent && payload.email) {
      parts.push(el("p", {}, fill(T.success_email, { email: payload.email })));
    }
    if (payload.web_push) parts.push(el("p", {}, T.success_push));
    if (payload.wechat) parts.push(el("p", {}, T.wechat_active));
    parts.push(el("p", {}, T.success_manage));
    parts.push(
      el("p", {}, el("a", { class: "button secondary", id: "manage-link", href: url }, T.manage_mine)),
    );
    this.setStatus("success", parts);
    if (phone) {
      // The next thing to do is typing the code: go there (the status is announced anyway).
      this.askCode(phone);
      this.codeInput.focus();
    } else {
      heading.focus();
    }
  }

  // -- the code texted to a phone --

  askCode(phone) {
    this.pendingPhone = phone;
    this.codeInput.value = "";
    this.setStatus("", [], this.codeStatus);
    this.codeForm.hidden = false;
  }

  codeError(text) {
    const message = document.getElementById("error-code");
    message.textContent = text;
    message.hidden = false;
    document.getElementById("field-code").classList.add("has-error");
    this.codeInput.setAttribute("aria-invalid", "true");
    this.codeInput.setAttribute("aria-describedby", "error-code hint-code");
    this.setStatus("error", [el("p", {}, `${T.error_intro}${text}`)], this.codeStatus);
    this.codeInput.focus();
  }

  async confirmCode(event) {
    event.preventDefault();
    if (this.busy) return;
    const message = document.getElementById("error-code");
    message.hidden = true;
    document.getElementById("field-code").classList.remove("has-error");
    this.codeInput.removeAttribute("aria-invalid");
    this.codeInput.setAttribute("aria-describedby", "hint-code");
    const code = this.codeInput.value.replace(/\s+/g, "");
    if (!/^[0-9]{6}$/.test(code)) return this.codeError(T.error_code);
    this.setBusy(true);
    this.setStatus("info", [el("p", {}, T.code_checking)], this.codeStatus);
    try {
      const result = await this.call("POST", this.codeForm.dataset.confirmUrl, {
        body: { phone: this.pendingPhone, code },
      });
      if (!result.ok) {
        const own = result.error.code === "invalid_code" ? T.error_code : null;
        return this.codeError(own && this.lang !== "zh-hans" ? own : this.errorText(result.error));
      }
      this.codeForm.hidden = true;
      if (this.phoneState) this.phoneState.textContent = T.phone_confirmed;
      if (this.current) this.current.phone_confirmed = true;
      const done = el("p", { tabindex: "-1" }, T.code_done);
      this.setStatus("success", [done], this.codeStatus);
      done.focus();
    } finally {
      this.setBusy(false);
    }
  }

  async save(payload) {
    const result = await this.call("PATCH", this.apiUrl, { body: payload, token: this.token });
    if (!result.ok) {
      if (result.status === 401) return this.invalidLink();
      this.showError(result.error);
      return;
    }
    this.wechatToken = "";
    this.applySubscription(result.data.subscription);
    const parts = [el("p", {}, T.saved)];
    if (payload.email) parts.push(el("p", {}, fill(T.saved_email, { email: payload.email })));
    const saved = result.data.subscription;
    if (payload.phone && saved.phone && !saved.phone_confirmed) {
      parts.push(el("p", {}, fill(T.code_sent, { phone: payload.phone })));
    }
    this.setStatus("success", parts);
  }

  // -- the manage page's own actions --

  invalidLink() {
    tokenStore.forget(this.token);
    this.form.hidden = true;
    const section = document.getElementById("data-section");
    if (section) section.hidden = true;
    this.setStatus("error", [
      el("p", {}, T.manage_invalid),
      el("p", {}, el("a", { class: "button secondary", href: this.subscribeUrl }, T.subscribe_again)),
    ]);
  }

  async exportData() {
    const box = document.getElementById("data-status");
    this.setStatus("info", [el("p", {}, T.exporting)], box);
    const result = await this.call("GET", this.exportUrl, { token: this.token, raw: true });
    if (!result.ok) {
      if (result.status === 401) return this.invalidLink();
      this.setStatus("error", [el("p", {}, `${T.error_intro}${this.errorText(result.error)}`)], box);
      return;
    }
    const blob = await result.response.blob();
    const disposition = result.response.headers.get("Content-Disposition") || "";
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] || "linli-subscription.json";
    const href = URL.createObjectURL(blob);
    const link = el("a", { href, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    this.setStatus("success", [el("p", {}, T.exported)], box);
  }

  askDelete(open) {
    const confirmBox = document.getElementById("delete-confirm");
    const button = document.getElementById("delete-button");
    confirmBox.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) document.getElementById("delete-question").focus();
    else button.focus();
  }

  async deleteSubscription() {
    const box = document.getElementById("data-status");
    this.setStatus("info", [el("p", {}, T.deleting)], box);
    const result = await this.call("DELETE", this.apiUrl, { token: this.token });
    if (!result.ok) {
      if (result.status === 401) return this.invalidLink();
      this.setStatus("error", [el("p", {}, `${T.error_intro}${this.errorText(result.error)}`)], box);
      return;
    }
    tokenStore.forget(this.token);
    this.form.hidden = true;
    document.getElementById("data-section").hidden = true;
    const heading = el("h2", { tabindex: "-1" }, T.deleted);
    this.setStatus("success", [
      heading,
      el("p", {}, el("a", { class: "button secondary", href: this.subscribeUrl }, T.subscribe_again)),
    ]);
    heading.focus();
  }

  // -- start --

  async start() {
    this.form.addEventListener("submit", (event) => this.submit(event));
    this.codeForm?.addEventListener("submit", (event) => this.confirmCode(event));
    for (const input of this.form.querySelectorAll('input[name="quiet"]')) {
      input.addEventListener("change", () => this.quietChanged());
    }
    this.quietChanged();
    this.form.addEventListener("change", (event) => {
      if (event.target.name === "resident_categories") this.consentChanged();
    });
    this.consentChanged();
    this.takeWechat();
    this.onBehalfSwitch?.addEventListener("change", () => this.onBehalfChanged());
    this.onBehalfChanged();
    if (this.mode === "manage") await this.startManage();
    else await this.startSubscribe();
  }

  async startSubscribe() {
    this.showStoredSubscription();
    const options = await this.loadOptions();
    if (!options) {
      this.setStatus("error", [el("p", {}, T.options_failed)]);
      return;
    }
    this.renderOptions(options);
    this.setupPushSwitch();
    this.submitButton.disabled = false;
  }

  async showStoredSubscription() {
    const token = tokenStore.get();
    const box = document.getElementById("stored-subscription");
    if (!token || !box) return;
    document.getElementById("stored-manage-link").href = this.manageUrl(token);
    box.hidden = false;
    // A link to a deleted subscription helps no one.
    const result = await this.call("GET", this.selfUrl, { token });
    if (result.status === 401) {
      tokenStore.forget(token);
      box.hidden = true;
    }
  }

  // The token of the link followed, else the one this browser kept.
  takeToken() {
    this.token = tokenFromFragment() || tokenStore.get() || "";
    // Another language's page needs it too, should this browser not keep it.
    if (this.token) {
      for (const link of document.querySelectorAll(".langs a")) {
        link.hash = `token=${encodeURIComponent(this.token)}`;
      }
    }
  }

  // Kept by the browser once it proved good; then out of the address bar (and history).
  keepToken() {
    if (tokenStore.set(this.token) && tokenFromFragment()) {
      history.replaceState(null, "", location.pathname + location.search);
    }
  }

  async startManage() {
    // A manage link opened again in this tab changes only the fragment: start again with it.
    window.addEventListener("hashchange", () => {
      if (tokenFromFragment()) location.reload();
    });
    this.takeToken();
    if (!this.token) return this.invalidLink();
    this.setStatus("info", [el("p", {}, T.manage_loading)]);
    const [options, current] = await Promise.all([
      this.loadOptions(),
      this.call("GET", this.apiUrl, { token: this.token }),
    ]);
    if (!current.ok) {
      if (current.status === 401) this.invalidLink();
      else this.setStatus("error", [el("p", {}, `${T.error_intro}${this.errorText(current.error)}`)]);
      return;
    }
    if (!options) {
      this.setStatus("error", [el("p", {}, T.options_failed)]);
      return;
    }
    this.renderOptions(options);
    this.applySubscription(current.data.subscription);
    this.setupPushSwitch();
    this.keepToken();
    this.form.hidden = false;
    this.submitButton.disabled = false;
    document.getElementById("data-section").hidden = false;
    document.getElementById("export-button").addEventListener("click", () => this.exportData());
    document.getElementById("delete-button").addEventListener("click", () => this.askDelete(true));
    document.getElementById("delete-no").addEventListener("click", () => this.askDelete(false));
    document.getElementById("delete-yes").addEventListener("click", () => this.deleteSubscription());
    this.setStatus("", []);
  }
}

if (form && statusBox) {
  const page = new SubscriptionPage(form);
  page.start().catch(() => page.setStatus("error", [el("p", {}, T.error_server)]));
}
