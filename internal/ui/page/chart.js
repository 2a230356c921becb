// The two charts, drawn as SVG in the page: a game's score over time and
// a team's season. SVG rather than a canvas: every point is an element a
// screen reader and a test can read, with its values as data attributes
// and a title shown on hover.
import {svg, hhmm, hhmmss, periodLabel} from "./dom.js";

const H = 260;
const M = {top: 24, right: 14, bottom: 44, left: 34};

// ticks are round values from lo to hi, about count of them.
function ticks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
  return out;
}

function frame(width, label) {
  return svg("svg", {class: "chart", role: "img", "aria-label": label, viewBox: `0 0 ${width} ${H}`, width, height: H});
}

function yAxis(root, width, y, max) {
  for (const v of ticks(0, max, 5)) {
    root.append(
      svg("line", {class: "grid", x1: M.left, x2: width - M.right, y1: y(v), y2: y(v)}),
      svg("text", {class: "tick", x: M.left - 6, y: y(v) + 4, "text-anchor": "end", text: String(v)}));
  }
}

// scoreChart draws the score of both teams at every stored observation
// (steps: a score holds until the next change), the periods as bands and
// the events sent at each change as marks. timeline is the entries of
// /api/v1/games/timeline, events those of /api/v1/games/events.
export function scoreChart({width, leagueKey, timeline, events, home, away}) {
  width = Math.max(280, Math.round(width));
  const pts = timeline.map((e) => ({...e, t: new Date(e.time).getTime()}));
  const root = frame(width, `Score over time: ${away.abbreviation} in one colour, ${home.abbreviation} in the other; ${pts.length} observations, ${events.length} events.`);
  if (!pts.length) return root;
  // The time before kick-off (the game on the schedule) is cut to a
  // tenth of the chart; observations from then sit at its left edge.
  let t1 = pts[pts.length - 1].t;
  const live = pts.find((p) => p.status !== "scheduled");
  let t0 = pts[0].t;
  if (live && t1 > live.t) t0 = Math.max(t0, live.t - (t1 - live.t) / 9);
  if (t1 - t0 < 60000) t1 = t0 + 60000;
  const maxScore = Math.max(1, ...pts.map((p) => Math.max(p.home_score, p.away_score)));
  const x = (t) => M.left + ((Math.max(t, t0) - t0) / (t1 - t0)) * (width - M.left - M.right);
  const y = (v) => H - M.bottom - (v / maxScore) * (H - M.top - M.bottom);

  // Periods: from the first observation in a period to the first of the
  // next one.
  const bands = svg("g", {class: "periods"});
  const starts = [];
  for (const p of pts) {
    if (p.period > 0 && (p.status === "live" || p.status === "final") && (!starts.length || starts[starts.length - 1].period !== p.period)) {
      starts.push({period: p.period, t: p.t});
    }
  }
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].t : t1;
    const x0 = x(s.t);
    const x1 = x(end);
    bands.append(
      svg("rect", {class: `band ${i % 2 ? "odd" : "even"}`, x: x0, y: M.top, width: Math.max(0, x1 - x0), height: H - M.top - M.bottom, dataset: {period: s.period}}),
      svg("text", {class: "period-label", x: (x0 + x1) / 2, y: H - 8, "text-anchor": "middle", text: periodLabel(leagueKey, s.period)}));
  });
  root.append(bands);
  yAxis(root, width, y, maxScore);
  const n = Math.min(6, Math.max(2, Math.floor(width / 110)));
  for (let i = 0; i <= n; i++) {
    const t = t0 + ((t1 - t0) * i) / n;
    root.append(svg("text", {class: "tick", x: x(t), y: H - M.bottom + 16, "text-anchor": i === 0 ? "start" : i === n ? "end" : "middle", text: hhmm(new Date(t))}));
  }

  for (const side of ["away", "home"]) {
    let d = "";
    pts.forEach((p, i) => {
      const v = y(p[`${side}_score`]);
      d += i === 0 ? `M${x(p.t)} ${v}` : `H${x(p.t)} V${v}`;
    });
    d += `H${x(t1)}`;
    root.append(svg("path", {class: `line ${side}`, d}));
  }

  const marks = svg("g", {class: "events"});
  for (const ev of events) {
    const ex = x(new Date(ev.time).getTime());
    marks.append(svg("g", {class: `ev ${ev.event_type}`, dataset: {eventId: ev.event_id, type: ev.event_type, time: ev.time}},
      svg("line", {x1: ex, x2: ex, y1: M.top - 8, y2: H - M.bottom}),
      svg("circle", {cx: ex, cy: M.top - 12, r: 5}),
      svg("title", {text: `${ev.event_type} at ${hhmmss(ev.time)}: ${away.abbreviation} ${ev.score.away} – ${ev.score.home} ${home.abbreviation} (event ${ev.event_id.slice(0, 12)}…)`})));
  }
  root.append(marks);

  const obs = svg("g", {class: "observations"});
  for (const p of pts) {
    obs.append(svg("g", {class: "obs", dataset: {time: p.time, home: p.home_score, away: p.away_score, period: p.period, status: p.status}},
      svg("circle", {class: "away", cx: x(p.t), cy: y(p.away_score), r: 2.5}),
      svg("circle", {class: "home", cx: x(p.t), cy: y(p.home_score), r: 2.5}),
      svg("title", {text: `${hhmmss(p.time)} ${periodLabel(leagueKey, p.period)} ${p.time_remaining || ""}: ${away.abbreviation} ${p.away_score} – ${p.home_score} ${home.abbreviation} (${p.status})`})));
  }
  root.append(obs);
  return root;
}

