// A game: its score over time from the stored timeline, the events sent at
// each change, the line score and the facts; live while it is played.
import {el, section, statusText, kickoff, hhmmss, teamHref, league, periodLabel, swatch} from "./dom.js";
import {api, follow, APIError} from "./api.js";
import {scoreChart} from "./chart.js";

// How often at most the stored timeline is read again while the game is
// live (the page draws each change it is told of at once; the stored
// timeline replaces those points).
const RELOAD_MS = 10000;

let id, lk, main, head, chartBox, lineBox, factsBox, eventsBox;
let game = null; // the game as the live routes show it, when in memory
let row = null; // its row of the stored schedule
let known = new Map(); // the league's teams by id, for names and colours of a game no longer in memory
let timeline = null;
let events = [];
let reloadTimer = 0;
let lastReload = 0;

export async function render(root, [gameID], query) {
  id = gameID;
  main = root;
  lk = (query.get("league") || "").toLowerCase();
  head = el("div", {class: "game-head"});
  chartBox = el("div", {class: "chart-box", id: "score-chart"});
  lineBox = el("div", {id: "line-score"});
  factsBox = el("ul", {class: "facts", id: "facts"});
  eventsBox = el("div", {id: "game-events"});
  main.replaceChildren(head,
    section("Score over time", chartBox, el("p", {class: "legend", id: "legend"})),
    section("Line score", lineBox),
    section("Events sent", eventsBox),
    section("Facts", factsBox));
  await Promise.all([findGame(), loadStory()]);
  if (!game && !row && !timeline) {
    main.replaceChildren(el("p", {class: "error", role: "alert", text: `No game ${id} is known to the service${lk ? ` in ${league(lk).name}` : ""}.`}));
    return;
  }
  draw();
  let width = chartBox.clientWidth;
  addEventListener("resize", () => {
    if (Math.abs(chartBox.clientWidth - width) > 20) {
      width = chartBox.clientWidth;
      drawChart();
    }
  });
  follow({game: onGame, event: (type, p) => {
    if (p.game_id === id && type === "game_end") scheduleReload(1500);
  }, reset: () => scheduleReload(0)});
}

// findGame looks for the game in memory (live, coming up) and in the home
// team's stored schedule.
async function findGame() {
  const q = lk ? `?league=${encodeURIComponent(lk)}` : "";
  const [l, u] = await Promise.all([
    api(`/api/v1/games/live${q}`).catch(() => ({games: []})),
    api(`/api/v1/games/upcoming${q}${q ? "&" : "?"}hours=168`).catch(() => ({games: []}))]);
  game = [...l.games, ...u.games].find((g) => g.id === id) || null;
  if (game) lk = String(game.league).toLowerCase();
}


async function loadStory() {
  const q = lk ? `?league=${encodeURIComponent(lk)}` : "";
  try {
    const [tl, ev] = await Promise.all([
      api(`/api/v1/games/timeline/${encodeURIComponent(id)}${q}`),
      api(`/api/v1/games/events/${encodeURIComponent(id)}${q}`)]);
    timeline = tl;
    events = ev.events;
    lk = lk || String(tl.league).toLowerCase();
  } catch (err) {
    timeline = null;
    events = [];
    const why = err instanceof APIError && err.status === 404
      ? "The store has no observation of this game yet: its timeline begins when the service first sees it."
      : `No stored timeline: ${err.message}`;
    chartBox.replaceChildren(el("p", {class: "muted", text: why}));
  }
  if (!game && !row && timeline) {
    const home = `${lk}-${timeline.home_team.toLowerCase()}`;
    const [sched, list] = await Promise.all([
      api(`/api/v1/games/schedule/${encodeURIComponent(home)}?league=${lk}`).catch(() => null),
      api(`/api/v1/teams?league=${lk}`).catch(() => null)]);
    row = (sched && sched.games.find((g) => g.game_id === id)) || null;
    known = new Map(((list && list.teams) || []).map((t) => [t.id, t]));
  }
  lastReload = performance.now();
}

function scheduleReload(delay) {
  if (reloadTimer) return;
  const wait = Math.max(delay, RELOAD_MS - (performance.now() - lastReload));
  reloadTimer = setTimeout(async () => {
    reloadTimer = 0;
    await loadStory();
    draw();
  }, delay === 0 ? 0 : wait);
}

// teams names both sides from whatever knows the game best.
function teams() {
  if (game) {
    const t = (x) => ({id: x.id, abbreviation: x.abbreviation, name: x.name, color: x.colors && x.colors.primary});
    return {home: t(game.home_team), away: t(game.away_team)};
  }
  const src = row || {home_team: timeline.home_team, away_team: timeline.away_team};
  const t = (abbr, name) => {
    const tid = `${lk}-${abbr.toLowerCase()}`;
    const k = known.get(tid);
    return {id: tid, abbreviation: abbr, name: name || (k && k.name) || abbr, color: k && k.colors && k.colors.primary};
  };
  return {home: t(src.home_team, src.home_team_name), away: t(src.away_team, src.away_team_name)};
}

function score() {
  if (game) return {...game.score, status: game.status, text: statusText(game)};
  const last = timeline && timeline.timeline[timeline.timeline.length - 1];
  if (row && (!last || row.status === "final")) return {home: row.home_score, away: row.away_score, status: row.status, text: row.status === "final" ? "Final" : row.status};
  if (last) return {home: last.home_score, away: last.away_score, status: last.status, text: last.status === "final" ? "Final" : `${periodLabel(lk, last.period)} ${last.time_remaining}`};
  return {home: 0, away: 0, status: "scheduled", text: ""};
}

