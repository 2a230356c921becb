package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Every answer carries these two keys first: the data is derived, never
// captured. ESPN clients ignore keys they do not know.
const (
	markerKey  = "x-sports-data-simulated"
	markerNote = "Simulated by sports-data's season simulator: shapes derived from real ESPN captures, games and scores invented. Not captured data."
)

// espnFloat writes a number as ESPN's newer answers do: 710.0, not 710.
// A json.Number is written as is, which is much cheaper than a MarshalJSON
// method, whose output the encoder re-validates.
func espnFloat(v float64) json.Number {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0.0"
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return json.Number(s)
}

// espnInt is espnFloat for whole numbers, the common case.
func espnInt(n int) json.Number {
	if n >= 0 && n < len(smallFloats) {
		return smallFloats[n]
	}
	return json.Number(strconv.Itoa(n) + ".0")
}

var smallFloats = func() []json.Number {
	out := make([]json.Number, 1201)
	for i := range out {
		out[i] = json.Number(strconv.Itoa(i) + ".0")
	}
	return out
}()

type idJSON struct {
	ID string `json:"id"`
}

type leagueJSON struct {
	ID                  string           `json:"id"`
	UID                 string           `json:"uid"`
	Name                string           `json:"name"`
	Abbreviation        string           `json:"abbreviation"`
	Slug                string           `json:"slug"`
	Season              leagueSeasonJSON `json:"season"`
	CalendarType        string           `json:"calendarType"`
	CalendarIsWhitelist bool             `json:"calendarIsWhitelist"`
	CalendarStartDate   string           `json:"calendarStartDate"`
	CalendarEndDate     string           `json:"calendarEndDate"`
}

type leagueSeasonJSON struct {
	Year        int            `json:"year"`
	StartDate   string         `json:"startDate"`
	EndDate     string         `json:"endDate"`
	DisplayName string         `json:"displayName"`
	Type        seasonTypeJSON `json:"type"`
}

type seasonTypeJSON struct {
	ID           string `json:"id"`
	Type         int    `json:"type"`
	Name         string `json:"name"`
	Abbreviation string `json:"abbreviation"`
}

var regularSeason = seasonTypeJSON{ID: "2", Type: 2, Name: "Regular Season", Abbreviation: "reg"}

type scoreboardJSON struct {
	Simulated bool         `json:"x-sports-data-simulated"`
	Note      string       `json:"x-sports-data-note"`
	Leagues   []leagueJSON `json:"leagues"`
	// Season, Week and Day are only on requests without dates (docs/espn.md, Answers).
	Season *struct {
		Type int `json:"type"`
		Year int `json:"year"`
	} `json:"season,omitempty"`
	Week *struct {
		Number int `json:"number"`
	} `json:"week,omitempty"`
	Day *struct {
		Date string `json:"date"`
	} `json:"day,omitempty"`
	Events []eventJSON `json:"events"`
}

type eventJSON struct {
	ID           string            `json:"id"`
	UID          string            `json:"uid"`
	Date         string            `json:"date"`
	Name         string            `json:"name"`
	ShortName    string            `json:"shortName"`
	Season       eventSeasonJSON   `json:"season"`
	Week         *weekJSON         `json:"week,omitempty"`
	Competitions []competitionJSON `json:"competitions"`
	Status       statusJSON        `json:"status"`
}

type eventSeasonJSON struct {
	Year int    `json:"year"`
	Type int    `json:"type"`
	Slug string `json:"slug"`
}

type weekJSON struct {
	Number int    `json:"number"`
	Text   string `json:"text,omitempty"`
}

type competitionJSON struct {
	ID                    string           `json:"id"`
	UID                   string           `json:"uid"`
	Date                  string           `json:"date"`
	Attendance            int              `json:"attendance"`
	Type                  compTypeJSON     `json:"type"`
	TimeValid             bool             `json:"timeValid"`
	NeutralSite           bool             `json:"neutralSite"`
	ConferenceCompetition *bool            `json:"conferenceCompetition,omitempty"`
	Recent                bool             `json:"recent"`
	Venue                 venueJSON        `json:"venue"`
	Competitors           []competitorJSON `json:"competitors"`
	Notes                 []struct{}       `json:"notes"`
	Situation             any              `json:"situation,omitempty"`
	Status                statusJSON       `json:"status"`
	Broadcasts            []broadcastJSON  `json:"broadcasts"`
	Format                formatJSON       `json:"format"`
	StartDate             string           `json:"startDate"`
	Broadcast             string           `json:"broadcast,omitempty"`
	Odds                  []oddsJSON       `json:"odds,omitempty"`
}

