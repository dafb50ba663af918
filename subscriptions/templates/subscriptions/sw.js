/* Linli service worker: shows pushed community news and opens it when tapped. */
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  const title = data.title || "邻里";
  event.waitUntil((async () => {
    // The same id is the same message, sent again after a worker crashed:
    // it replaces the one still shown without alerting a second time.
    const shown = data.tag ? await self.registration.getNotifications({ tag: data.tag }) : [];
    const repeat = Boolean(data.id) && shown.some((n) => n.data && n.data.id === data.id);
    await self.registration.showNotification(title, {
      body: data.body || "",
      tag: data.tag || undefined,
      renotify: Boolean(data.tag) && !repeat,
      requireInteraction: Boolean(data.urgent),
      data: { url: data.url || "/", id: data.id || null },
    });
  })());
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(url));
});
