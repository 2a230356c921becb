package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegisterValidation(t *testing.T) {
	s, err := New(testOptions(t))
	require.NoError(t, err)
	ctx := context.Background()
	good := func() RegisterRequest {
		return RegisterRequest{URL: "http://homeassistant.local:8123/api/webhook/abc", Secret: testSecret}
	}
	cases := []struct {
		name  string
		edit  func(*RegisterRequest)
		field string
	}{
		{"no url", func(r *RegisterRequest) { r.URL = "" }, "url"},
		{"ftp", func(r *RegisterRequest) { r.URL = "ftp://example.com/x" }, "url"},
		{"no scheme", func(r *RegisterRequest) { r.URL = "homeassistant.local/api/webhook" }, "url"},
		{"no host", func(r *RegisterRequest) { r.URL = "http:///api/webhook" }, "url"},
		{"port only", func(r *RegisterRequest) { r.URL = "http://:8123/x" }, "url"},
		{"javascript", func(r *RegisterRequest) { r.URL = "javascript:alert(1)" }, "url"},
		{"space in host", func(r *RegisterRequest) { r.URL = "http://home assistant/x" }, "url"},
		{"too long", func(r *RegisterRequest) { r.URL = "http://h/" + strings.Repeat("a", maxURL) }, "url"},
		{"no secret", func(r *RegisterRequest) { r.Secret = "" }, "secret"},
		{"short secret", func(r *RegisterRequest) { r.Secret = "fifteen-chars!!" }, "secret"},
		{"unknown event", func(r *RegisterRequest) { r.Events = []string{"game_start", "touchdown"} }, "events"},
		{"empty event name", func(r *RegisterRequest) { r.Events = []string{""} }, "events"},
		{"negative delay", func(r *RegisterRequest) { r.DelaySeconds = ptr(-1) }, "delay_seconds"},
		{"delay too long", func(r *RegisterRequest) { r.DelaySeconds = ptr(301) }, "delay_seconds"},
		{"unknown league", func(r *RegisterRequest) { r.League = "xfl" }, "league"},
		{"team in another league", func(r *RegisterRequest) { r.Team = "NE"; r.League = "nhl" }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := good()
			c.edit(&req)
			_, err := s.Register(ctx, req)
			require.Error(t, err)
			if c.field == "" {
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, c.field, ve.Field)
			assert.NotEmpty(t, ve.Message)
			assert.Equal(t, c.field+": "+ve.Message, err.Error())
		})
	}
	assert.Empty(t, s.List(), "nothing invalid was stored")

	// The resolver's errors come back unchanged, for the HTTP layer to map.
	req := good()
	req.Team = "Springfield Atoms"
	_, err = s.Register(ctx, req)
	_, want := nflResolver(req.Team, "")
	var nf *teams.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, want, err)

	// Without a resolver a team cannot be accepted.
	o := testOptions(t)
	o.Resolve = nil
	s2, err := New(o)
	require.NoError(t, err)
	req.Team = "NE"
	_, err = s2.Register(ctx, req)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "team", ve.Field)
}

