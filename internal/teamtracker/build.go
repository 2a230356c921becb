package teamtracker

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/espnjson"
	"github.com/sports-data/sports-data/internal/kickoff"
)

// view is one event seen from one team: what TeamTracker computes for a
// competitor it matched.
type view struct {
	state string
	date  time.Time
	attrs map[string]any
}

// context is what the sensor adds to ESPN's event.
type context struct {
	league     string // TeamTracker's league id: "NFL"
	sport      string // ESPN sport path: "football"
	leaguePath string // ESPN league path: "nfl"
	now        time.Time
	loc        *time.Location // where last_update is written
	// teamAbbr is team_abbr until a team's own abbreviation replaces it:
	// the name TeamTracker searched for (searchKey).
	teamAbbr string
}

// fromEvent builds the attributes of ev's competition comp for the
// competitor at index ti, following TeamTracker's rules for every state
// and sport. The opponent is the other of two, or in a field the first
// (the second when ti is the first), as TeamTracker shows a field.
func fromEvent(ev *espnjson.Event, comp *espnjson.Competition, ti int, c context) view {
	oi := 1
	if ti != 0 {
		oi = 0
	}
	team := &comp.Competitors[ti]
	opp := &comp.Competitors[oi]
	a := newAttributes()
	a["league"], a["sport"] = c.league, c.sport
	a["sport_path"], a["league_path"] = c.sport, c.leaguePath
	a["team_abbr"] = c.teamAbbr

	st := comp.Status
	if st == nil {
		st = ev.Status
	}
	if st == nil {
		st = &espnjson.Status{}
	}
	state := strings.ToUpper(st.Type.State)
	if state == "" {
		state = StateNotFound
	}
	date, dateOK := eventValues(a, ev, comp, c)
	a["team_id"], a["opponent_id"] = value(team.ID), value(opp.ID)
	competitorValues(a, "team", team)
	competitorValues(a, "opponent", opp)
	// The followed competitor's kind decides, for both sides.
	if team.Type == "team" {
		teamSideValues(a, "team", team)
		teamSideValues(a, "opponent", opp)
	}
	a["quarter"] = value(st.Period)
	a["clock"] = value(st.Type.ShortDetail)

	switch state {
	case StatePre:
		// TeamTracker reads the odds of the event's first competition.
		if len(ev.Competitions) > 0 && len(ev.Competitions[0].Odds) > 0 {
			o := ev.Competitions[0].Odds[0]
			a["odds"], a["overunder"] = value(o.Details), value(o.OverUnder)
		}
	case StateIn:
		inValues(a, ev, comp, team, opp, c)
	}
	individualValues(a, ev, comp, ti, oi, state, c)

	// TeamTracker refreshes quickly while the game is on or about to be.
	a["private_fast_refresh"] = state == StateIn || state == StatePre && dateOK && kickoff.Soon(date, c.now)
	return view{state: state, date: date, attrs: a}
}

// eventValues are the attributes of the event itself: its id, name, link,
// date, season, series, venue and television; it returns the date.
func eventValues(a map[string]any, ev *espnjson.Event, comp *espnjson.Competition, c context) (time.Time, bool) {
	a["event_id"] = value(ev.ID)
	a["event_name"] = value(ev.ShortName)
	if len(ev.Links) > 0 {
		a["event_url"] = value(ev.Links[0].Href)
	}
	dateStr := comp.Date.String()
	if dateStr == "" {
		dateStr = ev.Date.String()
	}
	a["date"] = dateStr
	date, dateOK := espnDate(dateStr)
	if dateOK {
		a["kickoff_in"] = kickoff.Phrase(date, c.now)
	}
	a["season"] = value(ev.Season.Slug)
	if comp.Series != nil {
		a["series_summary"] = value(comp.Series.Summary)
	}
	if v := comp.Venue; v != nil {
		a["venue"] = value(v.FullName)
		if ad := v.Address; ad != nil {
			a["location"] = location(ad.City, ad.State, ad.Country, ad.Summary)
		}
	} else if ev.Circuit != nil {
		a["venue"] = value(ev.Circuit.FullName)
	}
	a["tv_network"] = tvNetwork(comp.Broadcasts)
	return date, dateOK
}

// tvNetwork is every broadcaster's name, joined by "/"; nil when none.
func tvNetwork(bs []espnjson.Broadcast) any {
	var names []string
	for _, b := range bs {
		for _, n := range b.Names {
			names = append(names, pyStr(n))
		}
	}
	if len(names) == 0 {
		return nil
	}
	return strings.Join(names, "/")
}

// location is "City, State, Country" of the parts ESPN sent, else its
// summary.
func location(city, state, country *string, summary espnjson.Value) any {
	var loc *string
	if city != nil {
		s := *city
		loc = &s
	}
	for _, part := range []*string{state, country} {
		if part == nil || *part == "" {
			continue
		}
		if loc != nil && *loc != "" {
			s := *loc + ", " + *part
			loc = &s
		} else {
			s := *part
			loc = &s
		}
	}
	if loc != nil {
		return *loc
	}
	return value(summary)
}

