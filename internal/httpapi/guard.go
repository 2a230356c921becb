package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-chi/chi/v5"
)

// maxBody bounds every request body; registrations and team lists are tiny.
const maxBody = 64 << 10

// maxHeaderBytes bounds the request line and headers the server reads.
const maxHeaderBytes = 64 << 10

var errTooLarge = &apiError{status: http.StatusRequestEntityTooLarge, msg: "request body is larger than 64 KiB"}

// guardWrites protects the mutating routes from pages on other sites: a
// home network is not a trusted network, and any page its users visit can
// send requests to the service. Browser requests (Sec-Fetch-Site, Origin)
// to a mutating route from an origin not listed by name in CORS_ORIGINS
// are refused with 403; a body must be JSON (415 otherwise), which a plain
// HTML form cannot send; a body over 64 KiB is 413 before any route sees
// it. Requests without those browser headers (curl, Home Assistant) pass.
func (s *Server) guardWrites(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	for _, o := range s.d.Options.CORSOrigins {
		if o != "*" {
			// The configuration accepts only origins this parses.
			_ = cop.AddTrustedOrigin(o)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, errorBody{
			Detail: "cross-site request refused: this origin is not listed in CORS_ORIGINS",
		})
	}))
	checked := cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hasBody(r) && !isJSON(r.Header.Get("Content-Type")) {
			writeJSON(w, http.StatusUnsupportedMediaType, errorBody{Detail: "the request body must be JSON, sent with Content-Type: application/json"})
			return
		}
		next.ServeHTTP(w, r)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Detail: errTooLarge.msg})
			return
		}
		if safeMethod(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		checked.ServeHTTP(w, r)
	})
}

func safeMethod(m string) bool {
	return slices.Contains([]string{http.MethodGet, http.MethodHead, http.MethodOptions}, m)
}

// hasBody: a request of unknown length (chunked) counts as one.
func hasBody(r *http.Request) bool {
	return r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// readBody reads the whole body, at most maxBody bytes (413 beyond).
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBody {
		return nil, errTooLarge
	}
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge
		}
		return nil, badRequest("the request body could not be read")
	}
	return b, nil
}

// pathParam is a path parameter decoded: chi hands over the escaped form
// when the path had escapes Go would not have written (%2F, lower-case
// hex), and a team such as "Montr%c3%a9al" must resolve like "Montréal".
func pathParam(r *http.Request, name string) (string, error) {
	raw := chi.URLParam(r, name)
	v, err := url.PathUnescape(raw)
	if err != nil {
		return "", badRequest("%s: %q is not a valid percent-escaped path segment", name, clip(raw))
	}
	return v, nil
}
