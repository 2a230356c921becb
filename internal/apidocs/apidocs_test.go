package apidocs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"

	"github.com/sports-data/sports-data/api"
	"github.com/sports-data/sports-data/internal/apidocs"
)

// handlers are built once: converting the document is the slow part.
var handlers = sync.OnceValue(apidocs.Handlers)

func serve(t *testing.T, method, path string, header http.Header) *http.Response {
	t.Helper()
	h := handlers()
	require.Contains(t, h, path)
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h[path].ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return b
}

// yamlPaths lists the document's paths and their methods in written order.
func yamlPaths(t *testing.T) ([]string, map[string][]string) {
	t.Helper()
	var doc struct {
		Paths yaml.Node `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(api.OpenAPIYAML(), &doc))
	var order []string
	methods := map[string][]string{}
	for i := 0; i+1 < len(doc.Paths.Content); i += 2 {
		p := doc.Paths.Content[i].Value
		order = append(order, p)
		item := doc.Paths.Content[i+1]
		for j := 0; j+1 < len(item.Content); j += 2 {
			methods[p] = append(methods[p], item.Content[j].Value)
		}
	}
	require.NotEmpty(t, order)
	return order, methods
}

func TestOpenAPIJSONHasEveryPathInOrder(t *testing.T) {
	resp := serve(t, http.MethodGet, "/openapi.json", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	raw := body(t, resp)
	require.True(t, json.Valid(raw), "openapi.json is not valid JSON")

	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.Equal(t, "3.0.3", doc.OpenAPI)

	order, methods := yamlPaths(t)
	require.Len(t, doc.Paths, len(order))
	for _, p := range order {
		require.Contains(t, doc.Paths, p)
		for _, m := range methods[p] {
			require.Contains(t, doc.Paths[p], m, "%s %s missing from openapi.json", m, p)
		}
	}

	// Paths keep the written order, so the page lists routes as the
	// document does.
	var got []string
	dec := json.NewDecoder(bytes.NewReader(raw))
	var sub struct {
		Paths json.RawMessage `json:"paths"`
	}
	require.NoError(t, dec.Decode(&sub))
	pd := json.NewDecoder(bytes.NewReader(sub.Paths))
	_, _ = pd.Token() // {
	for pd.More() {
		tok, err := pd.Token()
		require.NoError(t, err)
		got = append(got, tok.(string))
		var skip json.RawMessage
		require.NoError(t, pd.Decode(&skip))
	}
	require.Equal(t, order, got)
}

func TestOpenAPIJSONIsTheSameDocument(t *testing.T) {
	raw := body(t, serve(t, http.MethodGet, "/openapi.json", nil))
	fromJSON, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	require.NoError(t, fromJSON.Validate(context.Background()))
	fromYAML, err := openapi3.NewLoader().LoadFromData(api.OpenAPIYAML())
	require.NoError(t, err)
	a, err := json.Marshal(fromJSON)
	require.NoError(t, err)
	b, err := json.Marshal(fromYAML)
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(a))
}

func TestDocsPageIsSelfContained(t *testing.T) {
	resp := serve(t, http.MethodGet, "/docs", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	page := body(t, resp)

	// No address of another host anywhere: not in attributes, not in the
	// script (a fetch), not in the style (a font).
	require.NotContains(t, string(page), "http://")
	require.NotContains(t, string(page), "https://")
	require.NotContains(t, string(page), "@import")
	require.NotContains(t, string(page), "url(")

	var scripts, styles []string
	z := html.NewTokenizer(bytes.NewReader(page))
	var in string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			require.ErrorIs(t, z.Err(), io.EOF)
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			in = tok.Data
			for _, a := range tok.Attr {
				switch a.Key {
				case "src", "href", "action", "srcset":
					v := strings.ToLower(strings.TrimSpace(a.Val))
					require.False(t, strings.HasPrefix(v, "//") || strings.Contains(v, ":"),
						"<%s %s=%q> points away from this host", tok.Data, a.Key, a.Val)
				}
				if tok.Data == "script" && a.Key == "src" {
					t.Fatalf("<script src=%q>: the page must carry its script inline", a.Val)
				}
				if tok.Data == "link" {
					t.Fatalf("<link %s=%q>: the page must carry its style inline", a.Key, a.Val)
				}
			}
		case html.TextToken:
			switch in {
			case "script":
				scripts = append(scripts, tok.Data)
			case "style":
				styles = append(styles, tok.Data)
			}
		case html.EndTagToken:
			in = ""
		}
	}
	require.Len(t, scripts, 1)
	require.Len(t, styles, 1)
	require.Contains(t, scripts[0], `fetch("openapi.json"`)

	// The policy allows exactly the inline script and style, and fetches
	// from this origin only.
	csp := resp.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'none'")
	require.Contains(t, csp, "connect-src 'self'")
	require.Contains(t, csp, "script-src '"+hash(scripts[0])+"'")
	require.Contains(t, csp, "style-src '"+hash(styles[0])+"'")
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func TestOnlyGetAndHead(t *testing.T) {
	for _, path := range []string{"/docs", "/openapi.json"} {
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			resp := serve(t, m, path, nil)
			require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "%s %s", m, path)
			require.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
			require.JSONEq(t, `{"detail":"Method Not Allowed"}`, string(body(t, resp)))
		}
		head := serve(t, http.MethodHead, path, nil)
		require.Equal(t, http.StatusOK, head.StatusCode)
		require.Empty(t, body(t, head))
	}
}

func TestETagRevalidation(t *testing.T) {
	for _, path := range []string{"/docs", "/openapi.json"} {
		first := serve(t, http.MethodGet, path, nil)
		tag := first.Header.Get("ETag")
		require.NotEmpty(t, tag)
		again := serve(t, http.MethodGet, path, http.Header{"If-None-Match": {tag}})
		require.Equal(t, http.StatusNotModified, again.StatusCode, path)
		other := serve(t, http.MethodGet, path, http.Header{"If-None-Match": {`"something-else"`}})
		require.Equal(t, http.StatusOK, other.StatusCode, path)
	}
}

func TestNewRejectsBrokenDocuments(t *testing.T) {
	for name, doc := range map[string]string{
		"not yaml":       "openapi: [3.0.3\n",
		"duplicate key":  "openapi: 3.0.3\npaths: {}\npaths: {}\n",
		"empty":          "",
		"non-scalar key": "? [a, b]\n: c\n",
	} {
		_, err := apidocs.New([]byte(doc))
		require.Error(t, err, name)
	}
}
