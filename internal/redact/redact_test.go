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
		{"http://TOKEN@ha/x", "http://***@ha/***"},
		{"http://TOKEN@ha:8123", "http://***@ha:8123"},
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
		if _, has := u.User.Password(); u.User != nil && !has && m.User.Username() != Mask {
			t.Fatalf("URL(%q) = %q keeps a user name that comes alone (a token)", raw, got)
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
		{"http://TOKEN@influx:8086", "http://***@influx:8086"},
		{"", ""},
		// Malformed (MQTT_URL with a bad port, a password with "/"):
		// enough is shown to fix it, never the credentials.
		{"http://u:pw@[::1", "http://***@[::1"},
		{"mqtt://user:s3cret@broker:18a83", "mqtt://***@broker:18a83"},
		{"mqtt://user:pa/ss@word@broker:bad/x?token=t", "mqtt://***@broker:bad/x?***"},
		{"mqtt://broker:bad", "mqtt://broker:bad"},
		{"no scheme:s3cret@x%zz", Mask},
	}
	for _, c := range cases {
		if got := Password(c.in); got != c.want {
			t.Errorf("Password(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzPassword(f *testing.F) {
	for _, s := range []string{"mqtt://u:secret@h:1883", "mqtt://TOKEN@h", "mqtt://u:se/cret@h:bad", "http://h/p?x=1", "x%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := Password(raw)
		if u, err := url.Parse(raw); err == nil {
			if u.User == nil {
				return
			}
			m, err := url.Parse(got)
			if err != nil {
				t.Fatalf("Password(%q) = %q, which does not parse: %v", raw, got, err)
			}
			if pw, has := u.User.Password(); has && pw != Mask {
				if mpw, _ := m.User.Password(); mpw != Mask {
					t.Fatalf("Password(%q) = %q keeps the password", raw, got)
				}
			} else if !has && m.User.Username() != Mask {
				t.Fatalf("Password(%q) = %q keeps a user name that comes alone (a token)", raw, got)
			}
			return
		}
		// Malformed: what stands before the last "@" of the part before
		// the query is never shown.
		_, rest, ok := strings.Cut(raw, "://")
		if !ok {
			if got != Mask {
				t.Fatalf("Password(%q) = %q, want it masked whole", raw, got)
			}
			return
		}
		if i := strings.IndexAny(rest, "?#"); i >= 0 {
			rest = rest[:i]
		}
		if i := strings.LastIndex(rest, "@"); i > 0 && strings.Contains(got, rest[:i]+"@") {
			t.Fatalf("Password(%q) = %q shows the user info", raw, got)
		}
	})
}
