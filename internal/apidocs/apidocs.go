// Package apidocs serves the OpenAPI document as JSON (/openapi.json) and a
// page that renders it (/docs). The page is one self-contained HTML file:
// no CDN, fonts or scripts from elsewhere, so it works on a network without
// internet access, and its Content-Security-Policy forbids loading anything
// but the document from the same origin.
package apidocs

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sports-data/sports-data/api"
)

// Paths the handlers are meant to be mounted at. The page fetches the
// document relative to its own URL, so both may move under a common prefix.
const (
	JSONPath = "/openapi.json"
	DocsPath = "/docs"
)

var (
	//go:embed page/docs.html
	pageHTML string
	//go:embed page/docs.css
	pageCSS string
	//go:embed page/docs.js
	pageJS string
)

// Handlers returns the handlers of JSONPath and DocsPath for the document
// embedded in package api. The document is converted once, here; a document
// that cannot be converted is a build defect the package tests catch, so it
// panics rather than letting the service start without its contract.
func Handlers() map[string]http.Handler {
	h, err := New(api.OpenAPIYAML())
	if err != nil {
		panic("apidocs: embedded OpenAPI document: " + err.Error())
	}
	return h
}

// New returns the handlers of JSONPath and DocsPath for an OpenAPI document
// written in YAML (or JSON, which is YAML too).
func New(openAPIYAML []byte) (map[string]http.Handler, error) {
	doc, err := yamlToJSON(openAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("converting the OpenAPI document to JSON: %w", err)
	}
	page, csp := buildPage()
	return map[string]http.Handler{
		JSONPath: static{body: doc, contentType: "application/json", etag: etag(doc)},
		DocsPath: static{body: page, contentType: "text/html; charset=utf-8", etag: etag(page), csp: csp},
	}, nil
}

// buildPage inlines the style and script into the page and returns it with
// a policy that allows exactly those two (by hash) and same-origin fetches.
func buildPage() ([]byte, string) {
	page := strings.Replace(pageHTML, "/*STYLE*/", pageCSS, 1)
	page = strings.Replace(page, "/*SCRIPT*/", pageJS, 1)
	csp := strings.Join([]string{
		"default-src 'none'",
		"script-src '" + cspHash(pageJS) + "'",
		"style-src '" + cspHash(pageCSS) + "'",
		"connect-src 'self'",
		"img-src 'self' data:",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'self'",
	}, "; ")
	return []byte(page), csp
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

// static serves one fixed body to GET and HEAD, with an ETag so browsers
// revalidate cheaply.
type static struct {
	body        []byte
	contentType string
	etag        string
	csp         string
}

func (s static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write([]byte(`{"detail":"Method Not Allowed"}`))
		return
	}
	h := w.Header()
	h.Set("Content-Type", s.contentType)
	h.Set("ETag", s.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if s.csp != "" {
		h.Set("Content-Security-Policy", s.csp)
		h.Set("Referrer-Policy", "no-referrer")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.body))
}
