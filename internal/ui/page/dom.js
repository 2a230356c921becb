// DOM and formatting helpers shared by the views. Text from the service
// (team names, errors) is always set as text, never as HTML.

const SVG = "http://www.w3.org/2000/svg";

function build(e, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") e.setAttribute("class", v);
    else if (k === "text") e.textContent = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(2)) {
    if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

// el makes an HTML element: el("a", {href: "/ui/"}, "Now").
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// svg makes an SVG element.
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

export function section(title, ...children) {
  return el("section", {class: "panel"}, el("h2", {text: title}), ...children);
}

// The browser's own zone: every time on the page is shown in it.
export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const kickoffFmt = new Intl.DateTimeFormat(undefined, {weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"});
const timeFmt = new Intl.DateTimeFormat(undefined, {hour: "2-digit", minute: "2-digit"});
const secondsFmt = new Intl.DateTimeFormat(undefined, {hour: "2-digit", minute: "2-digit", second: "2-digit"});
const dateFmt = new Intl.DateTimeFormat(undefined, {day: "numeric", month: "short"});

// ESPN writes "2026-12-13T18:00Z"; the service RFC 3339.
export const parse = (s) => (s ? new Date(s) : null);
const fmt = (f) => (s) => {
  const d = s instanceof Date ? s : parse(s);
  return d && !isNaN(d) ? f.format(d) : "";
};
export const kickoff = fmt(kickoffFmt);
export const hhmm = fmt(timeFmt);
export const hhmmss = fmt(secondsFmt);
export const day = fmt(dateFmt);

// ago says how long a number of seconds is, in words.
export function ago(seconds) {
  if (seconds == null || isNaN(seconds)) return "never";
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

// The followed leagues, as the page was served with them.
const leagues = JSON.parse(document.getElementById("sd-leagues").textContent || "[]");
export function league(key) {
  key = String(key || "").toLowerCase();
  return leagues.find((l) => l.key === key) || {key, name: key.toUpperCase(), title: key.toUpperCase(), period_name: "period", periods: 0};
}
export const followedLeagues = () => leagues;

// The routes this service answers: the page offers a standing or a
// calendar only where the service has them.
const routes = JSON.parse(document.getElementById("sd-routes").textContent || "[]");
export const hasRoute = (prefix) => routes.some((r) => r.startsWith(prefix));

// periodLabel names a period the way the league does: Q2, P3, 2nd half,
// OT, 2OT.
export function periodLabel(leagueKey, n) {
  const l = league(leagueKey);
  if (!n) return "";
  if (l.periods && n > l.periods && l.period_name !== "inning") {
    const extra = n - l.periods;
    return extra === 1 ? "OT" : `${extra}OT`;
  }
  switch (l.period_name) {
    case "quarter": return `Q${n}`;
    case "half": return n === 1 ? "1st half" : "2nd half";
    case "inning": return `Inning ${n}`;
    case "set": return `Set ${n}`;
    default: return `P${n}`;
  }
}

// A game's status in words: the clock while live, the kick-off before.
export function statusText(g) {
  if (g.status === "live") {
    const p = periodLabel(g.league, g.period && g.period.current);
    const clock = g.period && g.period.time_remaining;
    return g.status_detail || [p, clock].filter(Boolean).join(" ");
  }
  if (g.status === "scheduled") return kickoff(g.start_time);
  if (g.status === "final") return g.status_detail || "Final";
  return g.status_detail || g.status;
}

export const teamHref = (id) => `/ui/team/${encodeURIComponent(id)}`;
export const gameHref = (leagueKey, id) => `/ui/game/${encodeURIComponent(id)}?league=${encodeURIComponent(String(leagueKey).toLowerCase())}`;

// swatch is a team's colour as a small square (logos come from ESPN's
// servers, which a home network may not reach, so none are shown).
export function swatch(color) {
  const s = el("span", {class: "swatch", "aria-hidden": "true"});
  if (/^#[0-9a-f]{6}$/i.test(color || "")) s.style.setProperty("--c", color);
  return s;
}

// copyText copies to the clipboard, also where the Clipboard API is
// missing (plain http on the home network is not a secure context).
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const t = el("textarea", {class: "offscreen", readonly: true});
  t.value = text;
  document.body.append(t);
  t.select();
  document.execCommand("copy");
  t.remove();
}
