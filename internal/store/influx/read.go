package influx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// The queries. Measurement names are built from league keys checked
// against ^[a-z0-9]+$; every other value is a bound parameter. The SQL is
// the plain subset InfluxDB 3 runs (and the flighttest stand-in, which
// answers from SQLite).
//
// Games reads every row of the league (narrowed by the tag filters season
// and team, which a game keeps for life), keeps the newest row of each game
// and filters status and time after that: filtering first would return the
// old row of a game that was rescheduled or whose status moved on. The games
// series has one row per game (on InfluxDB 3, one per version of it), so
// this reads little.
//
// InfluxQL cannot pick a row by the largest value of a field, so the newest
// games row is chosen in Go; InfluxQL also orders by time only, so every
// answer is sorted in Go.

func measurement(key, series string) (string, error) {
	if !store.ValidLeague(key) {
		return "", fmt.Errorf("influx: league %q is not a registry key (lower-case letters and digits)", key)
	}
	return `"` + key + "_" + series + `"`, nil
}

// Games returns the newest row of each game matching q, ordered by start
// time then game id.
func (s *Store) Games(ctx context.Context, q store.GameQuery) ([]store.Point, error) {
	m, err := measurement(q.League, store.SeriesGames)
	if err != nil {
		return nil, err
	}
	var where []string
	params := map[string]any{}
	sp := span{}
	if q.Season != 0 {
		where = append(where, "season = $season")
		params["season"] = strconv.Itoa(q.Season)
		// Bound the season in time as well: InfluxDB 3 Core refuses a query
		// that touches too many files, and a tag filter does not narrow
		// the files a query reads; a time range does.
		if l, ok := league.Lookup(q.League); ok {
			sp.from, sp.to = l.SeasonWindow(q.Season)
		}
	}
	if q.Team != "" {
		where = append(where, "(home_team = $team OR away_team = $team)")
		params["team"] = q.Team
	}
	rows, err := s.query(ctx, m, where, "", params, sp)
	if err != nil {
		return nil, err
	}

	latest := map[string]store.Point{}
	for _, r := range rows {
		p, err := rowToPoint(r, store.SeriesGames, q.League)
		if err != nil {
			return nil, err
		}
		if cur, ok := latest[p.GameID]; !ok || newer(p, cur) {
			latest[p.GameID] = p
		}
	}
	out := []store.Point{}
	for _, p := range latest {
		if q.Matches(p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		return out[i].GameID < out[j].GameID
	})
	return out, nil
}

// newer tells whether games row a was written after b.
func newer(a, b store.Point) bool {
	if !a.ObservedAt.Equal(b.ObservedAt) {
		return a.ObservedAt.After(b.ObservedAt)
	}
	return a.Time.After(b.Time)
}

