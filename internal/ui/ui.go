// Package ui is the web page for the people who run the service, served
// by the binary at /ui/: what is live now, a game's story as a chart, a
// team's season and the ways to follow it, and the webhooks with a test
// button. It is one HTML page (the same for every view), a style sheet
// and a few small JavaScript modules, embedded in the binary: no build
// step, nothing from another site, so it works on a home network without
// internet. The page reads the service's JSON routes and follows games
// with the live stream; it holds no data of its own.
//
// Every file is compressed once at start (gzip) and served with an ETag.
// The page is revalidated on every load; the assets live under a path
// named by a hash of all of them, so a browser keeps them until the
// service is upgraded. The Content-Security-Policy allows scripts, styles
// and connections to this origin only and no framing: nothing another
// site does can run in the page, or put it in a frame to trick a click.
package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/league"
)

//go:embed page
var files embed.FS

// AssetPrefix is the path the assets are served under, followed by the
// version and the file name.
const AssetPrefix = "/ui/assets/"

// Policy is the Content-Security-Policy of the page and its assets.
const Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'none'"

// Handler serves the page and its assets. It is safe for concurrent use.
type Handler struct {
	version  string
	template string // the page with the assets' path and the leagues filled in
	page     *file
	assets   map[string]*file
}

// file is one body, plain and compressed, with its validators.
type file struct {
	plain, gz   []byte
	contentType string
	etag        string
}

// leagueInfo is what the page knows of each followed league, so that it
// names periods as the league does.
type leagueInfo struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	Sport      string `json:"sport"`
	PeriodName string `json:"period_name"`
	Periods    int    `json:"periods"`
	Draws      bool   `json:"draws"`
}

// New prepares the page for the followed leagues.
func New(leagues []league.League) (*Handler, error) {
	h := &Handler{assets: map[string]*file{}}
	sum := sha256.New()
	names, err := fs.Glob(files, "page/*")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for _, name := range names {
		base := path.Base(name)
		if base == "index.html" {
			continue
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(sum, "%s\x00%d\x00", base, len(b))
		sum.Write(b)
		h.assets[base] = newFile(b, mime.TypeByExtension(path.Ext(base)))
	}
	h.version = hex.EncodeToString(sum.Sum(nil))[:12]

	tmpl, err := files.ReadFile("page/index.html")
	if err != nil {
		return nil, err
	}
	infos := make([]leagueInfo, 0, len(leagues))
	for _, l := range leagues {
		infos = append(infos, leagueInfo{Key: l.Key, Name: l.Name, Title: l.Title, Sport: l.Sport,
			PeriodName: l.PeriodName, Periods: l.Periods, Draws: l.Draws()})
	}
	// json escapes <, > and &, so the data cannot end its script element.
	data, err := json.Marshal(infos)
	if err != nil {
		return nil, err
	}
	h.template = strings.ReplaceAll(string(tmpl), "{{assets}}", AssetPrefix+h.version)
	h.template = strings.Replace(h.template, "{{leagues}}", string(data), 1)
	h.SetRoutes(nil)
	return h, nil
}

// SetRoutes tells the page which routes the service answers, so that it
// offers only what exists (a team's standing and calendar, where the
// service has them). It is called before the handler serves.
func (h *Handler) SetRoutes(patterns []string) {
	if patterns == nil {
		patterns = []string{}
	}
	// Patterns are the router's own strings; json escapes what could end
	// the script element.
	data, _ := json.Marshal(patterns)
	h.page = newFile([]byte(strings.Replace(h.template, "{{routes}}", string(data), 1)), "text/html; charset=utf-8")
}

func newFile(b []byte, contentType string) *file {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	sum := sha256.Sum256(b)
	return &file{plain: b, gz: buf.Bytes(), contentType: contentType, etag: hex.EncodeToString(sum[:8])}
}

// Version names the assets: a hash of them all.
func (h *Handler) Version() string { return h.version }

// Page answers any view of the page; the page finds its view in the path.
func (h *Handler) Page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	h.serve(w, r, h.page)
}

// Asset answers one asset under AssetPrefix/<version>/<name>; another
// version is 404, so that a page never runs with assets it was not made
// with.
func (h *Handler) Asset(w http.ResponseWriter, r *http.Request) {
	version, name, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, AssetPrefix), "/")
	f := h.assets[name]
	if version != h.version || f == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"detail":"Not Found"}`))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	h.serve(w, r, f)
}

// Files are the page and each asset with their sizes, plain and
// compressed: what a first visit downloads.
func (h *Handler) Files() map[string][2]int {
	out := map[string][2]int{"index.html": {len(h.page.plain), len(h.page.gz)}}
	for name, f := range h.assets {
		out[name] = [2]int{len(f.plain), len(f.gz)}
	}
	return out
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, f *file) {
	hd := w.Header()
	hd.Set("Content-Type", f.contentType)
	hd.Set("Content-Security-Policy", Policy)
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	hd.Add("Vary", "Accept-Encoding")
	body, etag := f.plain, f.etag
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = f.gz, f.etag+"-gz"
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reads Accept-Encoding well enough for browsers: gzip listed
// without q=0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