// competitorValues are one side's attributes, under prefix "team" or
// "opponent": a team's, or an athlete's or a doubles pair's (named from
// its athlete or roster, its logo its flag); the abbreviation, side and
// colours are a team's only.
func competitorValues(a map[string]any, prefix string, x *espnjson.Competitor) {
	t := x.Team
	if t == nil {
		t = &espnjson.Team{}
	}
	ath, roster := x.Athlete, x.Roster
	if ath == nil {
		ath = &espnjson.Athlete{}
	}
	if roster == nil {
		roster = &espnjson.Athlete{}
	}
	a[prefix+"_name"] = firstValue(t.ShortDisplayName, ath.DisplayName, roster.ShortDisplayName)
	a[prefix+"_long_name"] = firstValue(t.DisplayName, ath.DisplayName, roster.DisplayName)
	if len(x.Records) > 0 {
		a[prefix+"_record"] = value(x.Records[0].Summary)
	}
	var flag espnjson.Value
	if x.Athlete != nil && x.Athlete.Flag != nil {
		flag = x.Athlete.Flag.Href
	}
	a[prefix+"_logo"] = firstValueOr(DefaultLogo, t.Logo, flag)
	if len(t.Links) > 0 {
		a[prefix+"_url"] = value(t.Links[0].Href)
	}
	a[prefix+"_winner"] = boolish(x.Winner)
	if x.CuratedRank != nil && present(x.CuratedRank.Current) {
		if n, ok := number(x.CuratedRank.Current); !ok || n != 99 {
			a[prefix+"_rank"] = value(x.CuratedRank.Current)
		}
	}
	if present(t.ConferenceID) {
		a[prefix+"_conference_id"] = pyStr(t.ConferenceID)
	}
	// A shoot-out score follows the score in brackets: "3(4)".
	if present(x.ShootoutScore) {
		a[prefix+"_score"] = pyStr(x.Score) + "(" + pyStr(x.ShootoutScore) + ")"
	} else {
		a[prefix+"_score"] = value(x.Score)
	}
}

