// The service's JSON routes and its live stream, as the views use them.
// The API key, when the service asks for one, is kept in this tab's
// sessionStorage only and sent as the X-API-Key header, never in a URL.

const KEY = "sports-data-api-key";

export class APIError extends Error {
  constructor(status, detail, body) {
    super(detail);
    this.status = status;
    this.body = body;
  }
}

export const apiKey = () => sessionStorage.getItem(KEY) || "";

export function forgetKey() {
  sessionStorage.removeItem(KEY);
  showForget();
}

function showForget() {
  const b = document.getElementById("forget-key");
  if (b) b.hidden = !apiKey();
}

let asking = null;

// askKey shows the key dialog; it resolves true once a key is entered,
// false when the user cancels. Callers waiting at once share one dialog.
function askKey(message) {
  if (asking) return asking;
  const dlg = document.getElementById("key-dialog");
  const form = document.getElementById("key-form");
  const input = document.getElementById("key-input");
  document.getElementById("key-error").textContent = message;
  input.value = "";
  asking = new Promise((resolve) => {
    const done = (ok) => {
      form.removeEventListener("submit", submit);
      cancel.removeEventListener("click", close);
      dlg.removeEventListener("cancel", close);
      if (dlg.open) dlg.close();
      asking = null;
      showForget();
      resolve(ok);
    };
    const submit = (e) => {
      e.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY, key);
      done(true);
    };
    const close = (e) => {
      e.preventDefault();
      done(false);
    };
    const cancel = document.getElementById("key-cancel");
    form.addEventListener("submit", submit);
    cancel.addEventListener("click", close);
    dlg.addEventListener("cancel", close);
    dlg.showModal();
    input.focus();
  });
  return asking;
}

// api calls a route and returns its decoded answer. A 401 asks for the
// key and tries again; other errors throw an APIError with the service's
// detail.
export async function api(path, {method = "GET", body} = {}) {
  for (;;) {
    const headers = {Accept: "application/json"};
    const key = apiKey();
    if (key) headers["X-API-Key"] = key;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(path, {method, headers, cache: "no-store", credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)});
    if (res.status === 401) {
      const again = await askKey(key ? "The service refused this key." : "");
      if (again) continue;
      throw new APIError(401, "This needs the service's API key.");
    }
    const text = await res.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (!res.ok) throw new APIError(res.status, (data && data.detail) || `The service answered ${res.status}.`, data);
    return data;
  }
}

const EVENT_TYPES = ["game_start", "score_change", "game_end"];

// follow opens the live stream: on.game(change) for every changed game,
// on.event(type, payload) for every game event, on.reset() when what was
// missed while away is no longer known. The browser reconnects by itself
// with the last id it had; a stream refused outright is tried again.
export function follow(on) {
  const conn = document.getElementById("conn");
  const state = (text, cls) => {
    conn.textContent = text;
    conn.className = `conn ${cls}`;
  };
  let es;
  const open = () => {
    es = new EventSource("/api/v1/games/stream");
    es.addEventListener("open", () => state("● live", "up"));
    es.addEventListener("error", () => {
      if (es.readyState === EventSource.CLOSED) {
        state("○ offline, retrying", "down");
        setTimeout(open, 5000);
      } else {
        state("○ reconnecting", "down");
      }
    });
    es.addEventListener("game", (e) => on.game && on.game(JSON.parse(e.data)));
    es.addEventListener("reset", () => on.reset && on.reset());
    for (const t of EVENT_TYPES) es.addEventListener(t, (e) => on.event && on.event(t, JSON.parse(e.data)));
  };
  open();
  addEventListener("pagehide", () => es.close());
}

showForget();
