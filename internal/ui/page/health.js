// The service's state from /health, with what is wrong said in words:
// each league's last poll and its age, the store, MQTT and the webhooks.
import {el, ago, hhmmss, league} from "./dom.js";
import {api} from "./api.js";

const REFRESH_MS = 5000;

// renderHealth keeps box showing /health; it resolves with the first
// answer (null when the service did not give one).
export function renderHealth(box) {
  let last = null;
  let at = 0;
  const show = () => {
    if (last) box.replaceChildren(...view(last, (performance.now() - at) / 1000));
  };
  const load = async () => {
    try {
      last = await api("/health");
      at = performance.now();
      show();
    } catch (err) {
      box.replaceChildren(el("p", {class: "error", role: "alert", text: `The service did not answer /health: ${err.message}`}));
    }
    return last;
  };
  setInterval(load, REFRESH_MS);
  // Ages move on between two answers.
  setInterval(show, 1000);
  return load();
}

// problems are the sentences a person needs to read first.
export function problems(h) {
  const out = [];
  for (const [key, l] of Object.entries(h.leagues || {})) {
    const name = league(key).name;
    if (!l.ok) {
      const times = l.consecutive_failures > 1 ? ` (${l.consecutive_failures} times in a row)` : "";
      out.push(`${name}: the last poll of ESPN failed${times}: ${l.last_error || "no answer"}. The games shown are from ${ago(l.stale_seconds)}.`);
    }
    if (l.status === "degraded" && l.reason) out.push(`${name}: ${l.reason}`);
    if (!l.last_success && l.ok) out.push(`${name}: ESPN has not answered yet since the start.`);
  }
  const s = h.influxdb || {};
  if (!s.enabled) {
    out.push("No store is configured (STORE=none): history, timelines and the charts are off.");
  } else {
    if (!s.connected) out.push(`The store (${s.kind}) is not reachable${s.last_error ? `: ${s.last_error}` : ""}. Changes wait: ${s.queued} queued, ${s.spooled} spooled.`);
    if (s.circuit_breaker && s.circuit_breaker !== "closed") out.push(`Writes to the store are paused (circuit breaker ${s.circuit_breaker}).`);
    if (s.dropped > 0) out.push(`${s.dropped} changes could not be stored and were dropped.`);
  }
  const m = h.mqtt || {};
  if (m.enabled && !m.connected) out.push(`Home Assistant over MQTT: the broker is not connected${m.last_error ? `: ${m.last_error}` : ""}.`);
  if (m.events_dropped > 0) out.push(`${m.events_dropped} MQTT events were dropped while the broker was away.`);
  const w = h.webhooks || {};
  if (w.failing > 0) out.push(`${w.failing} webhook${w.failing > 1 ? "s are" : " is"} failing: the last call did not get through (see Webhooks).`);
  if (w.disabled > 0) out.push(`${w.disabled} webhook${w.disabled > 1 ? "s are" : " is"} disabled.`);
  return out;
}

function view(h, since) {
  const issues = problems(h);
  const summary = issues.length
    ? el("ul", {class: "problems", role: "alert"}, issues.map((p) => el("li", {text: p})))
    : el("p", {class: "ok", text: "Everything is working."});
  const leagues = Object.entries(h.leagues || {}).map(([key, l]) => el("li", {dataset: {league: key}},
    el("strong", {text: league(key).name}), " ",
    l.last_success
      ? `last poll at ${hhmmss(l.last_success)}, ${ago(l.stale_seconds + since)}; every ${l.poll_interval_seconds} s; ${l.games} games`
      : "not polled yet",
    el("span", {class: `state ${l.ok && l.status === "ok" ? "good" : "bad"}`, text: l.ok && l.status === "ok" ? "ok" : "trouble"})));
  const s = h.influxdb || {};
  const store = s.enabled
    ? `${s.kind}${s.version ? ` ${s.version}` : ""}: ${s.connected ? "connected" : "not connected"}; ${s.points_written} changes written, ${s.queued} queued, ${s.spooled} spooled, ${s.dropped} dropped`
    : "off";
  const m = h.mqtt || {};
  const mqtt = m.enabled
    ? `${m.connected ? "connected" : "not connected"}; ${m.teams.length} team${m.teams.length === 1 ? "" : "s"} announced, ${m.messages_published} messages`
    : "off (MQTT_URL is not set)";
  const w = h.webhooks || {};
  const hooks = `${w.registered || 0} registered, ${w.pending || 0} deliveries pending, ${w.failing || 0} failing, ${w.disabled || 0} disabled`;
  return [
    summary,
    el("ul", {class: "facts"},
      el("li", {}, el("strong", {text: "Status "}), el("span", {class: `state ${h.status === "healthy" ? "good" : "bad"}`, text: h.status}), ` · version ${h.version} · up ${ago(h.uptime_seconds).replace(" ago", "")}`),
      leagues,
      el("li", {}, el("strong", {text: "Store "}), store),
      el("li", {}, el("strong", {text: "MQTT "}), mqtt),
      el("li", {}, el("strong", {text: "Webhooks "}), hooks)),
  ];
}