// teamSideValues are what TeamTracker adds for a competitor that is a
// team: its abbreviation, side and colours (ESPN's hex without '#';
// TeamTracker's defaults are greys).
func teamSideValues(a map[string]any, prefix string, x *espnjson.Competitor) {
	t := x.Team
	if t == nil {
		t = &espnjson.Team{}
	}
	a[prefix+"_abbr"] = nil
	if t.Abbreviation != "" {
		a[prefix+"_abbr"] = t.Abbreviation
	}
	a[prefix+"_homeaway"] = value(x.HomeAway)
	def := "D3D3D3"
	if prefix == "opponent" {
		def = "A9A9A9"
	}
	color := def
	if present(t.Color) {
		color = pyStr(t.Color)
	}
	alt := color
	if present(t.AlternateColor) {
		alt = pyStr(t.AlternateColor)
	}
	a[prefix+"_colors"] = []string{"#" + color, "#" + alt}
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// inValues are the attributes of a game being played.
func inValues(a map[string]any, ev *espnjson.Event, comp *espnjson.Competition, team, opp *espnjson.Competitor, c context) {
	sit := comp.Situation
	if sit == nil {
		sit = &espnjson.Situation{}
	}
	a["down_distance_text"] = value(sit.DownDistanceText)
	a["possession"] = value(sit.Possession)
	var homeProb, awayProb espnjson.Value
	var lastPlay espnjson.Value
	if lp := sit.LastPlay; lp != nil {
		lastPlay = lp.Text
		if p := lp.Probability; p != nil {
			homeProb, awayProb = p.HomeWinPercentage, p.AwayWinPercentage
		}
	}
	if h, _ := text(team.HomeAway); h == "home" {
		a["team_timeouts"], a["opponent_timeouts"] = value(sit.HomeTimeouts), value(sit.AwayTimeouts)
		a["team_win_probability"] = orValue(homeProb, defaultWinProbability)
		a["opponent_win_probability"] = orValue(awayProb, defaultWinProbability)
	} else {
		a["team_timeouts"], a["opponent_timeouts"] = value(sit.AwayTimeouts), value(sit.HomeTimeouts)
		a["team_win_probability"] = orValue(awayProb, defaultWinProbability)
		a["opponent_win_probability"] = orValue(homeProb, defaultWinProbability)
	}
	a["last_play"] = value(lastPlay)

	switch c.sport {
	case "baseball":
		baseballValues(a, ev, sit)
	case "soccer":
		soccerValues(a, comp, team, opp)
	case "volleyball":
		volleyballValues(a, ev, team, opp)
	case "hockey":
		hockeyValues(a, team, opp)
	}
}

// baseballValues: the inning as ESPN details it, the count, the bases, and
// possession as the id of the team at bat.
func baseballValues(a map[string]any, ev *espnjson.Event, sit *espnjson.Situation) {
	clock := ""
	if ev.Status != nil {
		if s, ok := text(ev.Status.Type.Detail); ok {
			clock = s
		}
	}
	a["clock"] = clock
	half := strings.ToLower(clock[:min(3, len(clock))])
	home := a["team_homeaway"] != nil && pyStr(espnjson.Value(a["team_homeaway"].(json.RawMessage))) == "home"
	// The home side bats in the bottom (and middle) of an inning.
	if (half == "bot" || half == "mid") == home {
		a["possession"] = a["team_id"]
	} else {
		a["possession"] = a["opponent_id"]
	}
	a["outs"], a["balls"], a["strikes"] = value(sit.Outs), value(sit.Balls), value(sit.Strikes)
	a["on_first"], a["on_second"], a["on_third"] = value(sit.OnFirst), value(sit.OnSecond), value(sit.OnThird)
}

// soccerValues: shots from the statistics, and a last play made of the
// possession split and the match's key events.
func soccerValues(a map[string]any, comp *espnjson.Competition, team, opp *espnjson.Competitor) {
	stats := func(x *espnjson.Competitor, prefix string) string {
		a[prefix+"_shots_on_target"], a[prefix+"_total_shots"] = 0, 0
		pp := ""
		for _, s := range x.Statistics {
			switch {
			case strings.Contains(s.Name, "shotsOnTarget"):
				a[prefix+"_shots_on_target"] = value(s.DisplayValue)
			case strings.Contains(s.Name, "totalShots"):
				a[prefix+"_total_shots"] = value(s.DisplayValue)
			case strings.Contains(s.Name, "possessionPct"):
				if v, ok := text(s.DisplayValue); ok {
					pp = v
				} else if present(s.DisplayValue) {
					pp = pyStr(s.DisplayValue)
				}
			}
		}
		return pp
	}
	teamPP, oppPP := stats(team, "team"), stats(opp, "opponent")
	teamAbbr, _ := a["team_abbr"].(string)
	oppAbbr, _ := a["opponent_abbr"].(string)
	var b strings.Builder
	if teamPP != "" && oppPP != "" {
		b.WriteString(teamAbbr + " " + teamPP + "%, " + oppAbbr + " " + oppPP + "%; ")
	}
	teamID := pyStr(team.ID)
	for _, d := range comp.Details {
		clock, kind, who := "{clock}", "{type}", "{displayName}"
		if d.Clock != nil && d.Clock.DisplayValue != nil {
			clock = *d.Clock.DisplayValue
		}
		if d.Type != nil && d.Type.Text != nil {
			kind = *d.Type.Text
		}
		if len(d.AthletesInvolved) > 0 && d.AthletesInvolved[0].DisplayName != nil {
			who = *d.AthletesInvolved[0].DisplayName
		}
		b.WriteString("     " + clock + "  " + kind + ": " + who)
		if d.Team != nil && present(d.Team.ID) && pyStr(d.Team.ID) == teamID {
			b.WriteString(" (" + teamAbbr + ")")
		} else {
			b.WriteString(" (" + oppAbbr + ")          ")
		}
	}
	a["last_play"] = b.String()
}

// volleyballValues: sets won are the score, the score is the current
// set's points, and the last play lists every set.
func volleyballValues(a map[string]any, ev *espnjson.Event, team, opp *espnjson.Competitor) {
	if ev.Status != nil {
		a["clock"] = value(ev.Status.Type.Detail)
	}
	a["team_sets_won"], a["opponent_sets_won"] = a["team_score"], a["opponent_score"]
	last := func(x *espnjson.Competitor) any {
		if n := len(x.Linescores); n > 0 {
			return orValue(x.Linescores[n-1].Value, 0)
		}
		return 0
	}
	a["team_score"], a["opponent_score"] = last(team), last(opp)
	teamAbbr, _ := a["team_abbr"].(string)
	oppAbbr, _ := a["opponent_abbr"].(string)
	points := func(x *espnjson.Competitor, i int) int {
		if i < len(x.Linescores) {
			n, _ := pyInt(x.Linescores[i].Value)
			return n
		}
		return 0
	}
	var b strings.Builder
	for i := range team.Linescores {
		b.WriteString(" Set " + itoa(i+1) + ": " + teamAbbr + " " + itoa(points(team, i)) + " " + oppAbbr + " " + itoa(points(opp, i)) + "; ")
	}
	a["last_play"] = b.String()
}

// hockeyValues: shots on goal are the goals scored plus the saves of the
// other side's goalie.
func hockeyValues(a map[string]any, team, opp *espnjson.Competitor) {
	shots := func(scorer, keeper *espnjson.Competitor) any {
		var out any = 0
		for _, s := range keeper.Statistics {
			if !strings.Contains(s.Name, "saves") {
				continue
			}
			goals, ok1 := pyInt(scorer.Score)
			saves, ok2 := pyInt(s.DisplayValue)
			if !present(s.DisplayValue) {
				saves, ok2 = 0, true
			}
			if ok1 && ok2 {
				out = goals + saves
			}
		}
		return out
	}
	a["team_shots_on_target"] = shots(team, opp)
	a["opponent_shots_on_target"] = shots(opp, team)
}
