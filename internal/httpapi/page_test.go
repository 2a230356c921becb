package httpapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/fakeclock"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/ui"
)

// The page's views answer the page, /ui moves to /ui/, assets come from
// the ui package; without a page nothing under /ui exists.
func TestPageRoutes(t *testing.T) {
	nfl, _ := league.Lookup("nfl")
	page, err := ui.New([]league.League{nfl})
	require.NoError(t, err)
	h := New(Deps{UI: page, Options: Options{AllowedHosts: []string{testHost}}})
	page.SetRoutes(Patterns(h))
	for _, path := range []string{"/ui/", "/ui/game/401437630?league=nfl", "/ui/team/nfl-ne", "/ui/webhooks"} {
		rec := call(h, http.MethodGet, path, nil)
		assert.Equal(t, http.StatusOK, rec.Code, path)
		assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"), path)
		assert.Equal(t, ui.Policy, rec.Header().Get("Content-Security-Policy"), path)
		assert.Contains(t, rec.Body.String(), `"/api/v1/games/stream"`, "the page knows the routes")
	}
	rec := call(h, http.MethodGet, "/ui", nil)
	assert.Equal(t, http.StatusMovedPermanently, rec.Code)
	assert.Equal(t, "/ui/", rec.Header().Get("Location"))
	rec = call(h, http.MethodGet, ui.AssetPrefix+page.Version()+"/app.js", nil)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, http.StatusNotFound, call(h, http.MethodGet, "/ui/other", nil).Code)
	assert.Equal(t, http.StatusMethodNotAllowed, call(h, http.MethodPost, "/ui/", nil).Code)

	bare := New(Deps{Options: Options{AllowedHosts: []string{testHost}}})
	assert.Equal(t, http.StatusNotFound, call(bare, http.MethodGet, "/ui/", nil).Code)
	assert.NotContains(t, Patterns(bare), "/ui/")
}

// A webhook's deliveries are as secret as its URL: with API_KEY set they
// need the key.
func TestDeliveriesNeedTheKey(t *testing.T) {
	c := fakeclock.New(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	h := newServer(t, map[string]string{"STORE": "none", "API_KEY": "k3y-k3y-k3y-k3y-k3y"}, c)
	assert.Equal(t, http.StatusUnauthorized, call(h, http.MethodGet, "/api/v1/ha/webhooks/wh_x/deliveries", nil).Code)
	rec := call(h, http.MethodGet, "/api/v1/ha/webhooks/wh_x/deliveries", map[string]string{"X-API-Key": "k3y-k3y-k3y-k3y-k3y"})
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.JSONEq(t, `{"detail":"webhook not found"}`, rec.Body.String())
}
