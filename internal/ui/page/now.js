// Now: live games updating by themselves, what is coming up, the latest
// events, who is followed and how the service is doing.
import {el, section, statusText, kickoff, hhmmss, teamHref, gameHref, swatch, league, followedLeagues} from "./dom.js";
import {api, follow} from "./api.js";
import {renderHealth} from "./health.js";

const UPCOMING_HOURS = 48;
const MAX_EVENTS = 15;

let live, upcoming, feed, following, service;
const cards = new Map(); // "nfl-401…" → card

const keyOf = (leagueKey, id) => `${String(leagueKey).toLowerCase()}-${id}`;

export async function render(main) {
  live = el("div", {class: "cards", id: "live"});
  upcoming = el("ul", {class: "upcoming", id: "upcoming"});
  feed = el("ol", {class: "events", id: "events"}, el("li", {class: "muted empty", text: "Events appear here as they happen."}));
  following = el("div", {id: "following"});
  service = el("div", {id: "service"});
  main.replaceChildren(
    section("Live", live),
    section(`Coming up (next ${UPCOMING_HOURS} hours)`, upcoming),
    section("Latest events", feed),
    section("Following", following),
    section("Service", service),
  );
  const health = renderHealth(service);
  await Promise.all([loadGames(), health.then((h) => showFollowing(h))]);
  follow({game: onGame, event: onEvent, reset: loadGames});
}

async function loadGames() {
  const [l, u] = await Promise.all([api("/api/v1/games/live"), api(`/api/v1/games/upcoming?hours=${UPCOMING_HOURS}`)]);
  cards.clear();
  live.replaceChildren();
  for (const g of l.games) live.append(card(g));
  emptyLive();
  const soon = u.games.slice().sort((a, b) => new Date(a.start_time) - new Date(b.start_time));
  upcoming.replaceChildren(...soon.map(upcomingRow));
  if (!u.games.length) upcoming.append(el("li", {class: "muted", text: "No game starts in the next two days."}));
}

function emptyLive() {
  const empty = live.querySelector(".empty");
  if (cards.size && empty) empty.remove();
  if (!cards.size && !empty) live.append(el("p", {class: "muted empty", text: "No game is live right now."}));
}

function teamRow(g, side) {
  const t = side === "home" ? g.home_team : g.away_team;
  return el("div", {class: `side ${side}`},
    swatch(t.colors && t.colors.primary),
    el("a", {class: "abbr", href: teamHref(t.id), text: t.abbreviation}),
    el("span", {class: "name", text: t.name}),
    el("span", {class: "score", dataset: {side}, text: g.status === "scheduled" ? "" : String(g.score[side])}));
}

function card(g) {
  const lk = String(g.league).toLowerCase();
  const c = el("article", {class: "game", dataset: {game: keyOf(lk, g.id), status: g.status}},
    el("header", {},
      el("span", {class: "league", text: league(lk).name}),
      el("span", {class: "clock", text: statusText(g)})),
    teamRow(g, "away"),
    teamRow(g, "home"),
    el("footer", {},
      el("a", {href: gameHref(lk, g.id), text: "The game's story"}),
      el("span", {class: "last-event"})));
  cards.set(keyOf(lk, g.id), c);
  return c;
}

function upcomingRow(g) {
  const lk = String(g.league).toLowerCase();
  return el("li", {dataset: {game: keyOf(lk, g.id)}},
    el("time", {datetime: g.start_time, text: kickoff(g.start_time)}),
    el("span", {class: "league", text: league(lk).name}),
    el("span", {class: "match"},
      el("a", {href: teamHref(g.away_team.id), text: g.away_team.name}), " at ",
      el("a", {href: teamHref(g.home_team.id), text: g.home_team.name})),
    el("a", {class: "more", href: gameHref(lk, g.id), "aria-label": `${g.away_team.abbreviation} at ${g.home_team.abbreviation}`, text: "→"}));
}

// onGame applies one changed game: the score, period and clock of its
// card, a card for a game that went live, the final.
function onGame(change) {
  const g = change.game;
  const k = keyOf(change.league, g.id);
  let c = cards.get(k);
  if (!c && g.status === "live") {
    c = card(g);
    live.prepend(c);
    upcoming.querySelector(`li[data-game="${CSS.escape(k)}"]`)?.remove();
    emptyLive();
  }
  if (!c) return;
  c.dataset.status = g.status;
  c.querySelector(".clock").textContent = statusText(g);
  for (const side of ["home", "away"]) {
    const s = c.querySelector(`.score[data-side="${side}"]`);
    const v = String(g.score[side]);
    if (s.textContent !== v) s.textContent = v;
  }
}

const EVENT_WORDS = {game_start: "Kick-off", score_change: "Score", game_end: "Final"};

function onEvent(type, p) {
  feed.querySelector(".empty")?.remove();
  const lk = String(p.league).toLowerCase();
  const line = `${p.away_team} ${p.score.away} – ${p.score.home} ${p.home_team}`;
  feed.prepend(el("li", {dataset: {event: type, eventId: p.event_id}},
    el("time", {datetime: p.occurred_at, text: hhmmss(p.occurred_at)}),
    el("span", {class: `tag ${type}`, text: EVENT_WORDS[type] || type}),
    el("a", {href: gameHref(lk, p.game_id), text: line})));
  while (feed.children.length > MAX_EVENTS) feed.lastElementChild.remove();
  const c = cards.get(keyOf(lk, p.game_id));
  if (c) c.querySelector(".last-event").textContent = `${EVENT_WORDS[type] || type} at ${hhmmss(p.occurred_at)}`;
}

// showFollowing lists the leagues and the teams the service follows for
// someone: the default user's saved teams and the teams announced to Home
// Assistant over MQTT.
async function showFollowing(health) {
  const saved = await api("/api/v1/user/teams").catch(() => ({}));
  const ids = new Set(health && health.mqtt ? health.mqtt.teams : []);
  for (const [k, v] of Object.entries(saved || {})) {
    if (k.endsWith("_teams") && Array.isArray(v)) v.forEach((id) => ids.add(id));
  }
  const leagues = el("ul", {class: "chips"}, followedLeagues().map((l) => el("li", {title: l.title, text: l.name})));
  const teams = [...ids].sort().map((id) => el("li", {}, el("a", {href: teamHref(id), text: id})));
  following.replaceChildren(
    el("p", {}, "Leagues: "), leagues,
    el("p", {}, "Teams saved or announced to Home Assistant: "),
    teams.length ? el("ul", {class: "chips"}, teams)
      : el("p", {class: "muted", text: "None yet: save teams with POST /api/v1/user/teams or set MQTT_TEAMS. Every team's page is one click away from its games above."}));
}
