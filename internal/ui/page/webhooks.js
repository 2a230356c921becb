// Webhooks: the registrations with their counters and last deliveries, a
// form to register one, a test button that shows the receiver's answer,
// and delete. Every call goes to this origin with the JSON the API takes;
// the key, when the service has one, goes as a header (api.js).
import {el, section, hhmmss, kickoff, followedLeagues} from "./dom.js";
import {api, APIError} from "./api.js";

const REFRESH_MS = 5000;
const EVENTS = [["game_start", "Game start"], ["score_change", "Score change"], ["game_end", "Game end"]];

let list, status;
// Kept across the refreshes, which draw the list anew: the last test's
// answer of each webhook, the delete buttons pressed once, and whether a
// test is on its way (the list is not redrawn under it).
const testResults = new Map();
const armed = new Set();
let busy = 0;

export async function render(main) {
  list = el("div", {id: "webhooks", class: "webhooks"});
  status = el("p", {id: "register-result", role: "status"});
  main.replaceChildren(section("Webhooks", list), section("Register a webhook", form(), status));
  await load();
  setInterval(() => busy || load().catch(() => {}), REFRESH_MS);
}

function randomSecret() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

function form() {
  const leagues = el("select", {id: "wh-league", name: "league"}, el("option", {value: "", text: "every league"}),
    followedLeagues().map((l) => el("option", {value: l.key, text: l.name})));
  const f = el("form", {id: "register-form", class: "form", novalidate: true},
    el("label", {}, "Receiver URL", el("input", {id: "wh-url", name: "url", type: "url", required: true, placeholder: "http://homeassistant.local:8123/api/webhook/…", autocomplete: "off"})),
    el("label", {}, "Secret (at least 16 characters; the receiver checks the signature with it)",
      el("input", {id: "wh-secret", name: "secret", type: "text", required: true, minlength: 16, autocomplete: "off", spellcheck: "false", value: randomSecret()})),
    el("div", {class: "row2"},
      el("label", {}, "Team (optional)", el("input", {id: "wh-team", name: "team", type: "text", placeholder: "Patriots, nfl-ne, NE", autocomplete: "off"})),
      el("label", {}, "League", leagues)),
    el("fieldset", {}, el("legend", {text: "Events"}),
      EVENTS.map(([v, label]) => el("label", {class: "check"}, el("input", {type: "checkbox", name: "events", value: v, checked: true}), ` ${label}`))),
    el("label", {}, "Delay in seconds (0–300), to match a TV picture that runs behind",
      el("input", {id: "wh-delay", name: "delay", type: "number", min: 0, max: 300, value: 0})),
    el("button", {type: "submit", id: "wh-submit"}, "Register"));
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    register(f);
  });
  return f;
}

async function register(f) {
  const data = new FormData(f);
  const body = {url: data.get("url").trim(), secret: data.get("secret"), events: data.getAll("events"),
    delay_seconds: Number(data.get("delay") || 0)};
  if (data.get("team").trim()) body.team = data.get("team").trim();
  if (data.get("league")) body.league = data.get("league");
  if (!body.events.length) {
    status.className = "error";
    status.textContent = "Choose at least one event.";
    return;
  }
  status.className = "";
  status.textContent = "Registering…";
  try {
    const reg = await api("/api/v1/ha/webhooks/register", {method: "POST", body});
    status.className = "ok";
    status.textContent = `Registered ${reg.webhook_id}. Give the receiver the secret shown above.`;
    f.reset();
    f.querySelector("#wh-secret").value = randomSecret();
    await load();
  } catch (err) {
    status.className = "error";
    status.textContent = `Not registered: ${err.message}`;
  }
}

async function load() {
  let answer;
  try {
    answer = await api("/api/v1/ha/webhooks");
  } catch (err) {
    if (err instanceof APIError && err.status === 401) {
      list.replaceChildren(el("p", {class: "error", role: "alert", text: "The webhooks need the service's API key."}),
        el("button", {type: "button", onclick: () => load()}, "Enter the key"));
      return;
    }
    list.replaceChildren(el("p", {class: "error", role: "alert", text: `The webhooks could not be read: ${err.message}`}));
    return;
  }
  const hooks = answer.webhooks || [];
  const deliveries = await Promise.all(hooks.map((h) =>
    api(`/api/v1/ha/webhooks/${encodeURIComponent(h.webhook_id)}/deliveries`).then((d) => d.deliveries).catch(() => null)));
  if (!hooks.length) {
    list.replaceChildren(el("p", {class: "muted empty", text: "No webhook is registered."}));
    return;
  }
  list.replaceChildren(...hooks.map((h, i) => webhook(h, deliveries[i])));
}

const when = (t) => (t ? kickoff(t) : "never");
const ms = (v) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

