// Keeps the kiosk's copy exactly right through the change feed (docs/api.md), polled on the
// interval the server sets, and tells the hub the kiosk is alive.

import { LOCALES } from "./i18n.js";
import { Store } from "./store.js";

const REQUEST_TIMEOUT_MS = 15000;
const DIRECTORY_MAX_AGE_MS = 10 * 60 * 1000;

export class Unauthorized extends Error {}

export class Sync {
  constructor({ api, token, store, community, version, onChange, onStatus }) {
    Object.assign(this, { api, token, store, community, version, onChange, onStatus });
    this.pollSeconds = 30;
    this.timer = null;
    this.running = false;
  }

  async request(path, { method = "GET", body = null, etag = null } = {}) {
    const headers = { Authorization: `Bearer ${this.token}`, Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    if (body) headers["Content-Type"] = "application/json";
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(this.api + path, {
        method, headers, body: body && JSON.stringify(body), signal: controller.signal, cache: "no-store",
      });
      if (response.status === 401) throw new Unauthorized();
      return response;
    } finally {
      clearTimeout(timeout);
    }
  }

  async heartbeat() {
    const cursor = (await this.store.get(`cursor:${this.locale || LOCALES[0]}`)) || "";
    const response = await this.request("kiosk/heartbeat/", {
      method: "POST",
      body: { client_version: this.version, cursor },
    });
    if (!response.ok) throw new Error(`heartbeat ${response.status}`);
    const answer = await response.json();
    this.pollSeconds = answer.poll_seconds || this.pollSeconds;
    return answer;
  }

  feedPath(locale, cursor) {
    const query = new URLSearchParams({ locale, limit: "100" });
    if (this.community) query.set("community", this.community);
    if (cursor) query.set("cursor", cursor);
    return `feed/?${query}`;
  }

  // Follow the feed from the stored cursor until has_more is false. Returns whether anything changed.
  async syncLocale(locale) {
    let cursor = await this.store.get(`cursor:${locale}`);
    const validator = await this.store.get(`etag:${locale}`);
    let etag = validator && validator.cursor === cursor ? validator.etag : null;
    let seen = null;
    let changed = false;
    for (;;) {
      const response = await this.request(this.feedPath(locale, cursor), { etag });
      etag = null;
      if (response.status === 304) break;
      if (response.status === 410) {
        // Our cursor is older than what the hub keeps: start a snapshot, keep showing what we have.
        cursor = null;
        seen = null;
        continue;
      }
      if (!response.ok) throw new Error(`feed ${response.status}`);
      const page = await response.json();
      if (page.mode === "snapshot") {
        seen = seen || new Set();
        for (const entry of page.entries) seen.add(Store.key(locale, entry.type, entry.id));
      }
      await this.store.apply(locale, page.entries);
      changed = changed || page.entries.length > 0;
      this.pollSeconds = page.poll_seconds || this.pollSeconds;
      const asked = cursor;
      cursor = page.next;
      if (!page.has_more) {
        if (cursor === asked) {
          await this.store.set(`etag:${locale}`, { cursor, etag: response.headers.get("ETag") });
        }
        break;
      }
    }
    if (seen) {
      await this.store.keepOnly(locale, seen);
      changed = true;
    }
    await this.store.set(`cursor:${locale}`, cursor);
    return changed;
  }

  async syncDirectory(locale) {
    const fetched = await this.store.get(`directory-at:${locale}`, 0);
    if (Date.now() - fetched < DIRECTORY_MAX_AGE_MS) return false;
    const directory = {};
    for (const name of ["resident-categories", "service-categories"]) {
      const response = await this.request(`${name}/?locale=${locale}`);
      if (!response.ok) throw new Error(`${name} ${response.status}`);
      directory[name] = (await response.json()).results;
    }
    await this.store.set(`directory:${locale}`, directory);
    await this.store.set(`directory-at:${locale}`, Date.now());
    return true;
  }

  async pass() {
    let changed = false;
    for (const locale of LOCALES) {
      changed = (await this.syncLocale(locale)) || changed;
      changed = (await this.syncDirectory(locale)) || changed;
    }
    const beat = await this.heartbeat();
    const at = Date.now();
    await this.store.set("synced-at", at);
    this.onStatus({ online: true, syncedAt: at, kiosk: beat.kiosk });
    if (changed) this.onChange();
  }

  start(locale) {
    this.locale = locale;
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      if (this.busy) return;
      this.busy = true;
      clearTimeout(this.timer);
      try {
        await this.pass();
      } catch (error) {
        if (error instanceof Unauthorized) {
          this.running = false;
          this.onStatus({ unauthorized: true });
          return;
        }
        this.onStatus({ online: false, syncedAt: await this.store.get("synced-at") });
      } finally {
        this.busy = false;
      }
      if (this.running) this.timer = setTimeout(loop, this.pollSeconds * 1000);
    };
    loop();
    // Back online: do not wait for the next poll.
    window.addEventListener("online", () => {
      if (this.running) loop();
    });
  }
}
