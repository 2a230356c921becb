// Package simulator is an ESPN-compatible site API server that plays a
// schedule of NFL, NHL and MLS games at any speed, for tests, soak runs and the
// demo mode.
//
// # Derived, not captured
//
// Nothing this package serves was captured from ESPN. The teams answers are
// copies of the captured teams.json files (data/, from testdata/espn), and
// venue names come from the captured scoreboards where a capture shows a
// game at that team's home (others get a name marked "(simulated)"). The
// shape of every other answer (field names, nesting, value types and the
// wording of statuses) is derived from the captured scoreboards and the
// captured team schedule described in docs/espn.md; the games, scores, plays,
// records and odds are invented from the seed. Every answer says so in two
// top-level keys, "x-sports-data-simulated": true and
// "x-sports-data-note", which ESPN clients ignore, and in the header
// X-Sports-Data-Simulated: true (error bodies stay exactly ESPN's). States that no capture
// shows (NFL halftime and overtime, STATUS_END_PERIOD, NHL shootouts,
// postponed NFL/NHL games) use the wording docs/espn.md reports from other
// clients, and the shootout's live text ("Shootout"/"SO") is a guess.
//
// # Clock and determinism
//
// The simulated clock is Options.Start + Speed × the real time since New.
// The whole schedule, every score and every timeline are drawn from the
// seed in New; what an answer shows is then a pure function of the plan
// and the simulated time, so concurrent requests agree and the same seed
// gives the same bytes at the same simulated time (ScoreboardAt and the
// other *At methods look at any moment without waiting). Faults are drawn
// per request from their own seeded generator.
//
// # What a simulated week holds
//
// The window is Options.Days Eastern days from Start's day (7 by default).
//
// NFL: ESPN's Wednesday-to-Tuesday weeks; every team plays once a week in
// sixteen slots (Thursday 20:15 ET; Sunday 13:00 ×8, 16:05 ×2, 16:25 ×3,
// 20:20; Monday 20:15), pairings drawn per week. Quarters are 15 game
// minutes lasting 44-50 simulated minutes, with 2-minute breaks after the
// 1st and 3rd (STATUS_END_PERIOD "End of 1st Quarter"), a 13-minute
// STATUS_HALFTIME, and one minute from the last whistle to the final.
// Random games score 0-3 times a quarter: touchdowns followed 40 s later by
// the try (extra point, two-point conversion, or a miss), field goals and
// rare safeties; a tie after regulation goes to a 10-minute sudden-death
// overtime (period 5, "OT") decided by a field goal or a touchdown without
// a try. Scripted games, each given to the earliest game of its preferred
// slot that starts at least 30 minutes after Start:
//   - overtime (Sunday 20:20): 17-17 after a touchdown with 0:38 left;
//     the away team wins 17-20 with a field goal at 0:09 of overtime
//     (Final/OT, period 5), after midnight Eastern.
//   - tie (Monday 20:15): 10-10 after regulation and a scoreless
//     overtime: Final/OT without a winner, a tie in both records.
//   - postponed (Sunday 13:00): STATUS_POSTPONED (post, completed false)
//     20 minutes before kickoff; four hours later it moves, same event id,
//     to 19:00 ET on the first day at least two days later on which
//     neither team plays (Tuesday for a Sunday game), and is listed on that
//     day's scoreboard only; it then plays a random game.
//   - quick-scores (Sunday 13:00): 0-7, then the home team scores twice
//     in a row (field goal, touchdown: 10-7), a home field goal (13-7) is
//     answered 8 simulated seconds later by an away kickoff return
//     touchdown (13-13, then 13-14), a safety (15-14), a touchdown with a
//     two-point conversion (23-14) and a field goal at 0:04 (23-17).
//   - overturned (Sunday 16:25): 7-0, an away touchdown (7-6) is taken
//     back on review 100 simulated seconds later (7-0); final 13-10.
//
// NHL: 4-12 games a day at ESPN-like times (19:00-22:30 ET, weekend
// afternoons), rested teams first; every day has games at 22:00 or later,
// which end after midnight Eastern. Periods are 20 game minutes lasting
// 33-38 simulated minutes with 18-minute intermissions (STATUS_END_PERIOD
// "End of 1st Period"). Goals are drawn per team from its strength; a tie
// after regulation goes to a 5-minute overtime (period 4, Final/OT) or, if
// nobody scores, a shootout (period 5, Final/SO; the winner's score gains
// one at the final, as ESPN counts it). Scripted games, the earliest games
// starting at least 30 minutes after Start:
//   - overtime: 2-2 on a goal with 1:12 left, the home team wins 3-2 at
//     2:31 of overtime.
//   - shootout: 1-1 after overtime; the away team wins the shootout, 1-2.
//   - quick-scores (with an overturned goal): 1-0 answered 6 simulated
//     seconds later (1-1); an away goal (1-2) overturned on a challenge
//     100 simulated seconds later (1-1); the home team scores twice in a
//     row (2-1, 3-1); 3-2; an empty-net goal, 4-2.
//   - postponed: STATUS_POSTPONED two hours before the start, and it stays
//     so on its day; four hours later a replay with a new event id is
//     announced (listed from then on) for 19:00 ET two days later (or the
//     first day after that in the window); teams idle that day take the
//     postponed teams' places in their games there. The replay plays a
//     random game.
//
// A postponed game gets no replay when no such day lies in the window.
//
// MLS (soccer, at ESPN's path soccer/usa.1; see soccer.go): matches on
// Wednesday, Saturday and Sunday evenings, halves of 45 game minutes in
// real time plus drawn stoppage time, a 15-minute halftime, the clock in
// minutes ("45'+2'"), goals per side from the strengths; a level score is
// a draw. Scripted: a draw (1-1) and a match level after extra time and
// won 3-4 on penalties (shootoutScore beside the level score,
// STATUS_FINAL_PEN, period 5). The teams answer is derived from the MLS
// clubs of the captures (no MLS teams answer was captured).
//
// Records (W-L, W-L-T after a tie, NHL W-L-OTL, MLS W-D-L) start from draws for the
// games before the window and change at every final. Truth lists every
// game with its scenario and tags, every score state and status change,
// and its final; Truth.RecordOf sums a team's finals of the window.
//
// # Requests
//
// Handler answers as ESPN has since August and September 2026 (package
// espnrules): 403 to a browser-like or empty User-Agent, whatever the
// path. It serves {base}/{sport}/{league}/scoreboard with
// ?dates=YYYYMMDD (the US Eastern day), ?dates=YYYYMM (a month) or no
// dates (the current Eastern day, with top-level season and week or day),
// each holding the events ESPN answers for the request's limit (100
// without one, 25 above 500), and answering 400 {"code":400,"message":
// "Failed to get events endpoint."} to a range dates=A-B;
// {base}/{sport}/{league}/teams;
// {base}/{sport}/{league}/teams/{id or abbreviation}/schedule[?season=],
// where a competitor's score is an object {value, displayValue}, absent
// before the game, and where a soccer club's lists only the matches begun;
// and {base}/soccer/all/teams/{id}/schedule?fixture=true, a club's coming
// matches in every simulated soccer league, each naming its competition
// (without fixture=true, the matches begun).
package simulator
