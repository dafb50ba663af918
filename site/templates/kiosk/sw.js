// kiosk service worker