// result is a final game seen from the team: W, L or T, and the points.
export function result(g, team) {
  const home = g.home_team === team;
  const us = home ? g.home_score : g.away_score;
  const them = home ? g.away_score : g.home_score;
  return {r: us > them ? "W" : us < them ? "L" : "T", us, them, home, opponent: home ? g.away_team : g.home_team};
}

// seasonChart draws a season as a walk: up one for a win, down one for a
// loss, level for a tie (or, where draws count, the league points so
// far). Each game is one bar from where the walk stood to where it went.
export function seasonChart({width, games, team, draws}) {
  width = Math.max(280, Math.round(width));
  const finals = games.filter((g) => g.status === "final");
  const steps = [];
  let run = 0;
  let w = 0, l = 0, t = 0;
  for (const g of finals) {
    const res = result(g, team);
    const before = run;
    if (draws) run += res.r === "W" ? 3 : res.r === "T" ? 1 : 0;
    else run += res.r === "W" ? 1 : res.r === "L" ? -1 : 0;
    if (res.r === "W") w++;
    else if (res.r === "L") l++;
    else t++;
    steps.push({g, res, before, after: run, record: t ? `${w}-${l}-${t}` : `${w}-${l}`});
  }
  const label = draws ? "league points after each game" : "wins minus losses after each game";
  const root = frame(width, `Season of ${team}: ${label}; ${finals.length} games played.`);
  if (!steps.length) return root;
  const hi = Math.max(1, ...steps.map((s) => Math.max(s.before, s.after)));
  const lo = Math.min(0, ...steps.map((s) => Math.min(s.before, s.after)));
  const cw = (width - M.left - M.right) / steps.length;
  const y = (v) => H - M.bottom - ((v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  for (const v of ticks(lo, hi, 5)) {
    root.append(
      svg("line", {class: v === 0 ? "grid zero" : "grid", x1: M.left, x2: width - M.right, y1: y(v), y2: y(v)}),
      svg("text", {class: "tick", x: M.left - 6, y: y(v) + 4, "text-anchor": "end", text: String(v)}));
  }
  steps.forEach((s, i) => {
    const top = Math.min(y(s.before), y(s.after));
    const h = Math.max(3, Math.abs(y(s.before) - y(s.after)));
    const gx = M.left + i * cw;
    const where = s.res.home ? "vs" : "at";
    root.append(svg("g", {class: "game-step"},
      svg("rect", {class: `result ${s.res.r}`, x: gx + cw * 0.15, y: s.res.r === "T" ? y(s.after) - 1.5 : top, width: Math.max(2, cw * 0.7), height: h,
        dataset: {gameId: s.g.game_id, result: s.res.r, record: s.record}}),
      svg("title", {text: `${s.res.r} ${s.res.us}–${s.res.them} ${where} ${s.res.opponent} (${s.record})`})));
    if (steps.length <= 20 || i % Math.ceil(steps.length / 20) === 0) {
      root.append(svg("text", {class: "tick", x: gx + cw / 2, y: H - M.bottom + 16, "text-anchor": "middle", text: s.res.r}));
    }
  });
  root.append(svg("text", {class: "period-label", x: M.left, y: H - 8, text: label}));
  return root;
}
