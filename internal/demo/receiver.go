package demo

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sports-data/sports-data/internal/tz"
	"github.com/sports-data/sports-data/internal/webhook"
)

// lineWriter serialises whole lines from the service's log and the
// receiver onto one output.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lineWriter) print(s string) {
	_, _ = l.Write([]byte(strings.TrimRight(s, "\n") + "\n"))
}

func (l *lineWriter) printf(format string, args ...any) {
	l.print(fmt.Sprintf(format, args...))
}

// receiver is the local webhook receiver: it verifies both signatures
// of every delivery and prints one line per event.
type receiver struct {
	url    string
	secret string
	out    *lineWriter
	srv    *http.Server
	done   chan struct{}

	mu   sync.Mutex
	seen map[string]bool // event ids printed
}

func startReceiver(secret string, out *lineWriter) (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: webhook receiver: %v", err)
	}
	r := &receiver{
		url:    "http://" + ln.Addr().String() + ReceiverPath,
		secret: secret,
		out:    out,
		done:   make(chan struct{}),
		seen:   map[string]bool{},
	}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(r.done)
		_ = r.srv.Serve(ln)
	}()
	return r, nil
}

func (r *receiver) close() {
	_ = r.srv.Close()
	<-r.done
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost || req.URL.Path != ReceiverPath {
		http.NotFound(w, req)
		return
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	if problem := verifyWebhook(req.Header, body, r.secret); problem != "" {
		r.out.printf("%s rejected a delivery: %s", time.Now().Format("15:04:05"), problem)
		http.Error(w, problem, http.StatusUnauthorized)
		return
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "not JSON", http.StatusBadRequest)
		return
	}
	// A delivery whose answer reached the sender too late is sent again
	// with the same id; receivers are expected to tell by the id.
	id := req.Header.Get("webhook-id")
	r.mu.Lock()
	again := r.seen[id]
	if len(r.seen) >= 100000 {
		clear(r.seen)
	}
	r.seen[id] = true
	r.mu.Unlock()
	line := ev.line()
	if again {
		line += " [sent again, same event id]"
	}
	r.out.print(line)
	w.WriteHeader(http.StatusNoContent)
}

// verifyWebhook checks both signature schemes a delivery carries and
// returns what is wrong, or "" when both hold.
func verifyWebhook(h http.Header, body []byte, secret string) string {
	if err := webhook.Verify(secret, h, body); err != nil {
		return err.Error()
	}
	return ""
}

// event is what the printed line needs of a payload.
type event struct {
	Event    string `json:"event"`
	League   string `json:"league"`
	HomeTeam string `json:"home_team"`
	AwayTeam string `json:"away_team"`
	Score    struct {
		Home int `json:"home"`
		Away int `json:"away"`
	} `json:"score"`
	HomeDiff  int    `json:"home_diff"`
	AwayDiff  int    `json:"away_diff"`
	Winner    string `json:"winner"`
	Timestamp string `json:"timestamp"`
	// A field's first three (golf, racing) and a bout's round.
	Podium []string `json:"podium"`
	Period int      `json:"period"`
}

// line is "13:41:07 score_change NE 14-10 BUF (+7 NE)".
func (e event) line() string {
	at := e.Timestamp
	if t, err := time.Parse(time.RFC3339, e.Timestamp); err == nil {
		at = t.In(tz.Eastern).Format("15:04:05")
	}
	head := fmt.Sprintf("%s %s %s %d-%d %s", at, e.Event, e.HomeTeam, e.Score.Home, e.Score.Away, e.AwayTeam)
	var notes []string
	switch e.Event {
	case "game_start":
		notes = append(notes, e.League+" game under way")
	case "score_change":
		switch {
		case len(e.Podium) > 0:
			notes = append(notes, "top three: "+strings.Join(e.Podium, ", "))
		case e.League == "UFC" && e.HomeDiff == 0 && e.AwayDiff == 0:
			notes = append(notes, fmt.Sprintf("round %d finished", e.Period-1))
		}
		if e.HomeDiff != 0 {
			notes = append(notes, fmt.Sprintf("%+d %s", e.HomeDiff, e.HomeTeam))
		}
		if e.AwayDiff != 0 {
			notes = append(notes, fmt.Sprintf("%+d %s", e.AwayDiff, e.AwayTeam))
		}
		if e.HomeDiff < 0 || e.AwayDiff < 0 {
			notes = append(notes, "overturned")
		}
	case "game_end":
		if e.Winner == "tie" || e.Winner == "" {
			notes = append(notes, "final, a tie")
		} else {
			notes = append(notes, "final, "+e.Winner+" win")
		}
	}
	if len(notes) == 0 {
		return head
	}
	return head + " (" + strings.Join(notes, ", ") + ")"
}
