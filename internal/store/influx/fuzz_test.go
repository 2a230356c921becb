package influx

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/store"
)

// Answers of a real InfluxDB 1.8.10 to the store's queries (epoch=ns,
// chunked=true), used as the fuzz seeds and checked as such below.
var influxQLAnswers = []string{
	// SELECT * FROM "nfl_games"
	`{"results":[{"statement_id":0,"series":[{"name":"nfl_games","columns":["time","away_conference","away_division","away_score","away_team","away_team_id","away_team_name","game_id","home_conference","home_division","home_score","home_team","home_team_id","home_team_name","observed_at","period","season","season_type","status","status_detail","time_remaining","venue","week"],"values":[[1726419600000000000,"AFC","AFC East",0,"BUF","2","Buffalo Bills","401671500","AFC","AFC East",0,"NE","17","New England Patriots",1726419600000000000,"0","2024","2","scheduled","","","Gillette Stadium","1"]]}]}]}
`,
	// SELECT * FROM "nfl_scores" GROUP BY "game_id" ORDER BY time DESC LIMIT 1
	`{"results":[{"statement_id":0,"series":[{"name":"nfl_scores","tags":{"game_id":"401671500"},"columns":["time","away_conference","away_division","away_score","away_team","home_conference","home_division","home_score","home_team","quarter","season","season_type","status","status_detail","time_remaining","week"],"values":[[1726420440000000000,"AFC","AFC East",0,"BUF","AFC","AFC East",7,"NE","1","2024","2","live","9:41 - 1st","9:41","1"]]}]}]}
`,
	// SELECT * FROM "nfl_scores" WHERE game_id = $game_id ORDER BY time, chunk_size=1
	`{"results":[{"statement_id":0,"series":[{"name":"nfl_scores","columns":["time","away_conference","away_division","away_score","away_team","game_id","home_conference","home_division","home_score","home_team","quarter","season","season_type","status","status_detail","time_remaining","week"],"values":[[1725900000000000000,"AFC","AFC East",0,"BUF","401671500","AFC","AFC East",0,"NE","0","2024","2","scheduled","Sun","","1"]],"partial":true}],"partial":true}]}
{"results":[{"statement_id":0,"series":[{"name":"nfl_scores","columns":["time","away_conference","away_division","away_score","away_team","game_id","home_conference","home_division","home_score","home_team","quarter","season","season_type","status","status_detail","time_remaining","week"],"values":[[1726420440000000000,"AFC","AFC East",0,"BUF","401671500","AFC","AFC East",7,"NE","1","2024","2","live","9:41 - 1st","9:41","1"]]}]}]}
`,
	`{"results":[{"statement_id":0,"error":"database not found: nope"}]}
`,
	`{"error":"error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1"}
`,
	`{"results":[{"statement_id":0}]}
`,
}

func TestDecodeRealInfluxQLAnswers(t *testing.T) {
	res, err := decodeInfluxQL(strings.NewReader(influxQLAnswers[0]))
	require.NoError(t, err)
	require.Len(t, res.rows, 1)
	p, err := rowToPoint(res.rows[0], store.SeriesGames, "nfl")
	require.NoError(t, err)
	require.Equal(t, store.Point{
		Series: store.SeriesGames, League: "nfl", Time: time.Unix(0, 1726419600000000000).UTC(),
		GameID: "401671500", Season: 2024, SeasonType: 2, Week: 1, HomeTeam: "NE", AwayTeam: "BUF",
		Status: "scheduled", HomeConference: "AFC", AwayConference: "AFC", HomeDivision: "AFC East",
		AwayDivision: "AFC East", HomeTeamID: "17", AwayTeamID: "2", HomeTeamName: "New England Patriots",
		AwayTeamName: "Buffalo Bills", Venue: "Gillette Stadium", ObservedAt: time.Unix(0, 1726419600000000000).UTC(),
	}, p)

	res, err = decodeInfluxQL(strings.NewReader(influxQLAnswers[1]))
	require.NoError(t, err)
	require.Len(t, res.rows, 1)
	p, err = rowToPoint(res.rows[0], store.SeriesScores, "nfl")
	require.NoError(t, err)
	require.Equal(t, "401671500", p.GameID, "the GROUP BY tag comes from the series")
	require.Equal(t, 1, p.Period, "NFL periods are read from quarter")
	require.Equal(t, 7, p.HomeScore)
	require.Equal(t, "live", p.Status)

	res, err = decodeInfluxQL(strings.NewReader(influxQLAnswers[2]))
	require.NoError(t, err)
	require.Len(t, res.rows, 2, "a series split over chunks is put back together")

	res, err = decodeInfluxQL(strings.NewReader(influxQLAnswers[3]))
	require.NoError(t, err)
	require.Equal(t, "database not found: nope", res.err)

	_, err = decodeInfluxQL(strings.NewReader(influxQLAnswers[4]))
	require.ErrorContains(t, err, "error parsing query")

	res, err = decodeInfluxQL(strings.NewReader(influxQLAnswers[5]))
	require.NoError(t, err)
	require.Empty(t, res.rows)
}

// FuzzDecodeInfluxQL feeds the /query decoder and the row reader whatever a
// broken server or proxy might send: they may fail, never panic, and what
// they accept is a usable point.
func FuzzDecodeInfluxQL(f *testing.F) {
	for _, a := range influxQLAnswers {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, body string) {
		res, err := decodeInfluxQL(strings.NewReader(body))
		if err != nil {
			return
		}
		for _, r := range res.rows {
			for _, series := range []string{store.SeriesScores, store.SeriesGames} {
				p, err := rowToPoint(r, series, "nhl")
				if err != nil {
					continue
				}
				if p.GameID == "" {
					t.Fatalf("accepted a row without a game id: %v", r)
				}
				if p.Time.Location() != time.UTC {
					t.Fatalf("time not in UTC: %v", p.Time)
				}
			}
		}
	})
}