func TestRegisterNormalises(t *testing.T) {
	s, err := New(testOptions(t))
	require.NoError(t, err)
	ctx := context.Background()

	reg, err := s.Register(ctx, RegisterRequest{URL: "HTTPS://ha.example/hook", Secret: testSecret})
	require.NoError(t, err)
	assert.Equal(t, []string{events.GameStart, events.GameEnd, events.ScoreChange}, reg.Events, "default is every event")
	assert.Equal(t, "https://ha.example/hook", reg.URL)
	assert.Empty(t, reg.Team)
	assert.Empty(t, reg.League)
	assert.True(t, strings.HasPrefix(reg.ID, "wh_"))
	assert.NotEmpty(t, reg.Message)

	reg, err = s.Register(ctx, RegisterRequest{
		URL: "http://ha.local/hook", Secret: testSecret, Team: "patriots",
		Events:       []string{"score_changed", "GAME_ENDED", "score_change", "game_started"},
		DelaySeconds: ptr(30),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{events.GameStart, events.GameEnd, events.ScoreChange}, reg.Events, "old names accepted, duplicates removed")
	assert.Equal(t, "NE", reg.Team)
	assert.Equal(t, "nfl", reg.League)
	assert.Equal(t, 30, reg.DelaySeconds)

	reg, err = s.Register(ctx, RegisterRequest{URL: "http://ha.local/nhl", Secret: testSecret, League: "NHL", Events: []string{"game_end"}})
	require.NoError(t, err)
	assert.Equal(t, "nhl", reg.League)

	for route, want := range map[string]string{"game-start": events.GameStart, "game-end": events.GameEnd, "score-update": events.ScoreChange} {
		reg, err := s.RegisterSingle(ctx, route, RegisterRequest{URL: "http://ha.local/x", Secret: testSecret, Events: []string{"game_start"}})
		require.NoError(t, err)
		assert.Equal(t, []string{want}, reg.Events, route)
	}
	_, err = s.RegisterSingle(ctx, "half-time", RegisterRequest{URL: "http://ha.local/x", Secret: testSecret})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "events", ve.Field)
}

