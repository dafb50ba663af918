// The kiosk's copy of the content, in IndexedDB: it survives restarts and outages.
// items: one record per (locale, type, id); meta: cursors, ETags, directories, sync times.

const DB_NAME = "linli-kiosk";
const VERSION = 1;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export class Store {
  static async open() {
    const opening = indexedDB.open(DB_NAME, VERSION);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      const items = db.createObjectStore("items", { keyPath: "key" });
      items.createIndex("locale", "locale");
      db.createObjectStore("meta", { keyPath: "name" });
    };
    return new Store(await request(opening));
  }

  constructor(db) {
    this.db = db;
  }

  static key(locale, type, id) {
    return `${locale}|${type}|${id}`;
  }

  async items(locale) {
    const tx = this.db.transaction("items");
    const rows = await request(tx.objectStore("items").index("locale").getAll(locale));
    return rows.map((row) => row.item);
  }

  // Apply feed entries in order, in one transaction: all of them or none.
  async apply(locale, entries) {
    const tx = this.db.transaction("items", "readwrite");
    const items = tx.objectStore("items");
    for (const entry of entries) {
      const key = Store.key(locale, entry.type, entry.id);
      if (entry.op === "deleted") items.delete(key);
      else items.put({ key, locale, type: entry.type, id: entry.id, item: entry.item });
    }
    await done(tx);
  }

  // After a full snapshot: forget what the hub no longer has.
  async keepOnly(locale, keys) {
    const tx = this.db.transaction("items", "readwrite");
    const items = tx.objectStore("items");
    const present = await request(items.index("locale").getAllKeys(locale));
    for (const key of present) {
      if (!keys.has(key)) items.delete(key);
    }
    await done(tx);
  }

  async get(name, fallback = null) {
    const row = await request(this.db.transaction("meta").objectStore("meta").get(name));
    return row ? row.value : fallback;
  }

  async set(name, value) {
    const tx = this.db.transaction("meta", "readwrite");
    tx.objectStore("meta").put({ name, value });
    await done(tx);
  }

  async clear() {
    const tx = this.db.transaction(["items", "meta"], "readwrite");
    tx.objectStore("items").clear();
    tx.objectStore("meta").clear();
    await done(tx);
  }
}
