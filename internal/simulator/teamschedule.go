package simulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The team schedule differs from the scoreboard where the KC 2023 capture
// shows it: score is an object {value, displayValue} (absent before the
// game), records sit in record[], the season type in seasonType, and
// broadcasts use the media form.

type teamScheduleJSON struct {
	Simulated       bool             `json:"x-sports-data-simulated"`
	Note            string           `json:"x-sports-data-note"`
	Timestamp       string           `json:"timestamp"`
	Status          string           `json:"status"`
	Season          schedSeasonJSON  `json:"season"`
	Team            schedTeamJSON    `json:"team"`
	Events          []schedEventJSON `json:"events"`
	RequestedSeason schedSeasonJSON  `json:"requestedSeason"`
}

type schedSeasonJSON struct {
	Year        int    `json:"year"`
	Type        int    `json:"type"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Half        int    `json:"half,omitempty"`
}

type schedTeamJSON struct {
	ID            string `json:"id"`
	Abbreviation  string `json:"abbreviation"`
	Location      string `json:"location"`
	Name          string `json:"name"`
	DisplayName   string `json:"displayName"`
	Color         string `json:"color"`
	Logo          string `json:"logo"`
	RecordSummary string `json:"recordSummary"`
	SeasonSummary string `json:"seasonSummary"`
}

type schedEventJSON struct {
	ID        string `json:"id"`
	Date      string `json:"date"`
	Name      string `json:"name"`
	ShortName string `json:"shortName"`
	Season    struct {
		Year        int    `json:"year"`
		DisplayName string `json:"displayName"`
	} `json:"season"`
	SeasonType   seasonTypeJSON  `json:"seasonType"`
	Week         *weekJSON       `json:"week,omitempty"`
	TimeValid    bool            `json:"timeValid"`
	Competitions []schedCompJSON `json:"competitions"`
	// League is the event's competition; soccer schedules carry it.
	League *schedLeagueJSON `json:"league,omitempty"`
}

// schedLeagueJSON is the competition block of a soccer schedule's event,
// as the Tottenham fixtures capture shows it.
type schedLeagueJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Abbreviation string `json:"abbreviation"`
	Slug         string `json:"slug"`
	IsTournament bool   `json:"isTournament"`
}

type schedCompJSON struct {
	ID                string                `json:"id"`
	Date              string                `json:"date"`
	Attendance        int                   `json:"attendance"`
	Type              compTypeJSON          `json:"type"`
	TimeValid         bool                  `json:"timeValid"`
	NeutralSite       bool                  `json:"neutralSite"`
	BoxscoreAvailable bool                  `json:"boxscoreAvailable"`
	TicketsAvailable  bool                  `json:"ticketsAvailable"`
	Venue             venueJSON             `json:"venue"`
	Competitors       []schedCompetitorJSON `json:"competitors"`
	Notes             []struct{}            `json:"notes"`
	Broadcasts        []schedBroadcastJSON  `json:"broadcasts"`
	Status            statusJSON            `json:"status"`
}

type schedCompetitorJSON struct {
	ID       string            `json:"id"`
	Type     string            `json:"type"`
	Order    int               `json:"order"`
	HomeAway string            `json:"homeAway"`
	Winner   *bool             `json:"winner,omitempty"`
	Team     schedCompTeamJSON `json:"team"`
	Score    *scoreObjectJSON  `json:"score,omitempty"`
	Record   []schedRecordJSON `json:"record"`
}

type schedCompTeamJSON struct {
	ID               string         `json:"id"`
	Location         string         `json:"location"`
	Nickname         string         `json:"nickname"`
	Abbreviation     string         `json:"abbreviation"`
	DisplayName      string         `json:"displayName"`
	ShortDisplayName string         `json:"shortDisplayName"`
	Logos            []capturedLogo `json:"logos"`
}

type scoreObjectJSON struct {
	Value        json.Number `json:"value"`
	DisplayValue string      `json:"displayValue"`
}

type schedRecordJSON struct {
	ID               string `json:"id"`
	Abbreviation     string `json:"abbreviation,omitempty"`
	DisplayName      string `json:"displayName"`
	ShortDisplayName string `json:"shortDisplayName"`
	Description      string `json:"description"`
	Type             string `json:"type"`
	DisplayValue     string `json:"displayValue"`
}

type schedBroadcastJSON struct {
	Type struct {
		ID        string `json:"id"`
		ShortName string `json:"shortName"`
	} `json:"type"`
	Market struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"market"`
	Media struct {
		ShortName string `json:"shortName"`
	} `json:"media"`
	Lang   string `json:"lang"`
	Region string `json:"region"`
}

