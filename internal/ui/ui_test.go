package ui

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/league"
)

func newHandler(t *testing.T) *Handler {
	t.Helper()
	nfl, _ := league.Lookup("nfl")
	epl, _ := league.Lookup("epl")
	h, err := New([]league.League{nfl, epl})
	require.NoError(t, err)
	return h
}

func get(h http.HandlerFunc, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h(rec, req)
	return rec
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return string(out)
}

// The page allows nothing from another origin and no framing; it names
// its assets by their version, the followed leagues and the routes.
func TestPageHeadersAndContent(t *testing.T) {
	h := newHandler(t)
	h.SetRoutes([]string{"/api/v1/games/live", "/x/</script><script>alert(1)</script>"})
	rec := get(h.Page, "/ui/", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	hd := rec.Header()
	assert.Equal(t, "text/html; charset=utf-8", hd.Get("Content-Type"))
	assert.Equal(t, Policy, hd.Get("Content-Security-Policy"))
	assert.Contains(t, Policy, "script-src 'self';")
	assert.Contains(t, Policy, "frame-ancestors 'none'")
	assert.NotContains(t, Policy, "unsafe-inline")
	assert.Equal(t, "DENY", hd.Get("X-Frame-Options"))
	assert.Equal(t, "no-referrer", hd.Get("Referrer-Policy"))
	assert.Equal(t, "nosniff", hd.Get("X-Content-Type-Options"))
	assert.Equal(t, "no-cache", hd.Get("Cache-Control"))
	body := rec.Body.String()
	assert.Contains(t, body, `src="`+AssetPrefix+h.Version()+`/app.js"`)
	assert.Contains(t, body, `"key":"epl","name":"EPL"`)
	assert.Contains(t, body, `"period_name":"half","periods":2,"draws":true`)
	assert.Contains(t, body, `"/api/v1/games/live"`)
	assert.NotContains(t, body, "</script><script>alert", "a route pattern cannot end the data element")
	assert.NotContains(t, body, "{{", "every placeholder is filled")
	// No inline script or style: the policy would refuse them.
	assert.NotRegexp(t, `<script(?: type="module")?>`, body)
	assert.NotContains(t, body, "<style")
	assert.NotContains(t, body, " style=")
}

// Compressed for browsers that take gzip, revalidated by ETag, each form
// with its own.
func TestCompressionAndRevalidation(t *testing.T) {
	h := newHandler(t)
	plain := get(h.Page, "/ui/", nil)
	zipped := get(h.Page, "/ui/", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	assert.Equal(t, "gzip", zipped.Header().Get("Content-Encoding"))
	assert.Empty(t, plain.Header().Get("Content-Encoding"))
	assert.Equal(t, plain.Body.String(), gunzip(t, zipped.Body.Bytes()))
	assert.Less(t, zipped.Body.Len(), plain.Body.Len())
	assert.Contains(t, zipped.Header().Values("Vary"), "Accept-Encoding")
	assert.NotEqual(t, plain.Header().Get("ETag"), zipped.Header().Get("ETag"))

	again := get(h.Page, "/ui/", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": zipped.Header().Get("ETag")})
	assert.Equal(t, http.StatusNotModified, again.Code)
	assert.Zero(t, again.Body.Len())
	refused := get(h.Page, "/ui/", map[string]string{"Accept-Encoding": "gzip;q=0"})
	assert.Empty(t, refused.Header().Get("Content-Encoding"))
}

// Assets are served under their version for a year; another version or
// an unknown name is 404.
func TestAssets(t *testing.T) {
	h := newHandler(t)
	base := AssetPrefix + h.Version() + "/"
	rec := get(h.Asset, base+"app.js", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/javascript; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, "public, max-age=31536000, immutable", rec.Header().Get("Cache-Control"))
	assert.Equal(t, Policy, rec.Header().Get("Content-Security-Policy"))
	rec = get(h.Asset, base+"app.css", nil)
	assert.Equal(t, "text/css; charset=utf-8", rec.Header().Get("Content-Type"))
	for _, target := range []string{AssetPrefix + "000000000000/app.js", base + "nope.js", base + "index.html", AssetPrefix + h.Version()} {
		rec := get(h.Asset, target, nil)
		assert.Equal(t, http.StatusNotFound, rec.Code, target)
		assert.JSONEq(t, `{"detail":"Not Found"}`, rec.Body.String())
	}
}

// Without a build step nothing checks the modules' imports but this: each
// file the page and the modules name exists, and every asset is used.
func TestEveryReferenceResolves(t *testing.T) {
	h := newHandler(t)
	page := get(h.Page, "/ui/", nil).Body.String()
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\{\{assets\}\}/([\w.-]+)|`+regexp.QuoteMeta(AssetPrefix+h.Version())+`/([\w.-]+)`).FindAllStringSubmatch(page, -1) {
		used[m[1]+m[2]] = true
	}
	imports := regexp.MustCompile(`(?:from|import\()\s*"\./([\w.-]+)"`)
	names, err := fs.Glob(files, "page/*.js")
	require.NoError(t, err)
	for _, name := range names {
		b, err := files.ReadFile(name)
		require.NoError(t, err)
		for _, m := range imports.FindAllStringSubmatch(string(b), -1) {
			assert.Contains(t, h.Files(), m[1], "%s imports a missing module", name)
			used[m[1]] = true
		}
	}
	for name := range h.Files() {
		if name != "index.html" {
			assert.True(t, used[name], "%s is served but nothing loads it", name)
		}
	}
}

// Files a reader can hold in one sitting.
func TestFilesStaySmall(t *testing.T) {
	names, err := fs.Glob(files, "page/*")
	require.NoError(t, err)
	for _, name := range names {
		b, err := files.ReadFile(name)
		require.NoError(t, err)
		assert.LessOrEqual(t, bytes.Count(b, []byte("\n")), 600, name)
	}
}

// TestPageWeight logs what a first visit downloads: the page and every
// asset, as sent (gzip), and bounds it.
func TestPageWeight(t *testing.T) {
	h := newHandler(t)
	files := h.Files()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	plain, gz := 0, 0
	for _, n := range names {
		s := files[n]
		plain += s[0]
		gz += s[1]
		t.Logf("%-14s %6d bytes, %5d gzip", n, s[0], s[1])
	}
	t.Logf("all %d files: %d bytes, %d gzip", len(names), plain, gz)
	assert.Less(t, gz, 40<<10, "the whole page stays small")
	for _, n := range names {
		assert.Contains(t, []string{".html", ".js", ".css"}, path.Ext(n), "no other kind of file: %s", n)
		assert.False(t, strings.HasPrefix(n, "."), n)
	}
}