type compTypeJSON struct {
	ID           string `json:"id"`
	Abbreviation string `json:"abbreviation"`
}

type venueJSON struct {
	ID       string      `json:"id"`
	FullName string      `json:"fullName"`
	Address  addressJSON `json:"address"`
	Indoor   bool        `json:"indoor"`
}

type addressJSON struct {
	City  string `json:"city"`
	State string `json:"state,omitempty"`
}

type statusJSON struct {
	Clock        json.Number    `json:"clock"`
	DisplayClock string         `json:"displayClock"`
	Period       int            `json:"period"`
	Type         statusTypeJSON `json:"type"`
	IsTBDFlex    *bool          `json:"isTBDFlex,omitempty"`
}

type statusTypeJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	State       string `json:"state"`
	Completed   bool   `json:"completed"`
	Description string `json:"description"`
	Detail      string `json:"detail"`
	ShortDetail string `json:"shortDetail"`
	AltDetail   string `json:"altDetail,omitempty"`
}

type competitorJSON struct {
	ID         string          `json:"id"`
	UID        string          `json:"uid"`
	Type       string          `json:"type"`
	Order      int             `json:"order"`
	HomeAway   string          `json:"homeAway"`
	Winner     *bool           `json:"winner,omitempty"`
	Team       teamJSON        `json:"team"`
	Score      string          `json:"score"`
	Linescores []linescoreJSON `json:"linescores,omitempty"`
	Statistics []struct{}      `json:"statistics"`
	Records    []recordJSON    `json:"records"`
	// ShootoutScore is soccer's penalty shoot-out goals, after one only.
	ShootoutScore *int `json:"shootoutScore,omitempty"`
}

type teamJSON struct {
	ID               string `json:"id"`
	UID              string `json:"uid"`
	Location         string `json:"location"`
	Name             string `json:"name"`
	Abbreviation     string `json:"abbreviation"`
	DisplayName      string `json:"displayName"`
	ShortDisplayName string `json:"shortDisplayName"`
	Color            string `json:"color"`
	AlternateColor   string `json:"alternateColor"`
	IsActive         bool   `json:"isActive"`
	Venue            idJSON `json:"venue"`
	Logo             string `json:"logo"`
}

type linescoreJSON struct {
	Value        json.Number `json:"value"`
	DisplayValue string      `json:"displayValue"`
	Period       int         `json:"period"`
}

type recordJSON struct {
	Name         string `json:"name"`
	Abbreviation string `json:"abbreviation,omitempty"`
	Type         string `json:"type"`
	Summary      string `json:"summary"`
}

type broadcastJSON struct {
	Market string   `json:"market"`
	Names  []string `json:"names"`
}

type formatJSON struct {
	Regulation struct {
		Periods int `json:"periods"`
	} `json:"regulation"`
}

type oddsJSON struct {
	Provider struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Priority int    `json:"priority"`
	} `json:"provider"`
	Details      string       `json:"details"`
	OverUnder    json.Number  `json:"overUnder"`
	Spread       json.Number  `json:"spread"`
	AwayTeamOdds teamOddsJSON `json:"awayTeamOdds"`
	HomeTeamOdds teamOddsJSON `json:"homeTeamOdds"`
}

type teamOddsJSON struct {
	Favorite bool         `json:"favorite"`
	Underdog bool         `json:"underdog"`
	Team     oddsTeamJSON `json:"team"`
}

type oddsTeamJSON struct {
	ID           string `json:"id"`
	UID          string `json:"uid"`
	Abbreviation string `json:"abbreviation"`
	Name         string `json:"name"`
	DisplayName  string `json:"displayName"`
	Logo         string `json:"logo"`
}

type nflSituationJSON struct {
	LastPlay              lastPlayJSON `json:"lastPlay"`
	Down                  int          `json:"down,omitempty"`
	YardLine              int          `json:"yardLine,omitempty"`
	Distance              int          `json:"distance,omitempty"`
	DownDistanceText      string       `json:"downDistanceText,omitempty"`
	ShortDownDistanceText string       `json:"shortDownDistanceText,omitempty"`
	PossessionText        string       `json:"possessionText,omitempty"`
	IsRedZone             bool         `json:"isRedZone"`
	HomeTimeouts          int          `json:"homeTimeouts"`
	AwayTimeouts          int          `json:"awayTimeouts"`
	Possession            string       `json:"possession,omitempty"`
}

type nhlSituationJSON struct {
	LastPlay lastPlayJSON `json:"lastPlay"`
}