var (
	bodyBadSeason   = []byte(`{"code":400,"message":"Invalid season"}`)
	bodyUnknownTeam = []byte(`{"code":404,"message":"Team not found"}`)
)

// teamSchedule answers a team's season. A soccer club's lists only the
// matches that have begun, as ESPN's do (docs/espn.md): its coming ones
// are in its fixtures (see fixtures).
func (s *Sim) teamSchedule(lg *leagueSpec, ref, seasonParam string, now time.Time) (int, []byte) {
	t := findTeam(lg.teams, strings.TrimSpace(ref))
	if t == nil {
		return http.StatusNotFound, bodyUnknownTeam
	}
	nowE := now.In(eastern)
	current := lg.reg.SeasonFor(nowE.Year(), int(nowE.Month()))
	season := current
	if seasonParam != "" {
		n, err := strconv.Atoi(seasonParam)
		if err != nil || n < 1900 || n > 9999 {
			return http.StatusBadRequest, bodyBadSeason
		}
		season = n
	}
	book := s.books[lg.reg.Key]
	doc := teamScheduleJSON{
		Simulated: true, Note: markerNote,
		Timestamp: now.UTC().Format(time.RFC3339),
		Status:    "success",
		Season:    schedSeasonJSON{Year: current, Type: 2, Name: "Regular Season", DisplayName: seasonDisplay(lg, current), Half: 1},
		Team: schedTeamJSON{ID: t.id, Abbreviation: t.abbr, Location: t.location, Name: t.name, DisplayName: t.displayName,
			Color: t.color, Logo: t.logo, RecordSummary: book.total(book.at(t, now)), SeasonSummary: seasonDisplay(lg, current)},
		RequestedSeason: schedSeasonJSON{Year: season, Type: 2, Name: "Regular Season", DisplayName: seasonDisplay(lg, season)},
		Events:          []schedEventJSON{},
	}
	var plans []*gamePlan
	for _, p := range s.plans[lg.reg.Key] {
		if p.season == season && (p.home == t || p.away == t) && p.listedAt(now) && (!lg.soccer() || p.begunAt(now)) {
			plans = append(plans, p)
		}
	}
	sortPlans(plans, now)
	for _, p := range plans {
		doc.Events = append(doc.Events, s.scheduleEvent(p, now))
	}
	return http.StatusOK, encode(doc)
}

// fixtures answers soccer/all/teams/{id}/schedule of ESPN's site.web.api
// host: with fixture=true the club's matches not yet begun, else those
// begun, in every simulated soccer league, each event naming its
// competition. The document is the club's team schedule in its first
// simulated league.
func (s *Sim) fixtures(ref string, fixture bool, now time.Time) (int, []byte) {
	ref = strings.TrimSpace(ref)
	var home *leagueSpec
	var plans []*gamePlan
	for _, lg := range s.leagues {
		if !lg.soccer() {
			continue
		}
		t := findTeam(lg.teams, ref)
		if t == nil {
			continue
		}
		if home == nil {
			home = lg
		}
		for _, p := range s.plans[lg.reg.Key] {
			if (p.home == t || p.away == t) && p.listedAt(now) && p.begunAt(now) != fixture {
				plans = append(plans, p)
			}
		}
	}
	if home == nil {
		return http.StatusNotFound, bodyUnknownTeam
	}
	status, body := s.teamSchedule(home, ref, "", now)
	if status != http.StatusOK {
		return status, body
	}
	var doc teamScheduleJSON
	if err := json.Unmarshal(body, &doc); err != nil {
		return http.StatusInternalServerError, bodyError
	}
	sortPlans(plans, now)
	doc.Events = make([]schedEventJSON, 0, len(plans))
	for _, p := range plans {
		ev := s.scheduleEvent(p, now)
		ev.League = &schedLeagueJSON{ID: p.lg.id, Name: p.lg.fullName, Abbreviation: p.lg.reg.Name, Slug: p.lg.slug}
		doc.Events = append(doc.Events, ev)
	}
	return http.StatusOK, encode(doc)
}

