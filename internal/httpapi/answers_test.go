package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/espn"
	"github.com/sports-data/sports-data/internal/espntest"
	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/ha"
	"github.com/sports-data/sports-data/internal/history"
	"github.com/sports-data/sports-data/internal/history/historytest"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/state"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/storetest"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/teamtracker"
)

// TestHistoryPageIsKeptUntilAWrite: a history page is answered from its
// encoded form until the store is written through the history service
// (as the service's writer writes), then at once from the new rows.
func TestHistoryPageIsKeptUntilAWrite(t *testing.T) {
	c := fakeclock.New(time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC))
	cfg, err := config.Load(func(string) string { return "" })
	require.NoError(t, err)
	dir := teams.NewDirectory(t.TempDir(), cfg.Leagues, nil)
	nfl, _ := league.Lookup("nfl")
	ts, err := espn.ParseTeams(espntest.Load(t, "nfl/teams.json"), nfl)
	require.NoError(t, err)
	require.NoError(t, dir.Set(nfl, ts))
	db := historytest.SQLite(t)
	hist := history.New(db, dir, history.Options{Leagues: cfg.Leagues, Now: c.Now})
	h := New(Deps{Options: options(cfg), State: state.New("nfl", "nhl"), Teams: dir, History: hist, Now: c.Now})

	ctx := context.Background()
	g1 := storetest.NewGame("nfl", "401547001", time.Date(2023, 9, 7, 20, 20, 0, 0, time.UTC), "KC", "DET")
	require.NoError(t, db.Write(ctx, []store.Point{storetest.GamePoint(g1, g1.Start.Add(4*time.Hour), storetest.Finished, 20, 21)}))
	total := func() int {
		rec := call(h, http.MethodGet, "/api/v1/games/history?team=KC&season=2023", nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var page struct {
			Total int `json:"total"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		return page.Total
	}
	require.Equal(t, 1, total())

	// A row written behind the service's back is not seen: the page is
	// the kept one, for at most a minute.
	g2 := storetest.NewGame("nfl", "401547002", time.Date(2023, 9, 17, 17, 0, 0, 0, time.UTC), "JAX", "KC")
	require.NoError(t, db.Write(ctx, []store.Point{storetest.GamePoint(g2, g2.Start.Add(4*time.Hour), storetest.Finished, 9, 17)}))
	assert.Equal(t, 1, total(), "served from the kept answer")
	c.Add(time.Minute)
	assert.Equal(t, 2, total(), "a minute later it is built again")

	// A write through the history service shows the new row at once.
	g3 := storetest.NewGame("nfl", "401547003", time.Date(2023, 9, 24, 17, 0, 0, 0, time.UTC), "KC", "CHI")
	require.NoError(t, hist.WriteThrough(db).Write(ctx, []store.Point{storetest.GamePoint(g3, g3.Start.Add(4*time.Hour), storetest.Finished, 41, 10)}))
	assert.Equal(t, 3, total())
}

// counting passes calls to the real services and directory and counts
// them.
type counting struct {
	*teams.Directory
	ha       *ha.Service
	sensors  *teamtracker.Service
	status   map[string]int
	sensor   map[string]int
	resolved map[string]int
}

func (c *counting) Resolve(input, leagueKey string) (teams.Match, error) {
	c.resolved[input]++
	return c.Directory.Resolve(input, leagueKey)
}

func (c *counting) GameStatus(m teams.Match) *ha.Status {
	c.status[m.Team.Abbreviation]++
	return c.ha.GameStatus(m)
}

func (c *counting) GameContext(m teams.Match) *ha.Context { return c.ha.GameContext(m) }

func (c *counting) Sensor(m teams.Match) (teamtracker.Sensor, error) {
	c.sensor[m.Team.ID]++
	return c.sensors.Sensor(m)
}

// TestSensorAndStatusAreKeptForASecondAndAPoll: Home Assistant's routes
// answer from the kept encoding within the same second and the same poll;
// a new poll or the next second builds them again; errors are not kept.
func TestSensorAndStatusAreKeptForASecondAndAPoll(t *testing.T) {
	c := fakeclock.New(time.Date(2022, 9, 11, 19, 55, 0, 0, time.UTC))
	cfg, err := config.Load(func(string) string { return "" })
	require.NoError(t, err)
	dir := teams.NewDirectory(t.TempDir(), cfg.Leagues, nil)
	for _, l := range cfg.Leagues {
		ts, err := espn.ParseTeams(espntest.Load(t, l.Key+"/teams.json"), l)
		require.NoError(t, err)
		require.NoError(t, dir.Set(l, ts))
	}
	nfl, _ := league.Lookup("nfl")
	games, err := espn.ParseScoreboard(espntest.Load(t, "nfl/scoreboard-2022-wk1-sun-live-mixed.json"), nfl)
	require.NoError(t, err)
	st := state.New("nfl", "nhl")
	st.Replace("nfl", append([]game.Game(nil), games...), c.Now())
	svc := &counting{
		Directory: dir,
		ha:        ha.New(st, ha.Options{Now: c.Now}),
		sensors:   teamtracker.New(st, cfg.Leagues, teamtracker.Options{Now: c.Now}),
		status:    map[string]int{}, sensor: map[string]int{}, resolved: map[string]int{},
	}
	h := New(Deps{Options: options(cfg), State: st, Teams: svc, Now: c.Now, HA: svc, Sensors: svc})
	get := func(path string) string {
		rec := call(h, http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return rec.Body.String()
	}
	status, sensor := "/api/v1/ha/game-status/HOU", "/api/v1/ha/sensor/HOU"
	first := map[string]string{status: get(status), sensor: get(sensor)}
	for i := 0; i < 3; i++ {
		assert.Equal(t, first[status], get(status))
		assert.Equal(t, first[sensor], get(sensor))
	}
	assert.Equal(t, 1, svc.status["HOU"], "built once within a second and a poll")
	assert.Equal(t, 1, svc.sensor["nfl-hou"])

	// Another team is its own answer.
	get("/api/v1/ha/game-status/IND")
	assert.Equal(t, 1, svc.status["IND"])

	// A poll publishes: built again at once.
	st.Replace("nfl", append([]game.Game(nil), games...), c.Now())
	get(status)
	get(sensor)
	assert.Equal(t, 2, svc.status["HOU"])
	assert.Equal(t, 2, svc.sensor["nfl-hou"])

	// The next second: built again (minutes_until_start, kickoff_in).
	c.Add(time.Second)
	get(status)
	get(sensor)
	assert.Equal(t, 3, svc.status["HOU"])
	assert.Equal(t, 3, svc.sensor["nfl-hou"])

	// Errors are answered, never kept.
	for i := 0; i < 2; i++ {
		assert.Equal(t, http.StatusNotFound, call(h, http.MethodGet, "/api/v1/ha/game-status/Patriotz", nil).Code)
	}
	assert.Equal(t, 2, svc.resolved["Patriotz"])
}