// Timeline returns every score point of one game in time order.
func (s *Store) Timeline(ctx context.Context, leagueKey, gameID string) ([]store.Point, error) {
	m, err := measurement(leagueKey, store.SeriesScores)
	if err != nil {
		return nil, err
	}
	if gameID == "" {
		return []store.Point{}, nil
	}
	rows, err := s.query(ctx, m, []string{"game_id = $game_id"}, " ORDER BY time", map[string]any{"game_id": gameID}, span{})
	if err != nil {
		return nil, err
	}
	// On InfluxDB 3 a rewritten point is a row of its own: the newest
	// version of each stands for it.
	out := make([]store.Point, 0, len(rows))
	versions := make([]int64, 0, len(rows))
	at := make(map[rowKey]int, len(rows))
	for _, r := range rows {
		p, err := rowToPoint(r, store.SeriesScores, leagueKey)
		if err != nil {
			return nil, err
		}
		v := rowVersion(r)
		k := keyOf(&p)
		if i, ok := at[k]; ok {
			if v >= versions[i] {
				out[i], versions[i] = p, v
			}
			continue
		}
		at[k] = len(out)
		out, versions = append(out, p), append(versions, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, nil
}

// rowKey identifies a row of InfluxDB 1.8 and 2.x: the tag values (the
// tag keys follow from the series) and the time. On InfluxDB 3 the rows of
// one key differ in their version tag.
type rowKey struct {
	tags [11]string
	time int64
}

func keyOf(p *store.Point) rowKey {
	k := rowKey{time: p.Time.UnixNano(), tags: [11]string{
		p.GameID, strconv.Itoa(p.Season), strconv.Itoa(p.SeasonType), strconv.Itoa(p.Week), p.HomeTeam, p.AwayTeam}}
	if p.Series == store.SeriesScores {
		k.tags[6], k.tags[7], k.tags[8], k.tags[9], k.tags[10] = p.Status, p.HomeConference, p.AwayConference, p.HomeDivision, p.AwayDivision
	}
	return k
}

// rowVersion is the version tag of a row (encodePoint), 0 for a row
// without one (1.8, 2.x).
func rowVersion(r row) int64 {
	s, _ := r[versionTag].(string)
	v, _ := strconv.ParseInt(s, 10, 64)
	return v
}

// Unfinished returns, for every game whose latest score point since `since`
// is scheduled or live, that point, ordered by game id.
func (s *Store) Unfinished(ctx context.Context, leagueKey string, since time.Time) ([]store.Point, error) {
	m, err := measurement(leagueKey, store.SeriesScores)
	if err != nil {
		return nil, err
	}
	c, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	// A zero (or pre-1677) since means since ever; InfluxDB cannot even
	// parse times that old.
	where, params := "", map[string]any{}
	if since.After(minTime) {
		where = " WHERE time >= $since"
		params["since"] = since.UTC().Format(time.RFC3339Nano)
	}
	var rows []row
	if c.language == LanguageInfluxQL {
		// One series per game, newest point first, one point each.
		rows, err = s.influxQLRows(ctx, "SELECT * FROM "+m+where+` GROUP BY "game_id" ORDER BY time DESC LIMIT 1`, params)
	} else {
		from := since
		if !since.After(sqlEarliest) {
			from = time.Time{}
		}
		rows, err = s.sqlRange(ctx, c, tableName(m), "SELECT * FROM "+m+" WHERE "+rangeCondition, nil, span{from: from})
	}
	if err != nil {
		return nil, err
	}
	latest := map[string]store.Point{}
	versions := map[string]int64{}
	for _, r := range rows {
		p, err := rowToPoint(r, store.SeriesScores, leagueKey)
		if err != nil {
			return nil, err
		}
		v := rowVersion(r)
		cur, ok := latest[p.GameID]
		if !ok || p.Time.After(cur.Time) || (p.Time.Equal(cur.Time) && v >= versions[p.GameID]) {
			latest[p.GameID], versions[p.GameID] = p, v
		}
	}
	out := []store.Point{}
	for _, p := range latest {
		if p.Status == "scheduled" || p.Status == "live" {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GameID < out[j].GameID })
	return out, nil
}

// query runs SELECT * FROM m WHERE where... tail in the store's query
// language; the conditions are written so that the same text is valid
// InfluxQL and SQL. SQL reads are also bounded in time by sp (zero ends:
// the widest range), split when InfluxDB 3 refuses them for its file limit
// (sqlRange); InfluxQL has no such limit and reads without the bound.
func (s *Store) query(ctx context.Context, m string, where []string, tail string, params map[string]any, sp span) ([]row, error) {
	c, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	stmt := "SELECT * FROM " + m
	if c.language == LanguageInfluxQL {
		if !sp.from.IsZero() {
			where = append(where, "time >= $range_from AND time < $range_to")
			params["range_from"] = sp.from.UTC().Format(time.RFC3339Nano)
			params["range_to"] = sp.to.UTC().Format(time.RFC3339Nano)
		}
		if len(where) > 0 {
			stmt += " WHERE " + strings.Join(where, " AND ")
		}
		return s.influxQLRows(ctx, stmt+tail, params)
	}
	stmt += " WHERE " + strings.Join(append(where, rangeCondition), " AND ")
	return s.sqlRange(ctx, c, tableName(m), stmt+tail, params, sp)
}

// tableName is a quoted measurement's name as system tables spell it.
func tableName(quoted string) string { return strings.Trim(quoted, `"`) }

func (s *Store) influxQLRows(ctx context.Context, stmt string, params map[string]any) ([]row, error) {
	res, err := s.influxQL(ctx, http.MethodGet, stmt, params)
	switch {
	case errors.Is(err, ErrUnauthorized):
		return nil, s.refused(err)
	case errors.Is(err, store.ErrUnavailable):
		s.markDown(err)
		return nil, err
	case err != nil:
		return nil, err
	}
	s.accepted()
	if res.err != "" {
		// Nothing written yet: the database (or measurement) is not there.
		if strings.Contains(res.err, "database not found") {
			return nil, nil
		}
		return nil, fmt.Errorf("influx: query: %s", res.err)
	}
	return res.rows, nil
}

// rowToPoint reads a row of either series. Columns missing from the row
// (a tag never written, such as an empty conference) read as zero values.
func rowToPoint(r row, series, leagueKey string) (store.Point, error) {
	p := store.Point{Series: series, League: leagueKey}
	ns, ok := r["time"].(int64)
	if !ok {
		return p, fmt.Errorf("influx: %s_%s row without a time: %v", leagueKey, series, r["time"])
	}
	p.Time = time.Unix(0, ns).UTC()
	var err error
	str := func(name string) string {
		v, _ := r[name].(string)
		return v
	}
	num := func(name string) int {
		if err != nil {
			return 0
		}
		var n int
		n, err = intValue(r[name], name)
		return n
	}
	p.GameID = str("game_id")
	p.Season = num("season")
	p.SeasonType = num("season_type")
	p.Week = num("week")
	p.HomeTeam = str("home_team")
	p.AwayTeam = str("away_team")
	p.Status = str("status")
	p.HomeConference = str("home_conference")
	p.AwayConference = str("away_conference")
	p.HomeDivision = str("home_division")
	p.AwayDivision = str("away_division")
	p.HomeScore = num("home_score")
	p.AwayScore = num("away_score")
	p.TimeRemaining = str("time_remaining")
	p.StatusDetail = str("status_detail")
	if series == store.SeriesScores {
		p.Period = num(periodField(leagueKey))
	} else {
		p.Period = num("period")
		p.HomeTeamID = str("home_team_id")
		p.AwayTeamID = str("away_team_id")
		p.HomeTeamName = str("home_team_name")
		p.AwayTeamName = str("away_team_name")
		p.Venue = str("venue")
		p.Broadcasts = str("broadcasts")
		p.ScheduleVersion = num("schedule_version")
		for _, f := range []struct {
			name string
			to   *time.Time
		}{{"observed_at", &p.ObservedAt}, {"schedule_changed_at", &p.ScheduleChangedAt}} {
			if v := r[f.name]; v != nil {
				n, ok := v.(int64)
				if !ok {
					return p, fmt.Errorf("influx: game %s: %s is %T, not an integer", p.GameID, f.name, v)
				}
				if n != 0 {
					*f.to = time.Unix(0, n).UTC()
				}
			}
		}
	}
	if err != nil {
		return p, fmt.Errorf("influx: %s_%s row of game %s: %w", leagueKey, series, p.GameID, err)
	}
	if p.GameID == "" {
		return p, fmt.Errorf("influx: %s_%s row without a game id", leagueKey, series)
	}
	return p, nil
}

// intValue reads an integer column: tags and period fields are strings
// holding a number, scores are integers; a missing column or empty string
// is 0.
func intValue(v any, name string) (int, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		return int(x), nil
	case float64:
		return int(x), nil
	case string:
		if x == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(x)
		if err != nil {
			return 0, fmt.Errorf("%s is %q, not a number", name, x)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%s is a %T", name, v)
}
