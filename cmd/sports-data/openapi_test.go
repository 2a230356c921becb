package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/api"
	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/webhook/webhooktest"
)

// The contract tests hold the service to api/openapi.yaml: every route the
// router serves is in the document and the other way round, and real
// answers of the whole service (ESPN served from the captures, the embedded
// store, real webhook receivers) match the documented schemas, error
// answers included.

// contract is the OpenAPI document, loaded for validation.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

var registerDecoders sync.Once

func loadContract(t *testing.T) *contract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPIYAML())
	require.NoError(t, err, "api/openapi.yaml does not load")
	require.NoError(t, doc.Validate(loader.Context), "api/openapi.yaml is not valid OpenAPI")

	// The document lets clients ignore fields added later; these tests hold
	// the service to documenting every field it sends, so each object
	// schema that lists its properties is closed here.
	seen := map[*openapi3.Schema]bool{}
	for _, s := range doc.Components.Schemas {
		closeObjects(s, seen)
	}
	// Requests go to whatever port the test server has.
	doc.Servers = nil
	// gorillamux matches a path with text after a parameter
	// (/api/v1/calendar/{team}.ics).
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)

	registerDecoders.Do(func() {
		// /docs is HTML and the calendars are iCalendar; their bodies are
		// read as strings.
		openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.FileBodyDecoder)
		// The page's assets (/ui/assets/…) are text too.
		openapi3filter.RegisterBodyDecoder("text/javascript", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/css", openapi3filter.FileBodyDecoder)
	})
	return &contract{doc: doc, router: router}
}

func closeObjects(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
		closed := false
		s.AdditionalProperties.Has = &closed
	}
	for _, p := range s.Properties {
		closeObjects(p, seen)
	}
	closeObjects(s.Items, seen)
	closeObjects(s.AdditionalProperties.Schema, seen)
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, x := range list {
			closeObjects(x, seen)
		}
	}
}

// operations lists "METHOD /path" of every operation in the document.
func (c *contract) operations() []string {
	var out []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// answer is one response of the service.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(a.body, v), "%s", a.body)
}

// check sends one request to the service and validates the answer against
// the document: the route must be documented, the status must be the one
// expected and documented for the route, and headers and body must match
// the documented response. Requests expected to succeed are validated too,
// so the document's parameters and bodies accept what clients send.
func (c *contract) check(t *testing.T, base, method, target string, body any, header http.Header, want int) answer {
	t.Helper()
	var raw []byte
	if body != nil {
		switch b := body.(type) {
		case string:
			raw = []byte(b)
		default:
			var err error
			raw, err = json.Marshal(b)
			require.NoError(t, err)
		}
	}
	newReq := func() *http.Request {
		var rd io.Reader
		if raw != nil {
			rd = bytes.NewReader(raw)
		}
		req, err := http.NewRequest(method, base+target, rd)
		require.NoError(t, err)
		for k, vs := range header {
			req.Header[k] = vs
		}
		if raw != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req
	}

	req := newReq()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: no operation in api/openapi.yaml: %v", method, target, err)
		return answer{}
	}
	name := method + " " + route.Path

	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, name)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err, name)
	a := answer{status: resp.StatusCode, header: resp.Header, body: got}
	if resp.StatusCode != want {
		t.Errorf("%s (%s): status %d, want %d; body: %s", name, target, resp.StatusCode, want, clipBody(got))
		return a
	}

	opts := validationOptions()
	in := &openapi3filter.RequestValidationInput{Request: newReq(), PathParams: params, Route: route, Options: opts}
	if want < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s (%s): the document refuses this request, which the service accepted:\n%v", name, target, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(got)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s (%s) → %d does not match api/openapi.yaml:\n%v\nbody: %s", name, target, resp.StatusCode, err, clipBody(got))
	}
	return a
}

// validationOptions report every mismatch, each as the JSON pointer of the
// field and the reason, without the schema dump kin-openapi adds by default.
func validationOptions() *openapi3filter.Options {
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	opts.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string {
		return "at /" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
	})
	return opts
}