type lastPlayJSON struct {
	ID          string           `json:"id"`
	Type        playTypeJSON     `json:"type"`
	Text        string           `json:"text"`
	ScoreValue  int              `json:"scoreValue"`
	Team        *idJSON          `json:"team,omitempty"`
	Probability *probabilityJSON `json:"probability,omitempty"`
}

type playTypeJSON struct {
	ID           string `json:"id"`
	Text         string `json:"text"`
	Abbreviation string `json:"abbreviation,omitempty"`
}

type probabilityJSON struct {
	TiePercentage     float64 `json:"tiePercentage"`
	HomeWinPercentage float64 `json:"homeWinPercentage"`
	AwayWinPercentage float64 `json:"awayWinPercentage"`
	SecondsLeft       int     `json:"secondsLeft"`
}

func (lg *leagueSpec) leagueBlock(season int) leagueJSON {
	var start, end time.Time
	switch {
	case lg.nfl():
		start = time.Date(season, time.August, 1, 7, 0, 0, 0, time.UTC)
		end = time.Date(season+1, time.February, 15, 7, 59, 0, 0, time.UTC)
	case lg.soccer():
		start = time.Date(season, time.February, 1, 5, 0, 0, 0, time.UTC)
		end = time.Date(season, time.December, 15, 4, 59, 0, 0, time.UTC)
	default:
		start = time.Date(season-1, time.July, 23, 7, 0, 0, 0, time.UTC)
		end = time.Date(season, time.July, 1, 6, 59, 0, 0, time.UTC)
	}
	return leagueJSON{
		ID: lg.id, UID: lg.uidPrefix, Name: lg.fullName, Abbreviation: lg.reg.Name, Slug: lg.slug,
		Season:       leagueSeasonJSON{Year: season, StartDate: espnDate(start), EndDate: espnDate(end), DisplayName: seasonDisplay(lg, season), Type: regularSeason},
		CalendarType: lg.calendarType, CalendarIsWhitelist: true,
		CalendarStartDate: espnDate(start), CalendarEndDate: espnDate(end),
	}
}

// seasonDisplay is "2026" (NFL) or "2026-27" (NHL), as ESPN names seasons.
func seasonDisplay(lg *leagueSpec, season int) string {
	if lg.nfl() || lg.soccer() {
		return strconv.Itoa(season)
	}
	return fmt.Sprintf("%d-%02d", season-1, season%100)
}

func (b *recordBook) records(t *team, at time.Time) []recordJSON {
	r := b.at(t, at)
	if b.otl {
		return []recordJSON{
			{Name: "Total", Abbreviation: "TOTAL", Type: "total", Summary: b.total(r)},
			{Name: "Home", Abbreviation: "HOME", Type: "home", Summary: b.home(r)},
			{Name: "Road", Abbreviation: "AWAY", Type: "road", Summary: b.road(r)},
		}
	}
	return []recordJSON{
		{Name: "overall", Abbreviation: "Game", Type: "total", Summary: b.total(r)},
		{Name: "Home", Type: "home", Summary: b.home(r)},
		{Name: "Road", Type: "road", Summary: b.road(r)},
	}
}

func (p *gamePlan) statusJSON(st gameState, competition bool) statusJSON {
	clock, display := st.clock, displayClock(st.clock)
	if p.lg.soccer() {
		clock, display = p.soccerStatusClock(st)
	}
	s := statusJSON{
		Clock: espnInt(clock), DisplayClock: display, Period: st.period,
		Type: statusTypeJSON{ID: st.status.id, Name: st.status.name, State: string(st.status.state), Completed: st.status.completed,
			Description: st.status.description, Detail: st.status.detail, ShortDetail: st.status.shortDetail, AltDetail: st.status.altDetail},
	}
	if competition && p.lg.nfl() {
		f := false
		s.IsTBDFlex = &f
	}
	return s
}

func teamBlock(t *team) teamJSON {
	return teamJSON{ID: t.id, UID: t.uid, Location: t.location, Name: t.name, Abbreviation: t.abbr, DisplayName: t.displayName,
		ShortDisplayName: t.shortDisplayName, Color: t.color, AlternateColor: t.alternateColor, IsActive: true, Venue: idJSON{ID: t.venue.ID}, Logo: t.logo}
}