// The registration answer has exactly the documented fields; the list adds
// counters and "***" for the secret; the secret itself appears nowhere.
func TestRegistrationJSONAndRestart(t *testing.T) {
	o := testOptions(t)
	s, err := New(o)
	require.NoError(t, err)
	ctx := context.Background()
	secretA, secretB := "first-secret-0123456789", "second-secret-abcdefghij"
	a, err := s.Register(ctx, RegisterRequest{URL: "http://ha.local/a", Secret: secretA, Team: "BUF", DelaySeconds: ptr(5), Events: []string{"game_end"}})
	require.NoError(t, err)
	b, err := s.Register(ctx, RegisterRequest{URL: "http://ha.local/b", Secret: secretB})
	require.NoError(t, err)

	body, err := json.Marshal(a)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	assert.ElementsMatch(t, []string{"webhook_id", "url", "events", "team", "league", "delay_seconds", "created_at", "message"}, keys(got))
	assert.Equal(t, "BUF", got["team"])
	assert.Equal(t, "NFL", got["league"])
	assert.Equal(t, 5.0, got["delay_seconds"])
	_, err = time.Parse(time.RFC3339, got["created_at"].(string))
	assert.NoError(t, err)
	body, _ = json.Marshal(b)
	require.NoError(t, json.Unmarshal(body, &got))
	assert.Nil(t, got["team"])
	assert.Nil(t, got["league"])

	list, err := json.Marshal(s.List())
	require.NoError(t, err)
	assert.NotContains(t, string(list), secretA)
	assert.NotContains(t, string(list), secretB)
	var items []map[string]any
	require.NoError(t, json.Unmarshal(list, &items))
	require.Len(t, items, 2)
	for _, it := range items {
		assert.Equal(t, "***", it["secret"])
		for _, k := range []string{"total_calls", "failed_calls", "last_success", "last_failure", "last_status", "last_error", "disabled", "disabled_reason"} {
			assert.Contains(t, it, k)
		}
		assert.Equal(t, false, it["disabled"])
		assert.Nil(t, it["last_status"])
	}

	// A new Service on the same directory has the same registrations.
	fi, err := os.Stat(filepath.Join(o.DataDir, registrationsFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the file holds secrets")
	s2, err := New(o)
	require.NoError(t, err)
	before, after := s.List(), s2.List()
	require.Len(t, after, 2)
	for i := range before {
		assert.Equal(t, before[i].ID, after[i].ID)
		assert.Equal(t, before[i].URL, after[i].URL)
		assert.Equal(t, before[i].Events, after[i].Events)
		assert.Equal(t, before[i].Team, after[i].Team)
		assert.Equal(t, before[i].League, after[i].League)
		assert.Equal(t, before[i].DelaySeconds, after[i].DelaySeconds)
		assert.True(t, before[i].CreatedAt.Equal(after[i].CreatedAt))
	}

	require.NoError(t, s2.Delete(a.ID))
	assert.ErrorIs(t, s2.Delete(a.ID), ErrNotFound)
	s3, err := New(o)
	require.NoError(t, err)
	require.Len(t, s3.List(), 1)
	assert.Equal(t, b.ID, s3.List()[0].ID)
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestDecodeRegisterRequest(t *testing.T) {
	req, err := DecodeRegisterRequest(strings.NewReader(`{"url":"http://h/x","events":["game_start"],"secret":"0123456789abcdef","team":"NE","league":"nfl","delay_seconds":10,"extra":true}`))
	require.NoError(t, err)
	assert.Equal(t, RegisterRequest{URL: "http://h/x", Events: []string{"game_start"}, Secret: "0123456789abcdef", Team: "NE", League: "nfl", DelaySeconds: ptr(10)}, req)

	for body, field := range map[string]string{
		``:                        "body",
		`[]`:                      "body",
		`{"url":`:                 "body",
		`{"url":"x"} {"url":"y"}`: "body",
		`{"url":5}`:               "url",
		`{"events":"game_start"}`: "events",
		`{"events":[1]}`:          "events",
		`{"delay_seconds":"30"}`:  "delay_seconds",
		`{"delay_seconds":1.5}`:   "delay_seconds",
		`{"team":12}`:             "team",
		`{"url":"` + strings.Repeat("a", maxBodySize) + `"}`: "body",
	} {
		_, err := DecodeRegisterRequest(strings.NewReader(body))
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%.40s", body)
		assert.Equal(t, field, ve.Field, "%.40s", body)
	}
}

func TestCorruptFiles(t *testing.T) {
	o := testOptions(t)
	s, err := New(o)
	require.NoError(t, err)
	register(t, s, "http://ha.local/a", "")

	// A leftover temp file from a crash mid-write is removed; the real file
	// is untouched.
	tmp := filepath.Join(o.DataDir, "."+registrationsFile+".tmp-123")
	require.NoError(t, os.WriteFile(tmp, []byte(`{"version":1,"webh`), 0o600))
	s2, err := New(o)
	require.NoError(t, err)
	assert.Len(t, s2.List(), 1)
	assert.NoFileExists(t, tmp)

	// An unreadable outbox is moved aside and the service starts.
	require.NoError(t, os.WriteFile(filepath.Join(o.DataDir, legacyOutboxFile), []byte("{not json"), 0o600))
	_, err = New(o)
	require.NoError(t, err)
	aside, _ := filepath.Glob(filepath.Join(o.DataDir, legacyOutboxFile+".corrupt-*"))
	assert.Len(t, aside, 1)

	// Unreadable registrations stop the start with a clear error: starting
	// without them would silently drop every webhook.
	require.NoError(t, os.WriteFile(filepath.Join(o.DataDir, registrationsFile), []byte("{oops"), 0o600))
	_, err = New(o)
	require.ErrorContains(t, err, registrationsFile)

	_, err = New(Options{})
	require.Error(t, err)
}

func FuzzRegisterRequest(f *testing.F) {
	for _, seed := range []string{
		`{"url":"http://homeassistant.local:8123/api/webhook/score","events":["score_change"],"secret":"0123456789abcdef","team":"NE","delay_seconds":30}`,
		`{"url":"https://ha.example/hook","events":["game_started","game_ended","score_changed"],"secret":"0123456789abcdef","league":"NHL"}`,
		`{"url":"http://[::1]:8123/x","secret":"ééééééééééééééééé","team":"New England Patriots","league":"nfl"}`,
		`{"url":"http://h/x","secret":"0123456789abcdef","delay_seconds":-1}`,
		`{"url":"http://h/x","secret":"0123456789abcdef","delay_seconds":1e9}`,
		`{"url":"http://h/x","secret":"0123456789abcdef","events":[]}`,
		`{"url":"mailto:x@y","secret":"short"}`,
		`{"url":null,"events":null,"secret":null,"delay_seconds":null}`,
		`{}`, `[]`, `null`, ``, `{"url":"http://h/x"}{}`,
		"{\"url\":\"http://h/x\",\"secret\":\"0123456789abcdef\xff\"}",
		`{"url":"http://h/x","secret":"0123456789abcdef\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	loadNFLTeams(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeRegisterRequest(bytes.NewReader(body))
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("decode error is not a ValidationError: %v", err)
			}
			return
		}
		rec, err := validate(req, nflResolver, false)
		if err != nil {
			var ve *ValidationError
			var nf *teams.NotFoundError
			var amb *teams.AmbiguousError
			if !errors.As(err, &ve) && !errors.As(err, &nf) && !errors.As(err, &amb) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		u, err := url.Parse(rec.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("accepted bad url %q", rec.URL)
		}
		if checkTarget(u, false) != nil || len(rec.URL) > maxURL || checkStoredURL(rec.URL, false) != nil {
			t.Fatalf("accepted url %q that a restart would refuse", rec.URL)
		}
		if n := utf8.RuneCountInString(rec.Secret); n < minSecret || n > maxSecret {
			t.Fatalf("accepted secret of %d characters", n)
		}
		// The secret kept is the one sent: JSON replaced nothing in it.
		if !utf8.ValidString(rec.Secret) || strings.ContainsRune(rec.Secret, utf8.RuneError) {
			t.Fatalf("accepted secret %q, altered by decoding", rec.Secret)
		}
		if rec.DelaySeconds < 0 || rec.DelaySeconds > maxDelay {
			t.Fatalf("accepted delay %d", rec.DelaySeconds)
		}
		if len(rec.Events) == 0 || len(rec.Events) > 3 {
			t.Fatalf("events %v", rec.Events)
		}
		for _, e := range rec.Events {
			if e != events.GameStart && e != events.GameEnd && e != events.ScoreChange {
				t.Fatalf("event %q", e)
			}
		}
		if rec.Team != "" && (rec.League != "nfl" || rec.Team != strings.ToUpper(rec.Team)) {
			t.Fatalf("team %q league %q", rec.Team, rec.League)
		}
		if _, err := json.Marshal(registrationOf(rec)); err != nil {
			t.Fatal(err)
		}
	})
}

// The teams the webhooks are scoped to, as team ids: the schedule
// refresher keeps their schedules first.
func TestTeamsOfTheWebhooks(t *testing.T) {
	s := start(t, testOptions(t))
	register(t, s.Service, "http://127.0.0.1:9/a", "Patriots")
	register(t, s.Service, "http://127.0.0.1:9/b", "")
	register(t, s.Service, "http://127.0.0.1:9/c", "KC")
	assert.ElementsMatch(t, []string{"nfl-ne", "nfl-kc"}, s.Teams())
}

// TestIdenticalRegistrationIsRefused: the same webhook was accepted 193
// times, each delivering every event again. An identical registration
// (same URL, events, team, league and delay, however spelled) is refused,
// naming the one that exists; any difference makes another webhook.
func TestIdenticalRegistrationIsRefused(t *testing.T) {
	s := start(t, testOptions(t))
	req := RegisterRequest{URL: "http://127.0.0.1:8123/api/webhook/abc", Secret: testSecret, Events: []string{"game_start", "score_change"}, Team: "NE"}
	first, err := s.Register(context.Background(), req)
	require.NoError(t, err)
	for _, same := range []RegisterRequest{
		req,
		{URL: "HTTP://127.0.0.1:8123/api/webhook/abc", Secret: "another-secret-0123456789", Events: []string{"score_changed", "game_started"}, Team: "Patriots"},
		{URL: " http://127.0.0.1:8123/api/webhook/abc ", Secret: testSecret, Events: []string{"score-update", "game-start"}, Team: "nfl-ne", League: "NFL", DelaySeconds: ptr(0)},
	} {
		for range 3 {
			_, err := s.Register(context.Background(), same)
			var dup *DuplicateError
			require.ErrorAs(t, err, &dup, "%+v", same)
			assert.Equal(t, first.ID, dup.ID)
			assert.Contains(t, err.Error(), first.ID)
		}
	}
	for _, other := range []RegisterRequest{
		{URL: req.URL, Secret: testSecret, Events: []string{"game_start"}, Team: "NE"},
		{URL: req.URL, Secret: testSecret, Events: req.Events, Team: "KC"},
		{URL: req.URL, Secret: testSecret, Events: req.Events},
		{URL: req.URL, Secret: testSecret, Events: req.Events, Team: "NE", DelaySeconds: ptr(30)},
		{URL: req.URL + "2", Secret: testSecret, Events: req.Events, Team: "NE"},
	} {
		_, err := s.Register(context.Background(), other)
		assert.NoError(t, err, "%+v", other)
	}
	assert.Len(t, s.List(), 6)
}

// TestSecretMustSurviveDecoding: an invalid byte or an escaped lone
// surrogate in the secret was turned into U+FFFD silently, so that no
// signature could match the receiver's; it is refused now.
func TestSecretMustSurviveDecoding(t *testing.T) {
	s := start(t, testOptions(t))
	for _, body := range []string{
		"{\"url\":\"http://127.0.0.1:8123/x\",\"secret\":\"0123456789abcdef\xff\"}",
		`{"url":"http://127.0.0.1:8123/x","secret":"0123456789abcdef\ud800"}`,
		`{"url":"http://127.0.0.1:8123/x","secret":"0123456789abcdef\ufffd"}`,
	} {
		req, err := DecodeRegisterRequest(strings.NewReader(body))
		require.NoError(t, err, body)
		_, err = s.Register(context.Background(), req)
		var ve *ValidationError
		if assert.ErrorAs(t, err, &ve, body) {
			assert.Equal(t, "secret", ve.Field)
			assert.Contains(t, ve.Message, "UTF-8")
		}
	}
	assert.Empty(t, s.List())
	req, err := DecodeRegisterRequest(strings.NewReader(`{"url":"http://127.0.0.1:8123/x","secret":"ééééééééééééééé€😀"}`))
	require.NoError(t, err)
	_, err = s.Register(context.Background(), req)
	assert.NoError(t, err, "any valid text")
}

// TestUnfollowedLeagueIsWarnedOf: a webhook for a league the service does
// not follow was accepted without a word; it still is accepted (LEAGUES
// may change), with a warning in the answer.
func TestUnfollowedLeagueIsWarnedOf(t *testing.T) {
	o := testOptions(t)
	o.Leagues = []string{"nfl", "nhl"}
	s := start(t, o)
	reg, err := s.Register(context.Background(), RegisterRequest{URL: "http://127.0.0.1:8123/x", Secret: testSecret, League: "nba"})
	require.NoError(t, err)
	assert.Contains(t, reg.Warning, "NBA is not a league this service follows (LEAGUES=nfl,nhl)")
	b, err := json.Marshal(reg)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"warning":"NBA is not a league`)

	for _, r := range []RegisterRequest{
		{URL: "http://127.0.0.1:8123/y", Secret: testSecret, League: "NFL"},
		{URL: "http://127.0.0.1:8123/z", Secret: testSecret},
		{URL: "http://127.0.0.1:8123/w", Secret: testSecret, Team: "Patriots"},
	} {
		reg, err := s.Register(context.Background(), r)
		require.NoError(t, err)
		assert.Empty(t, reg.Warning, "%+v", r)
		b, err := json.Marshal(reg)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "warning")
	}
}