function draw() {
  const {home, away} = teams();
  const s = score();
  const side = (t, v, which) => el("div", {class: `big-side ${which}`}, swatch(t.color),
    el("span", {}, el("a", {href: teamHref(t.id), text: t.name}), el("span", {class: "muted where", text: ` ${which}`})),
    el("span", {class: "score", dataset: {side: which}, text: s.status === "scheduled" ? "" : String(v)}));
  head.replaceChildren(
    el("p", {class: "league", text: league(lk).title}),
    side(away, s.away, "away"),
    side(home, s.home, "home"),
    el("p", {class: "clock", id: "game-status", dataset: {status: s.status}, text: s.text}));
  document.title = `${away.abbreviation} at ${home.abbreviation} · sports-data`;
  drawChart();
  drawLineScore();
  drawEvents();
  drawFacts();
}

function drawChart() {
  if (!timeline) return;
  const {home, away} = teams();
  home.color = home.color || "#1f6feb";
  away.color = away.color && away.color !== home.color ? away.color : "#d9480f";
  const box = chartBox.parentElement;
  box.style.setProperty("--home", home.color);
  box.style.setProperty("--away", away.color);
  chartBox.replaceChildren(scoreChart({width: chartBox.clientWidth || 600, leagueKey: lk, timeline: timeline.timeline, events, home, away}));
  const key = (t, cls) => el("span", {class: `key ${cls}`}, el("span", {class: "dot"}), ` ${t.abbreviation} `);
  const legend = document.getElementById("legend");
  legend.replaceChildren(key(away, "away"), key(home, "home"), " · bands are periods, marks are the events sent (hover for details).");
}

function drawLineScore() {
  if (!timeline) {
    lineBox.replaceChildren(el("p", {class: "muted", text: "Known once the game has been observed."}));
    return;
  }
  const last = new Map();
  for (const p of timeline.timeline) {
    if (p.period > 0 && (p.status === "live" || p.status === "final")) last.set(p.period, p);
  }
  const periods = [...last.keys()].sort((a, b) => a - b);
  const {home, away} = teams();
  let prev = {home: 0, away: 0};
  const per = periods.map((n) => {
    const p = last.get(n);
    const d = {home: p.home_score - prev.home, away: p.away_score - prev.away};
    prev = {home: p.home_score, away: p.away_score};
    return d;
  });
  const total = score();
  const rowOf = (t, which) => el("tr", {}, el("th", {scope: "row", text: t.abbreviation}),
    per.map((d) => el("td", {text: String(d[which])})), el("td", {class: "total", text: String(total[which])}));
  lineBox.replaceChildren(el("table", {class: "line-score"},
    el("thead", {}, el("tr", {}, el("th", {}), periods.map((n) => el("th", {scope: "col", text: periodLabel(lk, n)})), el("th", {scope: "col", text: "T"}))),
    el("tbody", {}, rowOf(away, "away"), rowOf(home, "home"))));
}

const EVENT_WORDS = {game_start: "Kick-off", score_change: "Score", game_end: "Final"};

function drawEvents() {
  if (!events.length) {
    eventsBox.replaceChildren(el("p", {class: "muted", text: "No event yet."}));
    return;
  }
  const {home, away} = teams();
  eventsBox.replaceChildren(el("ol", {class: "events"}, events.map((e) => el("li", {dataset: {eventId: e.event_id}},
    el("time", {datetime: e.time, text: hhmmss(e.time)}),
    el("span", {class: `tag ${e.event_type}`, text: EVENT_WORDS[e.event_type] || e.event_type}),
    el("span", {text: `${away.abbreviation} ${e.score.away} – ${e.score.home} ${home.abbreviation}`}),
    el("code", {class: "id", title: "event_id, as webhooks and MQTT carried it", text: e.event_id})))));
}

function drawFacts() {
  const g = game || {};
  const facts = [
    ["League", league(lk).title],
    ["Start", kickoff(g.start_time || (row && row.start_time))],
    ["Venue", g.venue],
    ["On TV", (g.broadcasts || []).join(", ")],
    ["Season", (g.season || (row && row.season)) ? `${g.season || row.season}${(g.week || (row && row.week)) ? `, week ${g.week || row.week}` : ""}` : ""],
    ["Status", game ? statusText(game) : row ? (statusText({...row, league: lk}) || row.status) : (timeline && timeline.final_score ? "Final" : "")],
    ["Duration", timeline && timeline.duration_minutes != null ? `${timeline.duration_minutes} min` : ""],
    ["Stored observations", timeline ? String(timeline.timeline.length) : "none"],
    ["ESPN game id", id],
  ];
  factsBox.replaceChildren(...facts.filter(([, v]) => v).map(([k, v]) => el("li", {}, el("strong", {text: `${k} `}), v)));
}

// onGame draws a change of this game at once, as a point of the chart
// until the stored timeline is read again.
function onGame(change) {
  if (change.game.id !== id || String(change.league) !== lk) return;
  game = change.game;
  if (!timeline) scheduleReload(RELOAD_MS);
  if (timeline) {
    const pts = timeline.timeline;
    const last = pts[pts.length - 1];
    const g = change.game;
    if (!last || last.status !== g.status || last.home_score !== g.score.home || last.away_score !== g.score.away || last.period !== g.period.current) {
      pts.push({time: change.observed_at, home_score: g.score.home, away_score: g.score.away, period: g.period.current,
        time_remaining: g.period.time_remaining, status: g.status});
      scheduleReload(RELOAD_MS);
    }
  }
  draw();
}
