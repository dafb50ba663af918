// Progressive enhancement of the resident pages: search suggestions and sharing.
// Everything works without this file; it only saves taps.

const DELAY_MS = 200;

function setUpSuggestions(input) {
  const box = input.form.querySelector(".suggestions");
  const list = box.querySelector("ul");
  let timer = null;
  let controller = null;

  async function suggest() {
    const q = input.value.trim();
    if (!q) {
      box.hidden = true;
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const url = new URL(input.dataset.suggestUrl, location.origin);
    url.searchParams.set("q", q);
    if (input.dataset.suggestLocale) url.searchParams.set("locale", input.dataset.suggestLocale);
    let body;
    try {
      const response = await fetch(url, { signal: controller.signal });
      if (!response.ok) return;
      body = await response.json();
    } catch {
      return; // offline or aborted: the form still submits
    }
    list.replaceChildren(
      ...body.suggestions.map((suggestion) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `${input.dataset.itemUrl}${suggestion.id}/`;
        link.textContent = suggestion.title;
        item.append(link);
        return item;
      }),
    );
    box.hidden = body.suggestions.length === 0;
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") box.hidden = true;
    if (event.key === "ArrowDown" && !box.hidden) {
      event.preventDefault();
      list.querySelector("a")?.focus();
    }
  });
}

function setUpShare(button) {
  const status = button.closest(".share").querySelector(".share-status");
  button.closest("[hidden]")?.removeAttribute("hidden");
  button.addEventListener("click", async () => {
    const data = { title: button.dataset.title, url: button.dataset.url };
    if (navigator.share) {
      try {
        await navigator.share(data);
        return;
      } catch (error) {
        if (error.name === "AbortError") return;
      }
    }
    try {
      await navigator.clipboard.writeText(data.url);
    } catch {
      const field = button.closest(".share").querySelector(".page-link");
      field.select();
      document.execCommand("copy");
    }
    status.textContent = button.dataset.copied;
  });
}

document.querySelectorAll("input[data-suggest-url]").forEach(setUpSuggestions);
document.querySelectorAll("button[data-share]").forEach(setUpShare);