func clipBody(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// mountedMethods are methods chi registers for a route mounted with Handle
// (it adds every method it knows), and no route registers one by one.
var mountedMethods = []string{"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}

// TestOpenAPIDocumentsEveryRoute walks the router main.go builds and
// compares it with the document, both ways.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	c := loadContract(t)
	env := map[string]string{
		"DATA_DIR":      t.TempDir(),
		"STORE":         "none",
		"ESPN_BASE_URL": "http://127.0.0.1:1",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	a, err := build(context.Background(), cfg, slog.New(slog.DiscardHandler), time.Now)
	require.NoError(t, err)
	t.Cleanup(func() { a.close(context.Background()) })

	mux, ok := a.handler.(chi.Routes)
	require.True(t, ok, "the service's handler is a %T, not the chi router; the route walk needs the router", a.handler)
	methods := map[string][]string{}
	require.NoError(t, chi.Walk(mux, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		methods[route] = append(methods[route], method)
		return nil
	}))
	served := map[string]bool{}
	for route, ms := range methods {
		if !slices.ContainsFunc(mountedMethods, func(m string) bool { return !slices.Contains(ms, m) }) {
			// Mounted with Handle (/metrics, /docs, /openapi.json): the
			// handler answers GET, which is what the document describes.
			served["GET "+route] = true
			continue
		}
		for _, m := range ms {
			served[m+" "+route] = true
		}
	}
	require.NotEmpty(t, served)

	documented := map[string]bool{}
	for _, op := range c.operations() {
		documented[op] = true
	}
	var missing, extra []string
	for op := range served {
		if !documented[op] {
			missing = append(missing, op)
		}
	}
	for op := range documented {
		if !served[op] {
			extra = append(extra, op)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	assert.Empty(t, missing, "routes served but not in api/openapi.yaml")
	assert.Empty(t, extra, "operations in api/openapi.yaml that the router does not serve "+
		"(for /docs and /openapi.json: mount apidocs.Handlers() in httpapi.Deps.Extra)")
}

// newReceiver is a webhook receiver (package webhooktest) that answers
// status.
func newReceiver(t *testing.T, status int) *webhooktest.Receiver {
	r := webhooktest.New(t)
	r.Respond(func(int, http.ResponseWriter, *http.Request) int { return status })
	return r
}

// checkCallbacks validates every delivery r accepted against the
// document's callback operation: its headers and body must match.
func checkCallbacks(t *testing.T, c *contract, r *webhooktest.Receiver) {
	t.Helper()
	cb := c.doc.Components.Callbacks["Event"].Value
	item := cb.Value("{$request.body#/url}")
	require.True(t, item != nil && item.Post != nil, "the document has no callback operation for deliveries")
	for _, d := range r.All() {
		req, err := http.NewRequest(http.MethodPost, r.URL(), bytes.NewReader(d.Raw))
		require.NoError(t, err)
		req.Header = d.Header.Clone()
		in := &openapi3filter.RequestValidationInput{
			Request: req,
			Route:   &routers.Route{Spec: c.doc, Path: "/", PathItem: item, Method: http.MethodPost, Operation: item.Post},
			Options: validationOptions(),
		}
		assert.NoError(t, openapi3filter.ValidateRequest(context.Background(), in),
			"delivery does not match the document's WebhookPayload callback\nbody: %s", d.Raw)
	}
}

// testEvents counts the test events r accepted.
func testEvents(r *webhooktest.Receiver) int {
	n := 0
	for _, d := range r.All() {
		if d.P.Event == "test" {
			n++
		}
	}
	return n
}

// TestOpenAPIAnswersMatchTheDocument starts the whole service with the
// live captures and the embedded store and validates an answer of every
// route, and the errors each can give.
func TestOpenAPIAnswersMatchTheDocument(t *testing.T) {
	t.Parallel()
	c := loadContract(t)
	s := startService(t, newESPN(t).URL, map[string]string{"HISTORY_RATE_LIMIT_PER_MINUTE": "100000", "WRITE_RATE_LIMIT_PER_MINUTE": "100000"})
	get := func(target string, want int) answer {
		t.Helper()
		return c.check(t, s.base, http.MethodGet, target, nil, nil, want)
	}

	// Wait for the captures to be polled, the team lists loaded and the
	// first points stored.
	var live struct {
		Games []struct {
			ID       string `json:"id"`
			League   string `json:"league"`
			Status   string `json:"status"`
			HomeTeam struct {
				Abbreviation string `json:"abbreviation"`
			} `json:"home_team"`
		} `json:"games"`
		Count int `json:"count"`
	}
	s.waitFor("live games", func() bool { return s.get("/api/v1/games/live", &live) == 200 && live.Count == 13 })
	var teams struct{ Count int }
	s.waitFor("teams", func() bool { return s.get("/api/v1/teams", &teams) == 200 && teams.Count == 64 })
	var hist struct{ Total int }
	s.waitFor("stored games", func() bool {
		return s.get("/api/v1/games/history?page_size=1000", &hist) == 200 && hist.Total > 0
	})
	// MIA–NE ended in the NFL capture; HOU–IND and EDM–WPG are live.
	const finalNFL, liveNFL = "401437630", "401437637"
	s.waitFor("timelines", func() bool {
		return s.get("/api/v1/games/timeline/"+finalNFL, nil) == 200 && s.get("/api/v1/games/timeline/"+liveNFL, nil) == 200
	})

	t.Run("service", func(t *testing.T) {
		get("/", 200)
		var h struct {
			Status   string         `json:"status"`
			InfluxDB map[string]any `json:"influxdb"`
			Leagues  map[string]any `json:"leagues"`
		}
		get("/health", 200).decode(t, &h)
		assert.Equal(t, "sqlite", h.InfluxDB["kind"])
		assert.Len(t, h.Leagues, 2)
		get("/api/v1/cache/stats", 200)
		get("/api/v1/metrics/api-usage", 200)
	})

	t.Run("games and teams", func(t *testing.T) {
		get("/api/v1/games/live", 200)
		get("/api/v1/games/live?league=nhl", 200)
		get("/api/v1/games/live?sport=NFL&team_ids=nfl-hou,ne,nhl-zzz", 200)
		get("/api/v1/games/live?league=all", 200)
		get("/api/v1/games/upcoming", 200)
		get("/api/v1/games/upcoming?hours=8760&league=nfl", 200)
		get("/api/v1/teams", 200)
		get("/api/v1/teams?league=NHL", 200)

		get("/api/v1/games/live?league=xfl", 400)
		get("/api/v1/games/live?league=nba", 400) // known, not followed
		get("/api/v1/games/live?team_ids="+strings.Repeat("a,", 201), 400)
		get("/api/v1/games/upcoming?hours=0", 400)
		get("/api/v1/games/upcoming?hours=8761", 400)
		get("/api/v1/games/upcoming?hours=soon", 400)
		get("/api/v1/teams?league=%27%3B%20DROP", 400)
	})

	t.Run("user teams", func(t *testing.T) {
		get("/api/v1/user/teams", 200)
		get("/api/v1/user/teams?user_id=alice", 200)
		get("/api/v1/user/teams?user_id="+url.QueryEscape("no spaces"), 400)
		post := func(body any, want int) answer {
			t.Helper()
			return c.check(t, s.base, http.MethodPost, "/api/v1/user/teams", body, nil, want)
		}
		post(map[string]any{"nfl_teams": []string{"hou"}, "nhl_teams": []string{"nhl-edm"}}, 200)
		post(map[string]any{"user_id": "alice", "nfl_teams": []string{"ne"}}, 200)
		post("{not json", 422)
		post(map[string]any{"nfl_teams": "hou"}, 422)
		post(map[string]any{"user_id": 7}, 422)
		post(`{"user_id":"`+strings.Repeat("a", 70<<10)+`"}`, 413)
		// The saved teams mark live games as favourites.
		var favs struct {
			Games []struct {
				IsFavorite bool `json:"is_favorite"`
			} `json:"games"`
		}
		get("/api/v1/games/live?team_ids=nfl-hou", 200).decode(t, &favs)
		require.Len(t, favs.Games, 1)
		assert.True(t, favs.Games[0].IsFavorite)
	})

	t.Run("home assistant", func(t *testing.T) {
		for _, team := range []string{"HOU", "nhl-edm", "Bruins", "MIA"} {
			get("/api/v1/ha/game-status/"+url.PathEscape(team), 200)
			get("/api/v1/ha/game-context/"+url.PathEscape(team), 200)
			get("/api/v1/ha/sensor/"+url.PathEscape(team), 200)
		}
		var st struct {
			Status string  `json:"status"`
			GameID *string `json:"game_id"`
		}
		get("/api/v1/ha/game-status/HOU?league=nfl", 200).decode(t, &st)
		assert.Equal(t, "live", st.Status)
		get("/api/v1/ha/game-status/Bruins", 200).decode(t, &st)
		assert.Equal(t, "none", st.Status)
		assert.Nil(t, st.GameID)
		var ctx struct {
			LastGame map[string]any `json:"last_game"`
			Result   *string        `json:"result"`
		}
		get("/api/v1/ha/game-context/MIA", 200).decode(t, &ctx)
		require.NotNil(t, ctx.LastGame)
		require.NotNil(t, ctx.Result)
		assert.Equal(t, "win", *ctx.Result)

		for _, route := range []string{"game-status", "game-context", "sensor"} {
			get("/api/v1/ha/"+route+"/Jets", 409)
			get("/api/v1/ha/"+route+"/Jets?league=nhl", 200)
			get("/api/v1/ha/"+route+"/zzzzzz", 404)
			get("/api/v1/ha/"+route+"/HOU?league=xfl", 400)
		}
		var amb struct {
			Candidates []map[string]string `json:"candidates"`
		}
		get("/api/v1/ha/game-status/Jets", 409).decode(t, &amb)
		assert.Len(t, amb.Candidates, 2)
	})

	t.Run("history", func(t *testing.T) {
		get("/api/v1/games/history", 200)
		get("/api/v1/games/history?team=NE&league=nfl", 200)
		get("/api/v1/games/history?team=nhl-edm&status=live", 200)
		get("/api/v1/games/history?status=finished&sport=nhl&season=2022", 200)
		get("/api/v1/games/history?page=2&page_size=1", 200)
		get("/api/v1/games/history?page=99", 200)
		var page struct {
			Statistics map[string]any `json:"statistics"`
		}
		get("/api/v1/games/history?team=Patriots", 200).decode(t, &page)
		require.NotNil(t, page.Statistics)
		assert.EqualValues(t, 1, page.Statistics["losses"])

		var tl struct {
			FinalScore map[string]int `json:"final_score"`
			Timeline   []any          `json:"timeline"`
		}
		get("/api/v1/games/timeline/"+finalNFL, 200).decode(t, &tl)
		assert.Equal(t, map[string]int{"home": 20, "away": 7}, tl.FinalScore)
		get("/api/v1/games/timeline/"+liveNFL+"?league=nfl", 200).decode(t, &tl)
		assert.Nil(t, tl.FinalScore)
		assert.NotEmpty(t, tl.Timeline)

		get("/api/v1/games/schedule/MIA?season=2022", 200)
		get("/api/v1/games/schedule/nhl-edm?season=2022&league=nhl", 200)
		get("/api/v1/games/schedule/Dolphins", 200)

		for _, target := range []string{
			"/api/v1/games/history?page_size=0",
			"/api/v1/games/history?page_size=1001",
			"/api/v1/games/history?page=0",
			"/api/v1/games/history?season=1800",
			"/api/v1/games/history?status=halftime",
			"/api/v1/games/history?league=xfl",
			"/api/v1/games/history?league=nfl&sport=nhl",
			"/api/v1/games/timeline/abc",
			"/api/v1/games/timeline/123?league=xfl",
			"/api/v1/games/schedule/NE?season=1800",
			"/api/v1/games/schedule/NE?season=next",
		} {
			get(target, 400)
		}
		get("/api/v1/games/timeline/999999999", 404)
		get("/api/v1/games/schedule/zzzzzz", 404)
		get("/api/v1/games/history?team=zzzzzz", 404)
		get("/api/v1/games/history?team=Jets", 409)
		get("/api/v1/games/schedule/Rangers?league=nhl&season=2022", 200)
		get("/api/v1/games/schedule/Jets", 409)
	})

	t.Run("standings and calendars", func(t *testing.T) {
		var table struct {
			Groups []struct {
				Abbreviation string `json:"abbreviation"`
			} `json:"groups"`
		}
		s.waitFor("the NFL table", func() bool { return s.get("/api/v1/standings?league=nfl", &table) == 200 })
		get("/api/v1/standings?league=nfl", 200)
		get("/api/v1/standings?league=NHL&group=West", 200).decode(t, &table)
		assert.Len(t, table.Groups, 1)
		get("/api/v1/standings?league=nfl&group=NFC%20North", 404)
		get("/api/v1/standings?league=nfl&date=2001-01-01", 404)
		get("/api/v1/standings", 400)
		get("/api/v1/standings?league=nfl&date=yesterday", 400)
		get("/api/v1/standings?league=nba", 400)

		feed := get("/api/v1/calendar/MIA.ics", 200)
		assert.Contains(t, string(feed.body), "BEGIN:VCALENDAR")
		get("/api/v1/calendar/nhl-edm.ics?league=nhl", 200)
		get("/api/v1/calendar.ics?teams=MIA,nhl-edm", 200)
		get("/api/v1/calendar.ics?user_id=default", 200)
		etag := feed.header.Get("ETag")
		require.NotEmpty(t, etag)
		c.check(t, s.base, http.MethodGet, "/api/v1/calendar/MIA.ics", nil, http.Header{"If-None-Match": {etag}}, 304)
		get("/api/v1/calendar.ics", 400)
		get("/api/v1/calendar.ics?teams="+strings.Repeat("MIA,", 21), 400)
		get("/api/v1/calendar/zzzzzz.ics", 404)
		get("/api/v1/calendar.ics?teams=MIA,zzzzzz", 404)
		get("/api/v1/calendar/Jets.ics", 409)
		get("/api/v1/calendar.ics?user_id=nobody", 404)
	})

	t.Run("webhooks", func(t *testing.T) {
		const secret = webhooktest.Secret
		ok := newReceiver(t, http.StatusOK)
		refusing := newReceiver(t, http.StatusBadRequest)
		gone := newReceiver(t, http.StatusGone)
		post := func(path string, body any, want int) answer {
			t.Helper()
			return c.check(t, s.base, http.MethodPost, path, body, nil, want)
		}
		register := func(path string, body map[string]any) string {
			t.Helper()
			var reg struct {
				ID string `json:"webhook_id"`
			}
			post(path, body, 201).decode(t, &reg)
			require.NotEmpty(t, reg.ID, path)
			return reg.ID
		}

		full := register("/api/v1/ha/webhooks/register", map[string]any{
			"url": ok.URL(), "secret": secret, "events": []string{"game_start", "score_changed"},
			"team": "NE", "league": "nfl", "delay_seconds": 0,
		})
		legacyID := register("/api/v1/webhooks/register", map[string]any{"url": ok.URL(), "secret": secret})
		startID := register("/api/v1/ha/webhooks/game-start", map[string]any{"url": ok.URL(), "secret": secret, "league": "nhl"})
		endID := register("/api/v1/ha/webhooks/game-end", map[string]any{"url": refusing.URL(), "secret": secret, "team": "Oilers"})
		scoreID := register("/api/v1/ha/webhooks/score-update", map[string]any{"url": gone.URL(), "secret": secret, "delay_seconds": 30})

		var res struct {
			Delivered  bool    `json:"delivered"`
			StatusCode *int    `json:"status_code"`
			Attempts   int     `json:"attempts"`
			Error      *string `json:"error"`
		}
		post("/api/v1/ha/webhooks/"+full+"/test", nil, 200).decode(t, &res)
		assert.True(t, res.Delivered)
		require.NotNil(t, res.StatusCode)
		assert.Equal(t, 200, *res.StatusCode)
		assert.Nil(t, res.Error)
		post("/api/v1/ha/webhooks/"+endID+"/test", nil, 200).decode(t, &res)
		assert.False(t, res.Delivered)
		assert.Equal(t, 1, res.Attempts, "a 400 is not retried")
		assert.NotNil(t, res.Error)
		post("/api/v1/ha/webhooks/"+scoreID+"/test", nil, 200).decode(t, &res)
		assert.False(t, res.Delivered)
		assert.GreaterOrEqual(t, testEvents(ok), 1)

		// The list shows delivery counters, a disabled webhook (410) with
		// its reason, and no secret.
		var list struct {
			Webhooks []map[string]any `json:"webhooks"`
			Count    int              `json:"count"`
		}
		get("/api/v1/ha/webhooks", 200).decode(t, &list)
		assert.Equal(t, 5, list.Count)
		for _, w := range list.Webhooks {
			assert.Equal(t, "***", w["secret"])
			if w["webhook_id"] == scoreID {
				assert.Equal(t, true, w["disabled"])
				assert.NotNil(t, w["disabled_reason"])
			}
		}
		get("/api/v1/webhooks/list", 200)

		// Bad registrations.
		for _, body := range []any{
			map[string]any{"url": ok.URL(), "secret": "short"},
			map[string]any{"url": "ftp://example.invalid/x", "secret": secret},
			map[string]any{"url": ok.URL(), "secret": secret, "events": []string{"halftime"}},
			map[string]any{"url": ok.URL(), "secret": secret, "delay_seconds": 301},
			map[string]any{"url": ok.URL(), "secret": secret, "league": "xfl"},
			map[string]any{"secret": secret},
			map[string]any{"url": ok.URL(), "secret": secret, "delay_seconds": "soon"},
			"{not json",
			"",
		} {
			post("/api/v1/ha/webhooks/register", body, 422)
		}
		post("/api/v1/ha/webhooks/game-start", map[string]any{"url": ok.URL(), "secret": "short"}, 422)
		post("/api/v1/ha/webhooks/register", map[string]any{"url": ok.URL(), "secret": secret, "team": "Jets"}, 409)
		post("/api/v1/webhooks/register", map[string]any{"url": ok.URL(), "secret": secret, "team": "zzzzzz"}, 404)
		post("/api/v1/ha/webhooks/register", `{"url":"`+ok.URL()+`","secret":"`+strings.Repeat("s", 70<<10)+`"}`, 413)
		post("/api/v1/ha/webhooks/no-such-id/test", nil, 404)

		del := func(path string, want int) {
			t.Helper()
			c.check(t, s.base, http.MethodDelete, path, nil, nil, want)
		}
		del("/api/v1/ha/webhooks/"+full, 204)
		del("/api/v1/webhooks/"+legacyID, 204)
		del("/api/v1/ha/webhooks/"+full, 404)
		del("/api/v1/webhooks/"+legacyID, 404)
		for _, id := range []string{startID, endID, scoreID} {
			del("/api/v1/ha/webhooks/"+id, 204)
		}
		get("/api/v1/ha/webhooks", 200).decode(t, &list)
		assert.Zero(t, list.Count)

		for _, r := range []*webhooktest.Receiver{ok, refusing, gone} {
			checkCallbacks(t, c, r)
		}
	})

	t.Run("docs and metrics", func(t *testing.T) {
		for _, path := range []string{"/openapi.json", "/docs", "/metrics"} {
			resp, err := http.Get(s.base + path)
			require.NoError(t, err)
			resp.Body.Close()
			if resp.StatusCode == http.StatusNotFound {
				t.Errorf("GET %s is 404: the service does not mount it (main.go: httpapi.Deps.Extra)", path)
				continue
			}
			a := get(path, 200)
			if path == "/openapi.json" && a.status == 200 {
				served, err := openapi3.NewLoader().LoadFromData(a.body)
				require.NoError(t, err)
				assert.Equal(t, c.doc.Paths.Len(), served.Paths.Len(), "/openapi.json is the document in api/")
			}
		}
	})
}

// TestOpenAPIErrorsWithoutStoreAndWithAPIKey validates the answers of a
// service without a store (503), with API_KEY set (401) and with a tight
// history rate limit (429), and upcoming games from a pre-game capture.
func TestOpenAPIErrorsWithoutStoreAndWithAPIKey(t *testing.T) {
	t.Parallel()
	c := loadContract(t)
	espn := newESPN(t)
	espn.ServeBytes("/football/nfl/scoreboard", shiftCapture(t, "nfl/scoreboard-2023-wk5-all-pre-odds.json", time.Now().Add(2*time.Hour)))
	const key = "the-api-key-of-this-test"
	const limit = 5
	s := startService(t, espn.URL, map[string]string{
		"STORE":                         "none",
		"API_KEY":                       key,
		"HISTORY_RATE_LIMIT_PER_MINUTE": strconv.Itoa(limit),
	})
	get := func(target string, want int) answer {
		t.Helper()
		return c.check(t, s.base, http.MethodGet, target, nil, nil, want)
	}

	var up struct{ Count int }
	s.waitFor("upcoming games", func() bool {
		return s.get("/api/v1/games/upcoming?hours=168&league=nfl", &up) == 200 && up.Count == 14
	})
	var teams struct{ Count int }
	s.waitFor("teams", func() bool { return s.get("/api/v1/teams", &teams) == 200 && teams.Count == 64 })

	t.Run("no store", func(t *testing.T) {
		var h struct {
			InfluxDB map[string]any `json:"influxdb"`
		}
		get("/health", 200).decode(t, &h)
		assert.Equal(t, false, h.InfluxDB["enabled"])
		assert.Equal(t, "none", h.InfluxDB["kind"])

		var e struct{ Detail string }
		get("/api/v1/games/history", 503).decode(t, &e)
		assert.Equal(t, "Historical queries not available", e.Detail)
		get("/api/v1/games/timeline/401547457", 503)
		get("/api/v1/games/schedule/NE", 503)
		get("/api/v1/calendar/NE.ics", 503)
		get("/api/v1/standings?league=nfl&date=2024-01-01", 503)
	})

	t.Run("rate limit", func(t *testing.T) {
		// Five of the limit went to the 503s above.
		var last answer
		for i := 0; i < limit+1 && last.status != http.StatusTooManyRequests; i++ {
			resp, err := http.Get(s.base + "/api/v1/games/history")
			require.NoError(t, err)
			resp.Body.Close()
			last.status = resp.StatusCode
		}
		require.Equal(t, http.StatusTooManyRequests, last.status, "the history rate limit never answered 429")
		a := get("/api/v1/games/timeline/401547457", 429)
		n, err := strconv.Atoi(a.header.Get("Retry-After"))
		require.NoError(t, err, "Retry-After %q", a.header.Get("Retry-After"))
		assert.Positive(t, n)
	})

	t.Run("upcoming games", func(t *testing.T) {
		get("/api/v1/games/upcoming", 200)
		get("/api/v1/games/upcoming?hours=168&team_ids=nfl-wsh,chi", 200)
		var st struct {
			Status            string `json:"status"`
			MinutesUntilStart *int   `json:"minutes_until_start"`
		}
		get("/api/v1/ha/game-status/WSH?league=nfl", 200).decode(t, &st)
		assert.Equal(t, "upcoming", st.Status)
		require.NotNil(t, st.MinutesUntilStart)
		var ctx struct {
			NextGame  map[string]any `json:"next_game"`
			KickoffIn *string        `json:"kickoff_in"`
			Odds      map[string]any `json:"odds"`
		}
		get("/api/v1/ha/game-context/Commanders", 200).decode(t, &ctx)
		assert.NotNil(t, ctx.NextGame)
		assert.NotNil(t, ctx.KickoffIn)
	})

	t.Run("api key", func(t *testing.T) {
		rcv := newReceiver(t, http.StatusNoContent)
		body := map[string]any{"url": rcv.URL(), "secret": webhooktest.Secret}
		for _, route := range []struct{ method, path string }{
			{http.MethodPost, "/api/v1/ha/webhooks/register"},
			{http.MethodPost, "/api/v1/webhooks/register"},
			{http.MethodPost, "/api/v1/ha/webhooks/game-start"},
			{http.MethodPost, "/api/v1/ha/webhooks/game-end"},
			{http.MethodPost, "/api/v1/ha/webhooks/score-update"},
			{http.MethodPost, "/api/v1/user/teams"},
		} {
			a := c.check(t, s.base, route.method, route.path, body, nil, 401)
			assert.NotEmpty(t, a.header.Get("WWW-Authenticate"), route.path)
			c.check(t, s.base, route.method, route.path, body, http.Header{"X-Api-Key": {"wrong"}}, 401)
		}
		var reg struct {
			ID string `json:"webhook_id"`
		}
		c.check(t, s.base, http.MethodPost, "/api/v1/ha/webhooks/register", body,
			http.Header{"Authorization": {"Bearer " + key}}, 201).decode(t, &reg)
		require.NotEmpty(t, reg.ID)
		c.check(t, s.base, http.MethodPost, "/api/v1/ha/webhooks/"+reg.ID+"/test", nil, nil, 401)
		c.check(t, s.base, http.MethodDelete, "/api/v1/ha/webhooks/"+reg.ID, nil, nil, 401)
		c.check(t, s.base, http.MethodDelete, "/api/v1/webhooks/"+reg.ID, nil, nil, 401)
		c.check(t, s.base, http.MethodPost, "/api/v1/ha/webhooks/"+reg.ID+"/test", nil, http.Header{"X-Api-Key": {key}}, 200)
		c.check(t, s.base, http.MethodDelete, "/api/v1/webhooks/"+reg.ID, nil, http.Header{"X-Api-Key": {key}}, 204)
		c.check(t, s.base, http.MethodPost, "/api/v1/user/teams", map[string]any{"nfl_teams": []string{"wsh"}},
			http.Header{"X-Api-Key": {key}}, 200)
		// The webhook lists need the key (their URLs are secrets); other
		// reads do not.
		get("/api/v1/ha/webhooks", 401)
		get("/api/v1/webhooks/list", 401)
		c.check(t, s.base, http.MethodGet, "/api/v1/ha/webhooks", nil, http.Header{"X-Api-Key": {key}}, 200)
		c.check(t, s.base, http.MethodGet, "/api/v1/webhooks/list", nil, http.Header{"Authorization": {"Bearer " + key}}, 200)
		get("/api/v1/user/teams", 200)
		checkCallbacks(t, c, rcv)
		assert.Equal(t, 1, testEvents(rcv))
	})
}

// TestOpenAPIContractCatchesDrift makes sure the validation used above
// fails on an undocumented field, a missing required field, a wrong type
// and an undocumented status, naming the route.
func TestOpenAPIContractCatchesDrift(t *testing.T) {
	t.Parallel()
	c := loadContract(t)
	req := httptest.NewRequest(http.MethodGet, "/api/v1/games/timeline/1", nil)
	route, params, err := c.router.FindRoute(req)
	require.NoError(t, err)
	validate := func(status int, body string) error {
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 status,
			Header:                 http.Header{"Content-Type": {"application/json"}},
			Body:                   io.NopCloser(strings.NewReader(body)),
			Options:                validationOptions(),
		})
	}
	good := `{"game_id":"1","league":"NFL","home_team":"MIA","away_team":"NE","timeline":[
		{"time":"2022-09-11T17:05:00Z","home_score":0,"away_score":0,"period":1,"time_remaining":"15:00","status":"live"}],
		"final_score":null,"duration_minutes":null}`
	require.NoError(t, validate(200, good))
	require.NoError(t, validate(404, `{"detail":"game 1 not found"}`))
	for name, tc := range map[string]struct {
		status int
		body   string
	}{
		"undocumented field":   {200, strings.Replace(good, `"league":"NFL"`, `"league":"NFL","venue":"x"`, 1)},
		"missing field":        {200, strings.Replace(good, `"league":"NFL",`, ``, 1)},
		"wrong type":           {200, strings.Replace(good, `"home_score":0`, `"home_score":"0"`, 1)},
		"bad enum":             {200, strings.Replace(good, `"status":"live"`, `"status":"halftime"`, 1)},
		"not a date-time":      {200, strings.Replace(good, `2022-09-11T17:05:00Z`, `2022-09-11 17:05`, 1)},
		"null not allowed":     {200, strings.Replace(good, `"league":"NFL"`, `"league":null`, 1)},
		"status":               {409, `{"detail":"x"}`},
		"error without detail": {404, `{"message":"x"}`},
	} {
		err := validate(tc.status, tc.body)
		assert.Error(t, err, name)
		var re *openapi3filter.ResponseError
		assert.True(t, errors.As(err, &re), "%s: %T", name, err)
	}
}