func (s *Sim) scheduleEvent(p *gamePlan, now time.Time) schedEventJSON {
	st := p.stateAt(now)
	lg := p.lg
	book := s.books[lg.reg.Key]
	date := espnDate(st.date)
	ev := schedEventJSON{ID: p.id, Date: date, Name: p.away.displayName + " at " + p.home.displayName,
		ShortName: p.away.abbr + " @ " + p.home.abbr, SeasonType: regularSeason, TimeValid: true}
	ev.Season.Year, ev.Season.DisplayName = p.season, seasonDisplay(lg, p.season)
	if lg.nfl() {
		ev.Week = &weekJSON{Number: p.week, Text: "Week " + strconv.Itoa(p.week)}
	}
	comp := schedCompJSON{ID: p.id, Date: date, Type: compTypeJSON{ID: "1", Abbreviation: "STD"}, TimeValid: true,
		BoxscoreAvailable: st.status.completed, TicketsAvailable: st.status.state == phasePre,
		Venue:  venueJSON{ID: p.home.venue.ID, FullName: p.home.venue.FullName, Address: addressJSON{City: p.home.venue.City, State: p.home.venue.State}, Indoor: p.home.venue.Indoor},
		Notes:  []struct{}{},
		Status: p.statusJSON(st, true), Broadcasts: []schedBroadcastJSON{}}
	if st.status.completed || st.status.state == phaseIn {
		comp.Attendance = p.attendance()
	}
	for _, name := range p.broadcasts {
		var b schedBroadcastJSON
		b.Type.ID, b.Type.ShortName = "1", "TV"
		b.Market.ID, b.Market.Type = "1", "National"
		b.Media.ShortName = name
		b.Lang, b.Region = "en", "us"
		comp.Broadcasts = append(comp.Broadcasts, b)
	}
	// A final shows each team's record right after it, as the capture does;
	// anything else the record of the moment.
	recAt := now
	if st.status.completed {
		recAt = p.end
	}
	for i, sd := range []side{home, away} {
		t := p.sideTeam(sd)
		c := schedCompetitorJSON{ID: t.id, Type: "team", Order: i, HomeAway: "home",
			Team: schedCompTeamJSON{ID: t.id, Location: t.location, Nickname: t.shortDisplayName, Abbreviation: t.abbr,
				DisplayName: t.displayName, ShortDisplayName: t.shortDisplayName, Logos: t.logos}}
		score := st.home
		if sd == away {
			c.HomeAway = "away"
			score = st.away
		}
		if st.status.state == phaseIn || st.status.completed {
			c.Score = &scoreObjectJSON{Value: espnInt(score), DisplayValue: strconv.Itoa(score)}
		}
		if st.status.completed {
			w := !p.final.tie && p.final.winner == sd
			c.Winner = &w
		}
		r := book.at(t, recAt)
		c.Record = []schedRecordJSON{
			{ID: "0", Abbreviation: "Game", DisplayName: "Record Year To Date", ShortDisplayName: "YTD", Description: "Overall Record", Type: "total", DisplayValue: book.total(r)},
			{ID: "0", DisplayName: "Home", ShortDisplayName: "HOME", Description: "Home Record", Type: "home", DisplayValue: book.home(r)},
			{ID: "0", DisplayName: "Road", ShortDisplayName: "AWAY", Description: "Away Record", Type: "road", DisplayValue: book.road(r)},
		}
		comp.Competitors = append(comp.Competitors, c)
	}
	ev.Competitions = []schedCompJSON{comp}
	return ev
}
