package influxtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// T is what the per-test functions of this package need of a test.
type T interface {
	TB
	Cleanup(func())
	TempDir() string
	Logf(format string, args ...any)
}

// RandomName is a database or bucket name no test has used.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Database1 names a database no test has used on the 1.8 at base and drops
// it when the test ends. The store creates it.
func Database1(t T, base string) string {
	t.Helper()
	name := RandomName("sdtest_")
	t.Cleanup(func() {
		resp, err := http.PostForm(base+"/query", url.Values{"q": {`DROP DATABASE "` + name + `"`}})
		if err == nil {
			resp.Body.Close()
		}
	})
	return name
}

// Bucket2 creates a bucket keeping points for retention (0: forever) on a
// 2.7 server and deletes it when the test ends. 2.7 maps a bucket to the
// InfluxQL database of the same name by itself (a virtual DBRP mapping),
// which is what the store's reads rely on.
func Bucket2(t T, s *Server, retention time.Duration) string {
	t.Helper()
	return Bucket2Named(t, s, RandomName("sdtest_"), retention)
}

// Bucket2Named is Bucket2 with a name of the caller's choosing.
func Bucket2Named(t T, s *Server, name string, retention time.Duration) string {
	t.Helper()
	ctx := context.Background()
	var orgs struct {
		Orgs []struct {
			ID string `json:"id"`
		} `json:"orgs"`
	}
	if err := s.call(ctx, http.MethodGet, "/api/v2/orgs?org="+url.QueryEscape(s.Org), nil, &orgs); err != nil || len(orgs.Orgs) != 1 {
		t.Fatal("InfluxDB 2.7 organisation ", s.Org, ": ", err)
	}
	rule := map[string]any{"type": "expire", "everySeconds": int64(retention / time.Second)}
	var bucket struct {
		ID string `json:"id"`
	}
	err := s.call(ctx, http.MethodPost, "/api/v2/buckets", map[string]any{
		"orgID": orgs.Orgs[0].ID, "name": name, "retentionRules": []any{rule},
	}, &bucket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.call(context.Background(), http.MethodDelete, "/api/v2/buckets/"+bucket.ID, nil, nil) })
	return name
}

// Database3 creates a database on an InfluxDB 3 server (with a retention
// period such as "730d", or none when empty) and deletes it when the test
// ends. InfluxDB 3 Core holds at most five databases: while they are taken,
// by tests of other packages running at the same time, it waits, for at
// most two minutes.
func Database3(t T, s *Server, retention string) string {
	t.Helper()
	name := RandomName("sdtest_")
	body := map[string]string{"db": name}
	if retention != "" {
		body["retention_period"] = retention
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := s.call(context.Background(), http.MethodPost, "/api/v3/configure/database", body, nil)
		if err == nil {
			break
		}
		var se *StatusError
		if !errors.As(err, &se) || !strings.Contains(se.Body, "exceed limit") || time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Cleanup(func() { DropDatabase3(s, name) })
	return name
}

// DropDatabase3 deletes a database of an InfluxDB 3 server (a deleted
// database frees its place under Core's limit at once).
func DropDatabase3(s *Server, name string) {
	_ = s.call(context.Background(), http.MethodDelete, "/api/v3/configure/database?db="+url.QueryEscape(name), nil, nil)
}
