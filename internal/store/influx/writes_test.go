package influx_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/store/storetest"
)

func TestAutoDetectsQueryLanguage(t *testing.T) {
	want := map[influxtest.Kind]struct{ language, version string }{
		influxtest.V1: {influx.LanguageInfluxQL, "1.8."},
		influxtest.V2: {influx.LanguageInfluxQL, "2.7."},
		influxtest.V3: {influx.LanguageSQL, "3."},
	}
	eachServer(t, func(t *testing.T, srv server) {
		o := srv.options(srv.database(t, 0), 0)
		o.QueryLanguage = "AUTO"
		s := openStore(t, o)
		assert.Equal(t, want[srv.Kind].language, s.QueryLanguage())
		info := s.Info(context.Background())
		assert.Equal(t, "influxdb", info.Kind)
		assert.True(t, strings.HasPrefix(info.Version, want[srv.Kind].version), "version %q", info.Version)
	})
	t.Run("an explicit choice wins", func(t *testing.T) {
		srv := influxtest.Shared3(t)
		s := openStore(t, influx.Options{URL: srv.URL, Token: srv.Token, Database: influxtest.Database3(t, srv, ""), QueryLanguage: "influxql"})
		assert.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage())
	})
}

// Points older than the retention are dropped and reported, the rest of
// the batch is stored. 1.8 and 2.7 say so in their answer, each in its own
// words; InfluxDB 3 answers 204 and drops them silently, so the store keeps
// them back itself and reports them the same way.
func TestPointsBeyondRetentionAreReported(t *testing.T) {
	eachServer(t, func(t *testing.T, srv server) {
		s, _ := srv.open(t, 1)
		now := time.Now().UTC().Truncate(time.Second)
		g := storetest.NewGame("nfl", "401671600", now.Add(-72*time.Hour), "KC", "DEN")
		old := storetest.ScorePoint(g, now.Add(-72*time.Hour), storetest.Live, 7, 0, 1)
		fresh := storetest.ScorePoint(g, now.Add(-time.Hour), storetest.Live, 14, 0, 2)

		err := s.Write(context.Background(), []store.Point{old, fresh})
		var br *influx.BeyondRetentionError
		require.ErrorAs(t, err, &br)
		assert.Equal(t, 1, br.Dropped)
		assert.ErrorIs(t, err, influx.ErrRejected)
		assert.NotErrorIs(t, err, store.ErrUnavailable, "retrying cannot help")
		assert.Contains(t, err.Error(), "retention")

		got, err := s.Timeline(context.Background(), "nfl", g.ID)
		require.NoError(t, err)
		require.Len(t, got, 1, "the point inside the retention was stored")
		assert.Equal(t, 14, got[0].HomeScore)

		// A backfill larger than one request: the old first request does
		// not stop the newer ones, and the count covers every request.
		h := storetest.NewGame("nfl", "401671601", now.Add(-96*time.Hour), "LV", "LAC")
		var backfill []store.Point
		for i := range 6000 {
			backfill = append(backfill, storetest.ScorePoint(h, now.Add(-96*time.Hour+time.Duration(i)*time.Second), storetest.Live, i, 0, 1))
		}
		for i := range 20 {
			backfill = append(backfill, storetest.ScorePoint(h, now.Add(-time.Hour+time.Duration(i)*time.Second), storetest.Live, i, 1, 4))
		}
		err = s.Write(context.Background(), backfill)
		require.ErrorAs(t, err, &br)
		assert.Equal(t, 6000, br.Dropped)
		got, err = s.Timeline(context.Background(), "nfl", h.ID)
		require.NoError(t, err)
		assert.Len(t, got, 20)
	})
}

