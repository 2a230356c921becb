package influx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/InfluxCommunity/influxdb3-go/v2/influxdb3"

	"github.com/sports-data/sports-data/internal/retry"
)

// newClient builds the influxdb3-go client. Its write options start from
// the library defaults. InfluxDB 3 is written through its own endpoint,
// /api/v3/write_lp with partial writes, which stores the good lines of a
// request and names the refused ones (its /api/v2/write refuses the whole
// request for one bad line, with a message that names none); 1.8 and 2.x
// answer that endpoint with 404 and get /api/v2/write.
func (s *Store) newClient(major int) (*influxdb3.Client, error) {
	wo := influxdb3.DefaultWriteOptions
	wo.UseV2Api = major != 3
	wo.AcceptPartial = true
	hc := *s.httpc
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	token := s.opts.Token
	if token == "" {
		// influxdb3-go insists on a token; servers without auth get no
		// Authorization header at all.
		token = "none"
		hc.Transport = dropAuthorization{base}
	}
	return influxdb3.New(influxdb3.ClientConfig{
		Host:         s.opts.URL,
		Token:        token,
		Organization: s.opts.Org,
		Database:     s.opts.Database,
		HTTPClient:   &hc,
		WriteOptions: &wo,
	})
}

type dropAuthorization struct{ base http.RoundTripper }

func (d dropAuthorization) CloseIdleConnections() {
	if c, ok := d.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (d dropAuthorization) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Del("Authorization")
	return d.base.RoundTrip(r)
}

// request sends one HTTP request to the server with the token and the
// per-request timeout, and maps transport failures and auth refusals.
func (s *Store) request(ctx context.Context, method, path string, query url.Values, body io.Reader, contentType string) (*http.Response, error) {
	u := *s.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("influx: %w", err)
	}
	if s.opts.Token != "" {
		req.Header.Set("Authorization", "Token "+s.opts.Token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.httpc.Do(req)
	if err != nil {
		if ctxErr := context.Cause(ctx); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
			return nil, fmt.Errorf("influx: %s %s: %w", method, path, ctxErr)
		}
		return nil, unavailable("%s %s: %v", method, path, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		msg := readError(resp)
		return nil, &statusError{status: resp.StatusCode, err: unauthorized(fmt.Sprintf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, msg))}
	case retry.RetryableStatus(resp.StatusCode):
		msg := readError(resp)
		return nil, unavailable("%s %s: HTTP %d: %s", method, path, resp.StatusCode, msg)
	}
	return resp, nil
}

// statusError keeps the HTTP status of a refusal for callers that treat
// 403 differently from 401.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// readError returns the server's error text and closes the body.
func readError(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var e struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &e) == nil {
		if e.Error != "" {
			return e.Error
		}
		if e.Message != "" {
			return e.Message
		}
	}
	if t := strings.TrimSpace(string(b)); t != "" {
		return t
	}
	return resp.Status
}

func (s *Store) ping(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	resp, err := s.request(ctx, http.MethodGet, "/ping", nil, nil, "")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", unavailable("GET /ping: HTTP %d: %s", resp.StatusCode, readError(resp))
	}
	if v := resp.Header.Get("X-Influxdb-Version"); v != "" {
		return v, nil
	}
	var body struct {
		Version string `json:"version"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body)
	return body.Version, nil
}
