package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/tz"
)

// Scoreboard paths of the two leagues the scenarios follow.
const (
	scNFLPath = "/football/nfl/scoreboard"
	scNHLPath = "/hockey/nhl/scoreboard"

	scNFLCapture = "nfl/scoreboard-2022-wk1-sun-live-mixed.json"
	scNHLCapture = "nhl/scoreboard-2022-09-25-preseason-live-mixed-ot.json"
)

// scFeed is an ESPN stand-in whose scoreboards the test sets frame by
// frame. Every request of a scoreboard path (the day, yesterday and the
// month alike) gets the current frame of that path; the feed counts how
// often the current frame has been served, so a test can keep a frame up
// for several polls.
type scFeed struct {
	*espntest.Server
	mu     sync.Mutex
	bodies map[string][]byte
	served map[string]int
}

func newScFeed(t *testing.T) *scFeed {
	f := &scFeed{Server: espntest.NewServer(t), bodies: map[string][]byte{}, served: map[string]int{}}
	f.ServeFixture(t, "/football/nfl/teams", "nfl/teams.json")
	f.ServeFixture(t, "/hockey/nhl/teams", "nhl/teams.json")
	for _, p := range []string{scNFLPath, scNHLPath} {
		path := p
		f.Handle(path, func(w http.ResponseWriter, _ *http.Request) {
			f.mu.Lock()
			body := f.bodies[path]
			f.served[path]++
			f.mu.Unlock()
			if body == nil {
				http.NotFound(w, nil)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		})
	}
	// A league without a scripted game shows an empty day, derived from
	// its capture with the events removed, so its polls succeed.
	f.set(scNFLPath, scEmptyDay(t, scNFLCapture))
	f.set(scNHLPath, scEmptyDay(t, scNHLCapture))
	return f
}

func (f *scFeed) set(path string, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bodies[path] = body
	f.served[path] = 0
}

func (f *scFeed) servedCount(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served[path]
}

// scEmptyDay is a capture with no events: a day without games.
func scEmptyDay(t *testing.T, rel string) []byte {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
	doc["events"] = []any{}
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}

// scFrame is one state of a scripted game. Everything else of the event
// stays as the capture has it.
type scFrame struct {
	State  string // pre, in, post
	Period int
	Clock  string // displayClock, "M:SS"
	Home   int
	Away   int
	Detail string // status.type.detail; shortDetail is derived from it
	Name   string // status.type.name; derived from State when empty
}

// status is the API word the frame must be served as.
func (fr scFrame) status() string {
	switch fr.State {
	case "pre":
		return "scheduled"
	case "in":
		return "live"
	}
	return "final"
}

// apiPeriod is what the service reports: 0 before the start (ESPN sends
// period 1 for games that have not begun).
func (fr scFrame) apiPeriod() int {
	if fr.State == "pre" {
		return 0
	}
	return fr.Period
}

// apiClock is the time remaining the service reports.
func (fr scFrame) apiClock() string {
	switch fr.State {
	case "pre":
		return ""
	case "post":
		return "0:00"
	}
	return fr.Clock
}

// stateKey is what makes a stored change: status, score and period, not
// the clock.
func (fr scFrame) stateKey() string {
	return fmt.Sprintf("%s %d-%d p%d", fr.status(), fr.Home, fr.Away, fr.apiPeriod())
}

// scGame is one event of a real capture, moved to today, whose status,
// clock and scores the test rewrites frame by frame.
type scGame struct {
	League   string // nfl, nhl
	Path     string
	ID       string
	Home     string // abbreviations as in the capture
	Away     string
	HomeName string
	AwayName string
	Start    time.Time
	doc      map[string]any // the capture without its events
	event    []byte         // the pristine event, JSON
}

// scLoadGame takes event id of a capture. The game is moved to start at
// start; frames are derived from it with scGame.body.
func scLoadGame(t *testing.T, leagueKey, path, rel, id string, start time.Time) *scGame {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(espntest.Load(t, rel), &doc))
	events, _ := doc["events"].([]any)
	g := &scGame{League: leagueKey, Path: path, ID: id, Start: start.UTC().Truncate(time.Minute)}
	for _, e := range events {
		ev := e.(map[string]any)
		if ev["id"] != id {
			continue
		}
		comp := ev["competitions"].([]any)[0].(map[string]any)
		for _, c := range comp["competitors"].([]any) {
			cm := c.(map[string]any)
			team := cm["team"].(map[string]any)
			if cm["homeAway"] == "home" {
				g.Home, g.HomeName = team["abbreviation"].(string), team["displayName"].(string)
			} else {
				g.Away, g.AwayName = team["abbreviation"].(string), team["displayName"].(string)
			}
		}
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		g.event = b
	}
	require.NotNil(t, g.event, "event %s not in %s", id, rel)
	delete(doc, "events")
	g.doc = doc
	return g
}

