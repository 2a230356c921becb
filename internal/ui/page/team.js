// A team: its season as a chart and a list, its next games, its standing
// where the service has standings, and the ways to follow it in Home
// Assistant (entities, a REST sensor, the card, a calendar).
import {el, section, kickoff, day, teamHref, gameHref, league, hasRoute} from "./dom.js";
import {api, APIError} from "./api.js";
import {seasonChart, result} from "./chart.js";
import {followBlock} from "./follow.js";

const NEXT = 5;

export async function render(main, [team]) {
  const [sched, status, health] = await Promise.all([
    api(`/api/v1/games/schedule/${encodeURIComponent(team)}`).catch((e) => e),
    api(`/api/v1/ha/game-status/${encodeURIComponent(team)}`).catch((e) => e),
    api("/health").catch(() => null)]);
  if (status instanceof APIError && sched instanceof APIError) {
    main.replaceChildren(el("p", {class: "error", role: "alert", text: status.message}), suggestions(status));
    return;
  }
  const st = status instanceof APIError ? null : status;
  const s = sched instanceof APIError ? null : sched;
  const lk = String((s && s.league) || (st && st.league) || "").toLowerCase();
  const abbr = (s && s.team) || (st && st.team) || team;
  const id = `${lk}-${abbr.toLowerCase()}`;
  const name = (s && s.team_name) || (st && st.team_name) || abbr;
  document.title = `${name} · sports-data`;

  const chartBox = el("div", {class: "chart-box", id: "season-chart"});
  main.replaceChildren(
    el("div", {class: "team-head"}, el("p", {class: "league", text: league(lk).title}), el("h1", {text: name}),
      s ? el("p", {class: "record", id: "record", text: recordText(s.statistics)}) : null),
    section("Now", now(st, lk)),
    section(`Season ${s ? s.season : ""}`, s ? [chartBox, results(s, lk)] : el("p", {class: "muted", text: `No stored season: ${sched.message}`})),
    section("Next games", nextGames(s, st, lk)),
    el("div", {id: "standing-slot"}),
    section("Follow it", await followBlock({id, name, lk, health})));
  if (s && s.games.some((g) => g.status === "final")) {
    const draw = () => chartBox.replaceChildren(seasonChart({width: chartBox.clientWidth || 600, games: s.games, team: s.team, draws: league(lk).draws}));
    draw();
    addEventListener("resize", draw);
  }
  standing(id, lk);
}

function suggestions(err) {
  const list = (err.body && (err.body.suggestions || err.body.candidates)) || [];
  if (!list.length) return "";
  return el("p", {}, "Did you mean: ", list.map((m, i) => [i ? ", " : "", el("a", {href: teamHref(m.id), text: `${m.name} (${m.league})`})]));
}

function recordText(st) {
  if (!st || !st.games_played) return "No game played this season yet.";
  const rec = [st.wins, st.losses, st.ties || null, st.ot_losses || null].filter((v) => v != null).join("-");
  const parts = [`Record ${rec}`, `home ${st.home_record}`, `away ${st.away_record}`];
  if (st.streak) parts.push(`streak ${st.streak}`);
  if (st.points != null) parts.push(`${st.points} points`);
  return parts.join(" · ");
}

function now(st, lk) {
  if (!st || st.status === "none") return el("p", {class: "muted", text: "No game now or soon."});
  const where = st.home_away === "home" ? "vs" : "at";
  const link = el("a", {href: gameHref(lk, st.game_id), text: "the game's story"});
  switch (st.status) {
    case "live":
      return el("p", {}, el("strong", {text: "Live: "}), `${st.team} ${st.team_score} – ${st.opponent_score} ${st.opponent} (${st.status_detail || st.clock}) · `, link);
    case "upcoming":
      return el("p", {}, el("strong", {text: "Next: "}), `${where} ${st.opponent_name || st.opponent}, ${kickoff(st.start_time)} · `, link);
    case "final":
      return el("p", {}, el("strong", {text: "Last: "}), `${st.result || ""} ${st.team_score}–${st.opponent_score} ${where} ${st.opponent_name || st.opponent} · `, link);
  }
  return el("p", {text: st.status});
}

function results(s, lk) {
  const finals = s.games.filter((g) => g.status === "final");
  if (!finals.length) return el("p", {class: "muted", text: "No result yet this season."});
  return el("ol", {class: "results", id: "results"}, finals.slice().reverse().map((g) => {
    const r = result(g, s.team);
    return el("li", {dataset: {gameId: g.game_id, result: r.r}},
      el("time", {datetime: g.start_time, text: day(g.start_time)}),
      el("span", {class: `tag r${r.r}`, text: r.r}),
      el("a", {href: gameHref(lk, g.game_id), text: `${r.us}–${r.them} ${r.home ? "vs" : "at"} ${r.opponent}`}));
  }));
}

function nextGames(s, st, lk) {
  const upcoming = s ? s.games.filter((g) => g.status === "scheduled").slice(0, NEXT) : [];
  if (!upcoming.length) {
    return st && st.status === "upcoming" ? now(st, lk) : el("p", {class: "muted", text: "No scheduled game stored."});
  }
  return el("ul", {class: "upcoming"}, upcoming.map((g) => {
    const home = g.home_team === s.team;
    const opp = home ? g.away_team : g.home_team;
    return el("li", {dataset: {gameId: g.game_id}},
      el("time", {datetime: g.start_time, text: kickoff(g.start_time)}),
      el("span", {class: "match"}, home ? "vs " : "at ", el("a", {href: teamHref(`${lk}-${opp.toLowerCase()}`), text: home ? g.away_team_name : g.home_team_name})),
      el("a", {class: "more", href: gameHref(lk, g.game_id), "aria-label": "the game", text: "→"}));
  }));
}

// standing shows the team's place where the service answers standings,
// and nothing where it does not.
async function standing(id, lk) {
  if (!hasRoute("/api/v1/standings")) return;
  const path = `/api/v1/standings?league=${encodeURIComponent(lk)}`;
  const data = await api(path).catch(() => null);
  // The answer's groups (conferences, divisions, one table in soccer)
  // each list their entries; the team is in one of them.
  let mine = null;
  for (const g of (data && Array.isArray(data.groups)) ? data.groups : []) {
    const e = (g.entries || []).find((r) => r.team_id === id);
    if (e) { mine = {group: g.abbreviation || g.name, ...e}; break; }
  }
  if (!mine) return;
  const facts = Object.entries(mine).filter(([k, v]) => v != null && typeof v !== "object" && !["team_id", "espn_id", "team_name"].includes(k)).map(([k, v]) => el("li", {}, el("strong", {text: `${k.replaceAll("_", " ")} `}), String(v)));
  document.getElementById("standing-slot").replaceWith(section("Standing", el("ul", {class: "facts", id: "standing"}, facts)));
}