// Something else wrote home_score as a float into the measurement: the
// store's integer is refused, for good, and the other points of the same
// request are stored. InfluxDB 3's own endpoint stores the good lines of a
// request and names the refused ones; its /api/v2/write would have refused
// the whole request.
func TestFieldTypeConflictIsRejected(t *testing.T) {
	eachServer(t, func(t *testing.T, srv server) {
		s, db := srv.open(t, 0)
		srv.rawWrite(t, db, "nfl_scores,game_id=1 home_score=1.5 1726419600000000000\n")

		g := sampleGame()
		nhl := storetest.NewGame("nhl", "401671700", kickoff, "BOS", "TOR")
		err := s.Write(context.Background(), []store.Point{
			storetest.ScorePoint(g, kickoff, storetest.Live, 3, 0, 1),
			storetest.GamePoint(g, kickoff, storetest.Live, 3, 0),
			storetest.ScorePoint(nhl, kickoff, storetest.Live, 1, 0, 1),
		})
		require.ErrorIs(t, err, influx.ErrRejected)
		assert.NotErrorIs(t, err, store.ErrUnavailable)
		assert.Regexp(t, "field type conflict|invalid column type", err.Error())

		games, err := s.Games(context.Background(), store.GameQuery{League: "nfl"})
		require.NoError(t, err)
		assert.Equal(t, []string{g.ID}, ids(games), "the games row of the same request is stored")
		tl, err := s.Timeline(context.Background(), "nhl", nhl.ID)
		require.NoError(t, err)
		assert.Len(t, tl, 1, "the NHL point of the same request is stored")
		tl, err = s.Timeline(context.Background(), "nfl", g.ID)
		require.NoError(t, err)
		assert.Empty(t, tl)
	})
}

// docs/storage.md: which values are tags and which fields, and of what
// type. InfluxDB 3 reports tags as dictionary-encoded strings and has the
// version tag besides.
func TestSchema(t *testing.T) {
	eachServer(t, func(t *testing.T, srv server) {
		s, db := srv.open(t, 0)
		nfl := sampleGame()
		nhl := storetest.NewGame("nhl", "401671700", kickoff, "BOS", "TOR")
		require.NoError(t, s.Write(context.Background(), []store.Point{
			storetest.GamePoint(nfl, kickoff, storetest.Live, 0, 0),
			storetest.ScorePoint(nfl, kickoff, storetest.Live, 0, 0, 1),
			storetest.GamePoint(nhl, kickoff, storetest.Live, 0, 0),
			storetest.ScorePoint(nhl, kickoff, storetest.Live, 0, 0, 1),
		}))
		tag, integer, str := "tag", "integer", "string"
		if srv.Kind == influxtest.V3 {
			tag, integer, str = "Dictionary(Int32, Utf8)", "Int64", "Utf8"
		}
		scoreTags := []string{"game_id", "season", "season_type", "week", "home_team", "away_team", "status",
			"home_conference", "away_conference", "home_division", "away_division"}
		gameTags := []string{"game_id", "season", "season_type", "week", "home_team", "away_team"}
		if srv.Kind == influxtest.V3 {
			scoreTags, gameTags = append(scoreTags, "version"), append(gameTags, "version")
		}

		scores := srv.columnTypes(t, db, "nfl_scores")
		for _, k := range scoreTags {
			assert.Equal(t, tag, scores[k], k)
		}
		for k, typ := range map[string]string{"home_score": integer, "away_score": integer, "quarter": str,
			"time_remaining": str, "status_detail": str} {
			assert.Equal(t, typ, scores[k], k)
		}
		assert.NotContains(t, scores, "period")
		nhlScores := srv.columnTypes(t, db, "nhl_scores")
		assert.Equal(t, str, nhlScores["period"])
		assert.NotContains(t, nhlScores, "quarter")

		games := srv.columnTypes(t, db, "nfl_games")
		for _, k := range gameTags {
			assert.Equal(t, tag, games[k], k)
		}
		for _, f := range []string{"status", "home_team_id", "away_team_id", "home_team_name", "away_team_name", "venue", "period", "time_remaining"} {
			assert.Equal(t, str, games[f], f)
		}
		for _, f := range []string{"home_score", "away_score", "observed_at"} {
			assert.Equal(t, integer, games[f], f)
		}
	})
}

// Games scheduled in the future are read too: no server puts an implicit
// upper time bound on the reads.
func TestFutureGames(t *testing.T) {
	eachServer(t, func(t *testing.T, srv server) {
		s, _ := srv.open(t, 0)
		start := time.Now().UTC().Add(9 * 24 * time.Hour).Truncate(time.Minute)
		g := storetest.NewGame("nfl", "401671800", start, "SF", "SEA")
		row := storetest.GamePoint(g, time.Now().UTC().Truncate(time.Second), storetest.Scheduled, 0, 0)
		require.NoError(t, s.Write(context.Background(), []store.Point{row}))
		got, err := s.Games(context.Background(), store.GameQuery{League: "nfl", Status: storetest.Scheduled, From: time.Now()})
		require.NoError(t, err)
		require.Equal(t, []store.Point{storetest.Normalize(row)}, got)
	})
}