// body is a scoreboard holding the game in the state of fr. Derived from
// the capture: only the dates (moved to g.Start), the status (state,
// completed, name, description, detail, shortDetail, period, displayClock,
// clock; event and competition alike) and the competitors' score strings
// differ from what ESPN sent.
func (g *scGame) body(t *testing.T, fr scFrame) []byte {
	var ev map[string]any
	require.NoError(t, json.Unmarshal(g.event, &ev))
	date := g.Start.Format("2006-01-02T15:04Z")
	ev["date"] = date
	comp := ev["competitions"].([]any)[0].(map[string]any)
	comp["date"] = date
	if _, ok := comp["startDate"]; ok {
		comp["startDate"] = date
	}
	st := map[string]any{}
	if old, ok := comp["status"].(map[string]any); ok {
		st = old
	}
	typ := map[string]any{}
	if old, ok := st["type"].(map[string]any); ok {
		typ = old
	}
	name, desc, id := fr.Name, "", ""
	switch fr.State {
	case "pre":
		if name == "" {
			name = "STATUS_SCHEDULED"
		}
		desc, id = "Scheduled", "1"
	case "in":
		if name == "" {
			name = "STATUS_IN_PROGRESS"
		}
		desc, id = "In Progress", "2"
	default:
		if name == "" {
			name = "STATUS_FINAL"
		}
		desc, id = "Final", "3"
	}
	detail := fr.Detail
	if detail == "" && fr.State == "pre" {
		detail = g.Start.In(scEastern(t)).Format("Mon, January 2 at 3:04 PM MST")
	}
	typ["state"] = fr.State
	typ["completed"] = fr.State == "post"
	typ["name"] = name
	typ["description"] = desc
	typ["id"] = id
	typ["detail"] = detail
	typ["shortDetail"] = strings.Replace(strings.Replace(detail, " Quarter", "", 1), " Period", "", 1)
	st["type"] = typ
	st["period"] = fr.Period
	st["displayClock"] = fr.Clock
	st["clock"] = scClockSeconds(fr.Clock)
	comp["status"] = st
	if _, ok := ev["status"]; ok {
		// The event repeats the competition's status.
		ev["status"] = st
	}
	for _, c := range comp["competitors"].([]any) {
		cm := c.(map[string]any)
		if cm["homeAway"] == "home" {
			cm["score"] = strconv.Itoa(fr.Home)
		} else {
			cm["score"] = strconv.Itoa(fr.Away)
		}
	}
	doc := make(map[string]any, len(g.doc)+1)
	for k, v := range g.doc {
		doc[k] = v
	}
	doc["events"] = []any{ev}
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}

func scClockSeconds(clock string) float64 {
	m, s, ok := strings.Cut(clock, ":")
	if !ok {
		return 0
	}
	mi, _ := strconv.Atoi(m)
	se, _ := strconv.ParseFloat(s, 64)
	return float64(mi*60) + se
}