function webhook(h, deliveries) {
  const scope = [h.team || "every team", h.league || "every league"].join(", ");
  const counters = `${h.total_calls} calls, ${h.failed_calls} failed, ${h.pending_events} pending, ${h.dropped_events} dropped, ${h.expired_events} expired`;
  const result = el("div", {class: "test-result", role: "status"});
  if (testResults.has(h.webhook_id)) result.replaceChildren(...testAnswer(testResults.get(h.webhook_id)));
  const del = el("button", {type: "button", class: "danger delete"}, armed.has(h.webhook_id) ? "Really delete?" : "Delete");
  del.addEventListener("click", async () => {
    if (!armed.has(h.webhook_id)) {
      armed.add(h.webhook_id);
      del.textContent = "Really delete?";
      return;
    }
    try {
      await api(`/api/v1/ha/webhooks/${encodeURIComponent(h.webhook_id)}`, {method: "DELETE"});
      armed.delete(h.webhook_id);
      testResults.delete(h.webhook_id);
      await load();
    } catch (err) {
      result.replaceChildren(el("p", {class: "error", text: `Not deleted: ${err.message}`}));
    }
  });
  const test = el("button", {type: "button", class: "test"}, "Send a test event");
  test.addEventListener("click", async () => {
    busy++;
    test.disabled = true;
    result.replaceChildren(el("p", {class: "muted", text: "Sending… (at most 15 s)"}));
    try {
      testResults.set(h.webhook_id, await api(`/api/v1/ha/webhooks/${encodeURIComponent(h.webhook_id)}/test`, {method: "POST"}));
    } catch (err) {
      testResults.set(h.webhook_id, {delivered: false, error: `The test could not be sent: ${err.message}`});
    } finally {
      busy--;
    }
    await load();
  });
  return el("article", {class: "webhook", dataset: {id: h.webhook_id}},
    el("h3", {}, el("code", {text: h.webhook_id}), h.disabled ? el("span", {class: "state bad", text: "disabled"}) : ""),
    el("ul", {class: "facts"},
      el("li", {}, el("strong", {text: "URL "}), el("code", {class: "url", text: h.url})),
      el("li", {}, el("strong", {text: "For "}), `${h.events.join(", ")} · ${scope}${h.delay_seconds ? ` · ${h.delay_seconds} s delay` : ""}`),
      el("li", {class: "counters"}, el("strong", {text: "Deliveries "}), counters),
      el("li", {}, el("strong", {text: "Last success "}), when(h.last_success), el("strong", {text: " · last failure "}), when(h.last_failure),
        h.last_error ? [" · ", el("span", {class: "error", text: h.last_error})] : ""),
      h.disabled_reason ? el("li", {class: "error", text: `Disabled: ${h.disabled_reason}`}) : ""),
    el("div", {class: "actions"}, test, del),
    result,
    el("h4", {text: "Last deliveries"}),
    deliveryList(deliveries));
}

// testAnswer shows what the test route answered, whatever its shape:
// the fields a person looks for first, then any other.
function testAnswer(a) {
  const ok = a.delivered === true;
  const code = a.status ?? a.status_code;
  const first = [
    ["Delivered", ok ? "yes" : "no"],
    ["Outcome", a.outcome],
    ["Receiver answered", code != null ? `HTTP ${code}` : "nothing"],
    ["Latency", a.latency_ms != null ? ms(a.latency_ms) : null],
    ["Attempts", a.attempts],
    ["Error", a.error],
  ];
  const known = new Set(["delivered", "outcome", "status", "status_code", "latency_ms", "attempts", "error"]);
  const rest = Object.entries(a).filter(([k]) => !known.has(k)).map(([k, v]) => [k.replaceAll("_", " "), typeof v === "object" ? JSON.stringify(v) : v]);
  return [el("p", {class: ok ? "ok" : "error", text: ok ? "The receiver took the test event." : "The test event did not get through."}),
    el("ul", {class: "facts answer"}, [...first, ...rest].filter(([, v]) => v != null && v !== "").map(([k, v]) =>
      el("li", {}, el("strong", {text: `${k} `}), String(v))))];
}

function deliveryList(ds) {
  if (ds == null) return el("p", {class: "muted", text: "Not available."});
  if (!ds.length) return el("p", {class: "muted", text: "None since the service started."});
  return el("ol", {class: "deliveries"}, ds.map((d) => el("li", {dataset: {event: d.event, outcome: d.outcome}},
    el("time", {datetime: d.at, text: hhmmss(d.at)}),
    el("span", {class: "event", text: d.event}),
    el("span", {class: `tag ${d.outcome}`, text: d.status != null ? `${d.outcome} · ${d.status}` : d.outcome}),
    el("span", {class: "latency", text: ms(d.latency_ms)}),
    d.error ? el("span", {class: "error", text: d.error}) : "")));
}
