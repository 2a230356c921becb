package influxtest

import (
	"fmt"
	"testing"
)

// recorder is a TB that remembers how the test would have ended.
type recorder struct{ ended string }

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.ended = "fatal: " + fmt.Sprint(args...) }
func (r *recorder) Skip(args ...any)  { r.ended = "skip: " + fmt.Sprint(args...) }

func TestURLSkipsOrFailsWithoutAServer(t *testing.T) {
	t.Setenv(URLVariable, "http://127.0.0.1:18086/")
	r := &recorder{}
	if got := URL(r); got != "http://127.0.0.1:18086" || r.ended != "" {
		t.Fatalf("URL = %q, ended %q", got, r.ended)
	}

	t.Setenv(URLVariable, "")
	t.Setenv("CI", "")
	r = &recorder{}
	URL(r)
	if r.ended == "" || r.ended[:5] != "skip:" {
		t.Fatalf("without a server outside CI: %q, want a skip", r.ended)
	}
	t.Setenv("CI", "true")
	r = &recorder{}
	URL(r)
	if r.ended == "" || r.ended[:6] != "fatal:" {
		t.Fatalf("without a server in CI: %q, want a failure", r.ended)
	}
}

func TestSharedServersFollowTheSameRule(t *testing.T) {
	for _, v := range []string{URL2Variable, Token2Variable, Org2Variable, URL3Variable, TokenFile3Variable} {
		t.Setenv(v, "")
	}
	for name, open := range map[string]func(TB){
		"2.7": func(tb TB) { Shared2(tb) },
		"3":   func(tb TB) { Shared3(tb) },
	} {
		t.Setenv("CI", "")
		r := &recorder{}
		open(r)
		if len(r.ended) < 5 || r.ended[:5] != "skip:" {
			t.Errorf("%s without a server outside CI: %q, want a skip", name, r.ended)
		}
		t.Setenv("CI", "true")
		r = &recorder{}
		open(r)
		if len(r.ended) < 6 || r.ended[:6] != "fatal:" {
			t.Errorf("%s without a server in CI: %q, want a failure", name, r.ended)
		}
	}
}