func scEastern(t *testing.T) *time.Location {
	t.Helper()
	return tz.Eastern
}

// scHAStatus is the part of /api/v1/ha/game-status the scenarios read.
type scHAStatus struct {
	Team          string  `json:"team"`
	Status        string  `json:"status"`
	State         string  `json:"state"`
	GameID        *string `json:"game_id"`
	TeamScore     *int    `json:"team_score"`
	OpponentScore *int    `json:"opponent_score"`
	Period        *int    `json:"period"`
	Clock         *string `json:"clock"`
	StatusDetail  *string `json:"status_detail"`
}

// scWalk drives one scripted game through a running service.
type scWalk struct {
	t    *testing.T
	feed *scFeed
	g    *scGame
	// polls is how many times each frame is served after the service
	// showed it, so that one state is seen by many polls.
	polls int
}

// observed reports whether the service shows the game in the state of fr,
// seen from the home team.
func (w *scWalk) observed(s *service, fr scFrame) bool {
	var st scHAStatus
	path := "/api/v1/ha/game-status/" + w.g.League + "-" + strings.ToLower(w.g.Home)
	if code := scGetQuiet(s, path, &st); code != http.StatusOK {
		return false
	}
	if st.GameID == nil || *st.GameID != w.g.ID || st.TeamScore == nil || st.OpponentScore == nil || st.Period == nil || st.Clock == nil {
		return false
	}
	want := map[string]string{"pre": "PRE", "in": "IN", "post": "POST"}[fr.State]
	return st.State == want && *st.TeamScore == fr.Home && *st.OpponentScore == fr.Away &&
		*st.Period == fr.apiPeriod() && *st.Clock == fr.apiClock()
}

// set puts fr up without waiting (the service may be down).
func (w *scWalk) set(fr scFrame) {
	w.feed.set(w.g.Path, w.g.body(w.t, fr))
}

// show puts fr up, waits until the service shows it, then keeps it up for
// w.polls more polls.
func (w *scWalk) show(s *service, fr scFrame) {
	w.t.Helper()
	w.set(fr)
	w.await(s, fr)
}

// await waits until the service shows fr (already up) and keeps it up
// for w.polls more polls.
func (w *scWalk) await(s *service, fr scFrame) {
	w.t.Helper()
	s.waitFor("the service to show "+fr.stateKey()+" "+fr.Clock, func() bool { return w.observed(s, fr) })
	seen := w.feed.servedCount(w.g.Path)
	polls := w.polls
	if polls == 0 {
		polls = 4
	}
	s.waitFor("more polls of "+fr.stateKey(), func() bool { return w.feed.servedCount(w.g.Path) >= seen+polls })
}

// settle waits until the service has polled the current frame twice more
// and its writer holds nothing: whatever those polls recorded is stored.
func (w *scWalk) settle(s *service) {
	w.t.Helper()
	seen := w.feed.servedCount(w.g.Path)
	s.waitFor("two more polls", func() bool { return w.feed.servedCount(w.g.Path) >= seen+2 })
	s.waitFor("the writer to be empty", func() bool {
		var h scHealth
		return scGetQuiet(s, "/health", &h) == http.StatusOK && h.InfluxDB.Queued == 0 && h.InfluxDB.Spooled == 0
	})
}

// scGetQuiet is s.get for polling loops: a request error counts as not yet.
func scGetQuiet(s *service, path string, v any) int {
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && v != nil {
		if json.NewDecoder(resp.Body).Decode(v) != nil {
			return 0
		}
	}
	return resp.StatusCode
}

