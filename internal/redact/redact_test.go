package redact

import (
	"net/url"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://ha:8123/api/webhook/abc123", "http://ha:8123/api/webhook/***"},
		{"https://ha.local/api/webhook/abc123/", "https://ha.local/api/webhook/***/"},
		{"http://user:pw@ha:8123/api/webhook/abc", "http://user:***@ha:8123/api/webhook/***"},
		{"http://user@ha/x", "http://user@ha/***"},
		{"http://ha:8123", "http://ha:8123"},
		{"http://ha:8123/", "http://ha:8123/"},
		{"http://ha/hook?token=s3cret&b=1", "http://ha/***?b=***&token=***"},
		{"http://ha/a%2Fb/c%20d", "http://ha/a%2Fb/***"},
		{"http://ha/hook#frag", "http://ha/***"},
		{"http://admin:p%40ss@influx:8086", "http://admin:***@influx:8086"},
		{"", ""},
		{"not a url", Mask},
		{"http://[::1", Mask},
	}
	for _, c := range cases {
		if got := URL(c.in); got != c.want {
			t.Errorf("URL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzURL(f *testing.F) {
	for _, s := range []string{"http://u:pw@h:1/a/secret?x=secret", "https://h/secret/", "secret", "http://h/%zz/secret", "http://h/a%2Fb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := URL(raw)
		if again := URL(got); again != got {
			t.Fatalf("URL(%q) = %q, but masking that again gives %q", raw, got, again)
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme == "" && u.Host == "") {
			return
		}
		m, err := url.Parse(got)
		if err != nil {
			t.Fatalf("URL(%q) = %q, which does not parse: %v", raw, got, err)
		}
		if pw, has := u.User.Password(); has && pw != Mask {
			if mpw, _ := m.User.Password(); mpw != Mask {
				t.Fatalf("URL(%q) = %q keeps the password", raw, got)
			}
		}
		if p := strings.Trim(u.EscapedPath(), "/"); p != "" {
			segs := strings.Split(strings.Trim(m.EscapedPath(), "/"), "/")
			if segs[len(segs)-1] != Mask {
				t.Fatalf("URL(%q) = %q keeps the last path segment", raw, got)
			}
		}
	})
}

func TestPassword(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://site.api.espn.com/apis/site/v2/sports", "https://site.api.espn.com/apis/site/v2/sports"},
		{"http://admin:p%40ss@influx:8086", "http://admin:***@influx:8086"},
		{"http://u:pw@proxy/apis/site/v2/sports/football/nfl/scoreboard?dates=20221011", "http://u:***@proxy/apis/site/v2/sports/football/nfl/scoreboard?dates=20221011"},
		{"http://user@influx:8086", "http://user@influx:8086"},
		{"", ""},
		{"http://u:pw@[::1", Mask},
	}
	for _, c := range cases {
		if got := Password(c.in); got != c.want {
			t.Errorf("Password(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
