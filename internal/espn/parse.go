package espn

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/espnjson"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
)

// ParseScoreboard reads a scoreboard answer ({"leagues":…, "events":[…]}).
// Each game keeps the event it was read from, decoded, as its Source (the
// caller adds where and when it was fetched).
//
// Events that cannot be a game (no id, no competition, fewer than two
// competitors marked home and away, a competitor without an abbreviation)
// are skipped, as are fields whose JSON type is unexpected; only a body
// that is not a JSON object, or whose "events" is not a list, is an error.
func ParseScoreboard(data []byte, l league.League) ([]game.Game, error) {
	games, _, err := parseScoreboard(data, l)
	return games, err
}

// parseScoreboard is ParseScoreboard that also counts the answer's events,
// read or not (an element of the wrong type still counts), from the same
// one decode.
func parseScoreboard(data []byte, l league.League) ([]game.Game, int, error) {
	doc, err := decodeEvents(data)
	if err != nil {
		return nil, 0, err
	}
	var top topLevel
	if doc.Season != nil {
		top.season = *doc.Season
	}
	if doc.Week != nil {
		top.week = doc.Week.Number
	}
	var lg *espnjson.League
	if len(doc.Leagues) > 0 {
		lg = &doc.Leagues[0]
	}
	games := make([]game.Game, 0, len(doc.Events))
	for i := range doc.Events {
		if l.Individual() {
			games = append(games, buildContests(l, &doc.Events[i], top, lg)...)
			continue
		}
		if g, ok := buildGame(l, &doc.Events[i], top); ok {
			g.Source = &game.Source{Event: &doc.Events[i], League: lg}
			games = append(games, g)
		}
	}
	return games, len(doc.Events), nil
}

// ParseSchedule reads a team schedule answer (…/teams/{id}/schedule). Its
// events differ from the scoreboard's in the places docs/espn.md lists: the
// score is an object, records sit in record[], the season type in
// seasonType. The season of events without one is the requested season,
// never the top-level one (which is the season current at request time).
func ParseSchedule(data []byte, l league.League) ([]game.Game, error) {
	doc, err := decodeEvents(data)
	if err != nil {
		return nil, err
	}
	var top topLevel
	if doc.RequestedSeason != nil {
		top.season = *doc.RequestedSeason
	}
	return parseEvents(doc.Events, l, top), nil
}