// scTimeline is /api/v1/games/timeline/{id}.
type scTimeline struct {
	GameID   string `json:"game_id"`
	League   string `json:"league"`
	HomeTeam string `json:"home_team"`
	AwayTeam string `json:"away_team"`
	Timeline []struct {
		Time          time.Time `json:"time"`
		HomeScore     int       `json:"home_score"`
		AwayScore     int       `json:"away_score"`
		Period        int       `json:"period"`
		TimeRemaining string    `json:"time_remaining"`
		Status        string    `json:"status"`
	} `json:"timeline"`
	FinalScore *struct {
		Home int `json:"home"`
		Away int `json:"away"`
	} `json:"final_score"`
	DurationMinutes *int `json:"duration_minutes"`
}

// entries renders the timeline as comparable lines.
func (tl scTimeline) entries() []string {
	out := make([]string, 0, len(tl.Timeline))
	for _, e := range tl.Timeline {
		out = append(out, fmt.Sprintf("%s %d-%d p%d %q", e.Status, e.HomeScore, e.AwayScore, e.Period, e.TimeRemaining))
	}
	return out
}

// scExpectedTimeline is one entry per distinct consecutive state of the
// frames, with the clock of the frame that first showed it.
func scExpectedTimeline(frames []scFrame) []string {
	var out []string
	last := ""
	for _, fr := range frames {
		if k := fr.stateKey(); k != last {
			last = k
			out = append(out, fmt.Sprintf("%s %d-%d p%d %q", fr.status(), fr.Home, fr.Away, fr.apiPeriod(), fr.apiClock()))
		}
	}
	return out
}

// scHistoryPage is /api/v1/games/history.
type scHistoryPage struct {
	Games []struct {
		GameID        string `json:"game_id"`
		League        string `json:"league"`
		Season        int    `json:"season"`
		SeasonType    int    `json:"season_type"`
		Week          int    `json:"week"`
		StartTime     string `json:"start_time"`
		HomeTeam      string `json:"home_team"`
		AwayTeam      string `json:"away_team"`
		HomeTeamName  string `json:"home_team_name"`
		AwayTeamName  string `json:"away_team_name"`
		HomeScore     int    `json:"home_score"`
		AwayScore     int    `json:"away_score"`
		Status        string `json:"status"`
		Period        int    `json:"period"`
		TimeRemaining string `json:"time_remaining"`
	} `json:"games"`
	Total      int           `json:"total"`
	Page       int           `json:"page"`
	PageSize   int           `json:"page_size"`
	TotalPages int           `json:"total_pages"`
	Statistics *scStatistics `json:"statistics"`
}

type scStatistics struct {
	Team              string  `json:"team"`
	Season            *int    `json:"season"`
	GamesPlayed       int     `json:"games_played"`
	Wins              int     `json:"wins"`
	Losses            int     `json:"losses"`
	Ties              int     `json:"ties"`
	OTLosses          int     `json:"ot_losses"`
	WinPercentage     float64 `json:"win_percentage"`
	PointsFor         int     `json:"points_for"`
	PointsAgainst     int     `json:"points_against"`
	PointDifferential int     `json:"point_differential"`
	HomeRecord        string  `json:"home_record"`
	AwayRecord        string  `json:"away_record"`
	Streak            string  `json:"streak"`
}

// scHealth is the part of /health the scenarios read.
type scHealth struct {
	Status    string `json:"status"`
	APIStatus bool   `json:"api_status"`
	InfluxDB  struct {
		Enabled        bool   `json:"enabled"`
		Kind           string `json:"kind"`
		Connected      bool   `json:"connected"`
		CircuitBreaker string `json:"circuit_breaker"`
		WritesSuccess  int64  `json:"writes_success"`
		WritesFailed   int64  `json:"writes_failed"`
		Queued         int    `json:"queued"`
		Spooled        int    `json:"spooled"`
		Dropped        int64  `json:"dropped"`
		LastError      string `json:"last_error"`
		StorageBytes   int64  `json:"storage_bytes"`
	} `json:"influxdb"`
}

// scDatabase is a database name of its own for one test.
func scDatabase() string {
	return fmt.Sprintf("scenario_%d", time.Now().UnixNano())
}