// event renders one scoreboard event at time t.
func (s *Sim) event(p *gamePlan, t time.Time) eventJSON {
	st := p.stateAt(t)
	lg := p.lg
	book := s.books[lg.reg.Key]
	date := espnDate(st.date)
	ev := eventJSON{
		ID: p.id, UID: lg.uidPrefix + "~e:" + p.id, Date: date,
		Name:      p.away.displayName + " at " + p.home.displayName,
		ShortName: p.away.abbr + " @ " + p.home.abbr,
		Season:    eventSeasonJSON{Year: p.season, Type: p.seasonType, Slug: "regular-season"},
		Status:    p.statusJSON(st, false),
	}
	if lg.nfl() {
		ev.Week = &weekJSON{Number: p.week}
	}
	hl, al := p.lines(st)
	comp := competitionJSON{
		ID: p.id, UID: ev.UID + "~c:" + p.id, Date: date, Type: compTypeJSON{ID: "1", Abbreviation: "STD"},
		TimeValid: true, Recent: st.status.state != phasePre,
		Venue:     venueJSON{ID: p.home.venue.ID, FullName: p.home.venue.FullName, Address: addressJSON{City: p.home.venue.City, State: p.home.venue.State}, Indoor: p.home.venue.Indoor},
		Notes:     []struct{}{},
		Status:    p.statusJSON(st, true),
		StartDate: date,
	}
	comp.Format.Regulation.Periods = lg.reg.Periods
	if lg.nfl() {
		f := false
		comp.ConferenceCompetition = &f
	}
	comp.Broadcasts = []broadcastJSON{}
	if len(p.broadcasts) > 0 {
		comp.Broadcasts = append(comp.Broadcasts, broadcastJSON{Market: "national", Names: p.broadcasts})
		comp.Broadcast = strings.Join(p.broadcasts, "/")
	}
	if st.status.completed || st.status.state == phaseIn {
		comp.Attendance = p.attendance()
	}
	for i, side := range []side{home, away} {
		tm := p.sideTeam(side)
		c := competitorJSON{ID: tm.id, UID: tm.uid, Type: "team", Order: i, HomeAway: "home", Team: teamBlock(tm),
			Statistics: []struct{}{}, Records: book.records(tm, t)}
		c.Score = scoreString(st.home)
		lines := hl
		if side == away {
			c.HomeAway = "away"
			c.Score = scoreString(st.away)
			lines = al
		}
		if st.status.state != phasePre && !(st.status.state == phasePost && !st.status.completed) {
			for per, v := range lines {
				c.Linescores = append(c.Linescores, linescoreJSON{Value: espnInt(v), DisplayValue: strconv.Itoa(v), Period: per + 1})
			}
		}
		if st.status.completed {
			w := (!p.final.tie || p.final.pens) && p.final.winner == side
			c.Winner = &w
			if p.final.pens {
				pens := p.final.pensHome
				if side == away {
					pens = p.final.pensAway
				}
				c.ShootoutScore = &pens
			}
		}
		comp.Competitors = append(comp.Competitors, c)
	}
	if st.status.state == phaseIn {
		comp.Situation = p.situation(st, t)
	}
	if st.status.state == phasePre && lg.nfl() {
		comp.Odds = []oddsJSON{p.odds()}
	}
	ev.Competitions = []competitionJSON{comp}
	return ev
}

func (p *gamePlan) attendance() int {
	h := mix(p.seed ^ 0xa77e)
	if p.lg.nfl() {
		return 58000 + int(h%17000)
	}
	return 14000 + int(h%5500)
}

func (p *gamePlan) odds() oddsJSON {
	var o oddsJSON
	o.Provider.ID, o.Provider.Name, o.Provider.Priority = "58", "ESPN BET", 1
	fav := p.home
	if p.spread > 0 {
		fav = p.away
	}
	o.Details = fmt.Sprintf("%s -%s", fav.abbr, strconv.FormatFloat(math.Abs(p.spread), 'f', -1, 64))
	o.OverUnder = espnFloat(p.overUnder)
	o.Spread = espnFloat(p.spread)
	ot := func(t *team) oddsTeamJSON {
		return oddsTeamJSON{ID: t.id, UID: t.uid, Abbreviation: t.abbr, Name: t.name, DisplayName: t.displayName, Logo: t.logo}
	}
	o.HomeTeamOdds = teamOddsJSON{Favorite: fav == p.home, Underdog: fav != p.home, Team: ot(p.home)}
	o.AwayTeamOdds = teamOddsJSON{Favorite: fav == p.away, Underdog: fav != p.away, Team: ot(p.away)}
	return o
}

// encode writes v compactly, as ESPN does, without escaping "&" and "<".
func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only the types above are encoded; none can fail.
		panic(fmt.Sprintf("simulator: encoding: %v", err))
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