// ParseTeams reads a teams answer: sports[0].leagues[0].teams[i].team.
// Inactive and all-star teams are left out.
func ParseTeams(data []byte, l league.League) ([]game.Team, error) {
	data, err := objectBody(data)
	if err != nil {
		return nil, err
	}
	var doc espnjson.Teams
	if err := json.Unmarshal(data, &doc); err != nil && !isTypeError(err) {
		return nil, invalidJSON("teams", err)
	}
	if len(doc.Sports) == 0 || len(doc.Sports[0].Leagues) == 0 {
		return nil, invalidJSON("teams: no sports[0].leagues[0]", nil)
	}
	var out []game.Team
	seen := map[string]bool{}
	for _, s := range doc.Sports {
		for _, lg := range s.Leagues {
			for _, entry := range lg.Teams {
				rt := entry.Team
				if rt.IsAllStar || (rt.IsActive != nil && !*rt.IsActive) {
					continue
				}
				t, ok := buildTeam(l, &rt, nil)
				if !ok || seen[t.ID] {
					continue
				}
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// objectBody rejects what cannot be an ESPN answer before decoding and
// drops a leading byte-order mark, which the JSON decoder refuses.
func objectBody(data []byte) ([]byte, error) {
	trimmed := bytes.TrimPrefix(bytes.TrimSpace(data), []byte("\xef\xbb\xbf"))
	trimmed = bytes.TrimSpace(trimmed)
	if len(trimmed) == 0 {
		return nil, ErrEmptyBody
	}
	if trimmed[0] != '{' {
		return nil, invalidJSON("body is not a JSON object", nil)
	}
	return trimmed, nil
}

func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

func decodeEvents(data []byte) (*espnjson.Events, error) {
	data, err := objectBody(data)
	if err != nil {
		return nil, err
	}
	// One decode for the whole document: a field of an unexpected type is
	// skipped by the decoder, which carries on and reports it at the end.
	var doc espnjson.Events
	err = json.Unmarshal(data, &doc)
	if err == nil {
		return &doc, nil
	}
	if !isTypeError(err) {
		return nil, invalidJSON("events document", err)
	}
	// Only when something was off: is it "events" itself?
	var shape struct {
		Events json.RawMessage `json:"events"`
	}
	_ = json.Unmarshal(data, &shape)
	if ev := shape.Events; len(ev) > 0 && ev[0] != '[' && string(ev) != "null" {
		return nil, invalidJSON(`"events" is not a list`, nil)
	}
	return &doc, nil
}

// topLevel holds the document-wide fallbacks for events that lack their own.
type topLevel struct {
	season espnjson.Season
	week   espnjson.Number
}

func parseEvents(events []espnjson.Event, l league.League, top topLevel) []game.Game {
	games := make([]game.Game, 0, len(events))
	for i := range events {
		if l.Individual() {
			games = append(games, buildContests(l, &events[i], top, nil)...)
			continue
		}
		if g, ok := buildGame(l, &events[i], top); ok {
			games = append(games, g)
		}
	}
	return games
}

func buildGame(l league.League, ev *espnjson.Event, top topLevel) (game.Game, bool) {
	if len(ev.Competitions) == 0 {
		return game.Game{}, false
	}
	comp := &ev.Competitions[0]
	id := strings.TrimSpace(ev.ID.Text())
	if id == "" {
		id = strings.TrimSpace(comp.ID.Text())
	}
	if id == "" {
		return game.Game{}, false
	}
	var home, away *espnjson.Competitor
	for i := range comp.Competitors {
		c := &comp.Competitors[i]
		switch strings.ToLower(strings.TrimSpace(c.HomeAway.String())) {
		case "home":
			if home == nil {
				home = c
			}
		case "away":
			if away == nil {
				away = c
			}
		}
	}
	if home == nil || away == nil {
		return game.Game{}, false
	}
	homeTeam, ok := buildTeam(l, home.Team, competitorRecord(home, l))
	if !ok {
		return game.Game{}, false
	}
	awayTeam, ok := buildTeam(l, away.Team, competitorRecord(away, l))
	if !ok {
		return game.Game{}, false
	}

	st := statusOf(ev, comp)
	status := classify(st.Type.State, st.Type.Completed, st.Type.Name)
	if l.Sport == league.Cricket {
		status = cricketStatus(st, status)
	}
	homeScore, _ := home.Score.Score()
	awayScore, _ := away.Score.Score()

	g := game.Game{
		ID:           id,
		League:       l.Name,
		Status:       status,
		HomeTeam:     homeTeam,
		AwayTeam:     awayTeam,
		Score:        game.Score{Home: homeScore, Away: awayScore},
		StatusDetail: st.Type.ShortDetail.String(),
		Broadcasts:   broadcasts(comp.Broadcasts),
	}
	if comp.Venue != nil {
		g.Venue = comp.Venue.FullName.String()
	}

	g.StartTime = ev.Date.Text()
	if g.StartTime == "" {
		g.StartTime = comp.Date.Text()
	}
	g.Start = parseTime(g.StartTime)
	g.TimeValid = timeValidOf(ev, comp)

	g.Period = period(status, st, comp, l)
	g.Season, g.SeasonType, g.Week = seasonOf(ev, top)
	g.Details = details(status, comp, homeTeam, awayTeam)
	sportExtras(l, &g, st, comp, home, away)
	if l.Sport == league.Cricket {
		cricket(l, &g, st, comp, ev, home, away)
	}
	g.ScoringPlays = scoringPlays(l, comp, homeTeam, awayTeam)
	return g, true
}

// seasonOf is the event's season, season type and week, each from the
// event where it says them, else from the answer's.
func seasonOf(ev *espnjson.Event, top topLevel) (season, seasonType, week int) {
	switch {
	case ev.Season.Year.OK:
		season = ev.Season.Year.Int()
	case top.season.Year.OK:
		season = top.season.Year.Int()
	}
	switch {
	case ev.Season.Type.OK:
		seasonType = ev.Season.Type.Int()
	case ev.SeasonType.Type.OK:
		seasonType = ev.SeasonType.Type.Int()
	case top.season.Type.OK:
		seasonType = top.season.Type.Int()
	}
	switch {
	case ev.Week.Number.OK:
		week = ev.Week.Number.Int()
	case top.week.OK:
		week = top.week.Int()
	}
	return season, seasonType, week
}

// classify maps ESPN's status to the API's. The state decides first, then
// completed; the name only tells apart the ways a game can end unplayed,
// because ESPN marks postponed and suspended games "post" with completed
// false (docs/espn.md, Status). Halftime, end of period, delays and every other name
// of an "in" game are live.
func classify(state string, completed bool, name string) game.Status {
	name = strings.ToUpper(strings.TrimSpace(name))
	switch strings.ToLower(strings.TrimSpace(state)) {
	case "pre":
		// A game called off before it started may stay "pre" at ESPN; it
		// must not linger as upcoming.
		switch unplayed(name) {
		case game.StatusPostponed:
			return game.StatusPostponed
		case game.StatusCanceled:
			return game.StatusCanceled
		}
		return game.StatusScheduled
	case "in":
		return game.StatusLive
	case "post":
		if completed {
			return game.StatusFinal
		}
		if s := unplayed(name); s != "" {
			return s
		}
		return game.StatusPostponed
	}
	// No usable state: fall back on completed, then on the name.
	if completed || name == "STATUS_FINAL" {
		return game.StatusFinal
	}
	if s := unplayed(name); s != "" {
		return s
	}
	switch name {
	case "STATUS_IN_PROGRESS", "STATUS_HALFTIME", "STATUS_END_PERIOD", "STATUS_OVERTIME",
		"STATUS_SHOOTOUT", "STATUS_DELAYED", "STATUS_RAIN_DELAY":
		return game.StatusLive
	}
	return game.StatusScheduled
}

func unplayed(name string) game.Status {
	switch name {
	case "STATUS_POSTPONED":
		return game.StatusPostponed
	case "STATUS_SUSPENDED", "STATUS_ABANDONED":
		// An abandoned soccer match is finished or replayed later, as a
		// suspended game is.
		return game.StatusSuspended
	case "STATUS_CANCELED", "STATUS_CANCELLED":
		return game.StatusCanceled
	}
	return ""
}

// period fills the clock fields. ESPN sends period 1 and "15:00" for some
// games that have not started (docs/espn.md, Status), so scheduled, postponed and
// canceled games get period 0 and no time; a final shows its last period
// (4 for an NHL overtime final) and "0:00" whatever ESPN's clock says
// (the NBA sends "0.0"). Live and suspended games show ESPN's clock.
func period(status game.Status, st *espnjson.Status, comp *espnjson.Competition, l league.League) game.Period {
	p := game.Period{Total: l.Periods}
	if n := comp.Format.Regulation.Periods.Int(); n > 0 && n < 100 {
		p.Total = n
	}
	current := st.Period.Number().Int()
	if current < 0 {
		current = 0
	}
	switch status {
	case game.StatusLive, game.StatusSuspended:
		p.Current = current
		p.TimeRemaining = st.DisplayClock.Text()
	case game.StatusFinal:
		p.Current = current
		if p.Current == 0 {
			p.Current = p.Total
		}
		p.TimeRemaining = "0:00"
	}
	return p
}

func competitorRecord(c *espnjson.Competitor, l league.League) *game.Record {
	for _, r := range c.Records {
		if r.Type == "total" {
			return leagueRecord(firstNonEmpty(r.Summary.String(), r.DisplayValue), l)
		}
	}
	if len(c.Record) > 0 && c.Record[0] == '[' {
		var recs []espnjson.Record
		_ = json.Unmarshal(c.Record, &recs)
		for _, r := range recs {
			if r.Type == "total" {
				return leagueRecord(firstNonEmpty(r.DisplayValue, r.Summary.String()), l)
			}
		}
	}
	return nil
}

// leagueRecord reads a record summary the way the league writes it: soccer
// writes wins, draws, losses ("0-2-3" is no win, two draws, three losses)
// and its record carries the league points (three for a win, one for a
// draw).
func leagueRecord(summary string, l league.League) *game.Record {
	r := parseRecord(summary, l.OTLosses)
	if r == nil || !l.Draws() {
		return r
	}
	if strings.Count(summary, "-") != 2 {
		return nil
	}
	draws := r.Losses
	r.Losses = *r.Ties
	r.Ties = &draws
	points := 3*r.Wins + draws
	r.Points = &points
	return r
}

// parseRecord reads "7-2", "7-2-1" or the NHL's "52-24-6". The third number
// is overtime losses in leagues that count them and ties elsewhere; a
// two-part record gets an explicit zero so the JSON shape stays the same
// all season.
func parseRecord(summary string, otLosses bool) *game.Record {
	parts := strings.Split(strings.TrimSpace(summary), "-")
	if len(parts) < 2 || len(parts) > 3 {
		return nil
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 10000 {
			return nil
		}
		nums[i] = n
	}
	r := &game.Record{Wins: nums[0], Losses: nums[1]}
	third := 0
	if len(nums) == 3 {
		third = nums[2]
	}
	if otLosses {
		r.OTLosses = &third
	} else {
		r.Ties = &third
	}
	return r
}

// buildTeam turns ESPN's team object into the API's. A team without an
// abbreviation cannot get an id and is rejected.
func buildTeam(l league.League, t *espnjson.Team, rec *game.Record) (game.Team, bool) {
	if t == nil {
		return game.Team{}, false
	}
	abbr := strings.TrimSpace(t.Abbreviation)
	if abbr == "" {
		return game.Team{}, false
	}
	name := firstNonEmpty(t.DisplayName.String(), strings.TrimSpace(t.Location+" "+t.Name), abbr)
	logo := t.Logo.String()
	if logo == "" {
		for _, lg := range t.Logos {
			if lg.Href != "" {
				logo = lg.Href
				break
			}
		}
	}
	return game.Team{
		ID:           game.TeamID(l.Key, abbr),
		Name:         name,
		Abbreviation: abbr,
		Logo:         logo,
		Colors: game.Colors{
			Primary:   color(t.Color.String(), game.DefaultColors.Primary),
			Secondary: color(t.AlternateColor.String(), game.DefaultColors.Secondary),
		},
		Record:    rec,
		ESPNID:    strings.TrimSpace(t.ID.Text()),
		ShortName: firstNonEmpty(t.ShortDisplayName.String(), t.Name),
		Location:  t.Location,
	}, true
}

// color accepts ESPN's hex without "#" (and, to be safe, with it); anything
// that is not a 3- or 6-digit hex colour gets the default, since the value
// goes straight into the dashboard's CSS.
func color(s, fallback string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) != 6 && len(s) != 3 {
		return fallback
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return fallback
		}
	}
	return "#" + s
}

func broadcasts(bs []espnjson.Broadcast) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		for _, have := range out {
			if have == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, b := range bs {
		for _, n := range b.Names {
			add(n.Text())
		}
		add(b.Media.ShortName)
	}
	return out
}

// details collects the extras ESPN sends on some states only; nil when
// there are none. Win probabilities are ESPN's fractions (0.4336), as
// TeamTracker shows them.
func details(status game.Status, comp *espnjson.Competition, homeTeam, awayTeam game.Team) *game.Details {
	var d game.Details
	if v := comp.Venue; v != nil && v.Address != nil && v.Address.City != nil {
		d.VenueCity = *v.Address.City
	}
	if len(comp.Notes) > 0 {
		d.Headline = comp.Notes[0].Headline
	}
	if s := comp.Situation; s != nil {
		// ESPN names the team with the ball by its id, not its abbreviation.
		switch pid := strings.TrimSpace(s.Possession.Text()); {
		case pid == "":
		case pid == homeTeam.ESPNID:
			d.Possession = homeTeam.Abbreviation
		case pid == awayTeam.ESPNID:
			d.Possession = awayTeam.Abbreviation
		}
		d.DownDistanceText = s.DownDistanceText.String()
		if lp := s.LastPlay; lp != nil {
			d.LastPlay = lp.Text.String()
			if p := lp.Probability; p != nil {
				d.HomeWinPct = p.HomeWinPercentage.Number().Ptr()
				d.AwayWinPct = p.AwayWinPercentage.Number().Ptr()
			}
		}
	}
	if status == game.StatusScheduled && len(comp.Odds) > 0 {
		o := comp.Odds[0]
		odds := game.Odds{
			Provider:  o.Provider.Name,
			Details:   o.Details.String(),
			OverUnder: o.OverUnder.Number().Ptr(),
			Spread:    o.Spread.Ptr(),
		}
		if odds.Provider != "" || odds.Details != "" || odds.OverUnder != nil || odds.Spread != nil {
			d.Odds = &odds
		}
	}
	if d == (game.Details{}) {
		return nil
	}
	return &d
}

// parseTime reads ESPN's "2022-11-20T18:00Z" and, in case ESPN adds
// seconds or an offset, the longer forms. Zero when unreadable.
func parseTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
