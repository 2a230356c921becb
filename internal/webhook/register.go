package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sports-data/sports-data/internal/events"
	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/redact"
	"github.com/sports-data/sports-data/internal/teams"
)

// ErrNotFound is returned for an unknown webhook id.
var ErrNotFound = errors.New("webhook not found")

// ValidationError is a registration that breaks a rule. Field names the
// JSON field at fault ("body" when the JSON itself is unreadable).
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// TeamResolver turns user input ("NE", "Patriots", "nfl-ne") into a team,
// using leagueKey (possibly "") to decide between leagues: the team
// directory's Resolve. Its errors are returned by Register unchanged, so
// the HTTP layer maps them as it does for every route.
type TeamResolver func(input, leagueKey string) (teams.Match, error)

// RegisterRequest is the body of a registration.
type RegisterRequest struct {
	URL          string   `json:"url"`
	Events       []string `json:"events"`
	Secret       string   `json:"secret"`
	Team         string   `json:"team"`
	League       string   `json:"league"`
	DelaySeconds *int     `json:"delay_seconds"`
}

const (
	minSecret   = 16
	maxSecret   = 1024
	maxURL      = 2048
	maxDelay    = 300
	maxBodySize = 64 << 10
)

// DecodeRegisterRequest reads a JSON registration body. Malformed JSON, a
// value of the wrong type or trailing data is a *ValidationError; unknown
// fields are ignored.
func DecodeRegisterRequest(r io.Reader) (RegisterRequest, error) {
	var req RegisterRequest
	lr := &io.LimitedReader{R: r, N: maxBodySize + 1}
	dec := json.NewDecoder(lr)
	err := dec.Decode(&req)
	if lr.N <= 0 {
		return RegisterRequest{}, invalid("body", "larger than %d bytes", maxBodySize)
	}
	if err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field != "":
			return RegisterRequest{}, invalid(te.Field, "must be %s", jsonKind(te.Field))
		case errors.Is(err, io.EOF):
			return RegisterRequest{}, invalid("body", "a JSON object is required")
		default:
			return RegisterRequest{}, invalid("body", "not a valid JSON object")
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return RegisterRequest{}, invalid("body", "unexpected data after the JSON object")
	}
	return req, nil
}

func jsonKind(field string) string {
	switch {
	case field == "events":
		return "a list of event names"
	case strings.HasPrefix(field, "events"):
		return "a list of strings"
	case field == "delay_seconds":
		return "a whole number of seconds"
	}
	return "a string"
}

// Registration is a webhook as the API shows it. Its JSON is the
// registration answer ({"webhook_id","url","events","team","league",
// "delay_seconds","created_at","message"}); in List it carries Stats as
// well, flattened, and "secret":"***". The secret itself is never shown,
// and the URL is shown with its password and last path segment masked (a
// Home Assistant webhook id is a password in itself); URL holds it whole.
type Registration struct {
	ID           string
	URL          string
	Events       []string
	Team         string // ESPN abbreviation, upper case; "" for none
	League       string // registry key, lower case; "" for all leagues
	DelaySeconds int
	CreatedAt    time.Time
	Message      string // set by Register
	// Warning, set by Register, says why the webhook may get no events
	// (a league this service does not follow).
	Warning string
	Stats   *Stats // set by List
	Pending int    // set by List: deliveries waiting in the queue
}

// Stats are the delivery counters of a webhook. A call is one HTTP attempt.
type Stats struct {
	TotalCalls     int64      `json:"total_calls"`
	FailedCalls    int64      `json:"failed_calls"`
	LastSuccess    *time.Time `json:"last_success"`
	LastFailure    *time.Time `json:"last_failure"`
	LastStatus     *int       `json:"last_status"`
	LastError      *string    `json:"last_error"`
	Disabled       bool       `json:"disabled"`
	DisabledReason *string    `json:"disabled_reason"`
	// Dropped counts events not queued because the queue was full.
	Dropped int64 `json:"dropped_events"`
	// Expired counts events dropped because they were not delivered
	// within the retry window.
	Expired int64 `json:"expired_events"`
}

// MarshalJSON writes the API shape: upper-case league, null for no team or
// league, RFC 3339 created_at.
func (r Registration) MarshalJSON() ([]byte, error) {
	type out struct {
		ID           string   `json:"webhook_id"`
		URL          string   `json:"url"`
		Events       []string `json:"events"`
		Secret       string   `json:"secret,omitempty"`
		Team         *string  `json:"team"`
		League       *string  `json:"league"`
		DelaySeconds int      `json:"delay_seconds"`
		CreatedAt    string   `json:"created_at"`
		Message      string   `json:"message,omitempty"`
		Warning      string   `json:"warning,omitempty"`
		*Stats
		Pending *int `json:"pending_events,omitempty"`
	}
	o := out{
		ID:           r.ID,
		URL:          redact.URL(r.URL),
		Events:       r.Events,
		DelaySeconds: r.DelaySeconds,
		CreatedAt:    r.CreatedAt.UTC().Format(time.RFC3339),
		Message:      r.Message,
		Warning:      r.Warning,
		Stats:        r.Stats,
	}
	if o.Events == nil {
		o.Events = []string{}
	}
	if r.Stats != nil {
		o.Secret = "***"
		o.Pending = ptr(r.Pending)
	}
	if r.Team != "" {
		o.Team = ptr(r.Team)
	}
	if r.League != "" {
		o.League = ptr(strings.ToUpper(r.League))
	}
	return json.Marshal(o)
}

// eventAliases maps every accepted spelling to the event name. The earlier
// service's names and the per-event route names are accepted.
var eventAliases = map[string]string{
	"game_start":    events.GameStart,
	"game_started":  events.GameStart,
	"game-start":    events.GameStart,
	"game_end":      events.GameEnd,
	"game_ended":    events.GameEnd,
	"game-end":      events.GameEnd,
	"score_change":  events.ScoreChange,
	"score_changed": events.ScoreChange,
	"score-update":  events.ScoreChange,
	"score_update":  events.ScoreChange,
}

// NormalizeEvent returns the event name for an accepted spelling
// ("game_started", "score-update", …).
func NormalizeEvent(name string) (string, bool) {
	e, ok := eventAliases[strings.ToLower(strings.TrimSpace(name))]
	return e, ok
}

// normalizeEvents validates, de-duplicates and orders a subscription; an
// empty one means every event.
func normalizeEvents(in []string) ([]string, error) {
	if len(in) == 0 {
		return append([]string(nil), events.Types...), nil
	}
	want := map[string]bool{}
	for _, name := range in {
		e, ok := NormalizeEvent(name)
		if !ok {
			return nil, invalid("events", "unknown event %q (known: %s)", clip(name, 40), strings.Join(events.Types, ", "))
		}
		want[e] = true
	}
	var out []string
	for _, e := range events.Types {
		if want[e] {
			out = append(out, e)
		}
	}
	return out, nil
}

// validate checks a request and resolves its team. The result has no id,
// creation time or stats yet.
func validate(req RegisterRequest, resolve TeamResolver, allowLinkLocal bool) (record, error) {
	var rec record
	raw := strings.TrimSpace(req.URL)
	if raw == "" {
		return rec, invalid("url", "is required")
	}
	if len(raw) > maxURL {
		return rec, invalid("url", "longer than %d characters", maxURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return rec, invalid("url", "is not a valid URL")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return rec, invalid("url", "must start with http:// or https://")
	}
	if u.Hostname() == "" {
		return rec, invalid("url", "must name a host")
	}
	if err := checkTarget(u, allowLinkLocal); err != nil {
		return rec, invalid("url", "%v", err)
	}
	rec.URL = u.String()
	// Normalising can lengthen a URL (escaping); the stored one is bounded.
	if len(rec.URL) > maxURL {
		return rec, invalid("url", "longer than %d characters once normalised", maxURL)
	}

	// JSON turns an invalid byte or an escaped lone surrogate into U+FFFD
	// without a word: the secret kept would not be the receiver's, and no
	// signature would ever match.
	if !utf8.ValidString(req.Secret) || strings.ContainsRune(req.Secret, utf8.RuneError) {
		return rec, invalid("secret", "must be valid UTF-8 text (it holds an invalid byte, an escaped lone surrogate or U+FFFD)")
	}
	n := utf8.RuneCountInString(req.Secret)
	if n < minSecret {
		return rec, invalid("secret", "must be at least %d characters", minSecret)
	}
	if n > maxSecret {
		return rec, invalid("secret", "must be at most %d characters", maxSecret)
	}
	rec.Secret = req.Secret

	if rec.Events, err = normalizeEvents(req.Events); err != nil {
		return rec, err
	}

	if req.DelaySeconds != nil {
		d := *req.DelaySeconds
		if d < 0 || d > maxDelay {
			return rec, invalid("delay_seconds", "must be between 0 and %d", maxDelay)
		}
		rec.DelaySeconds = d
	}

	if lg := strings.TrimSpace(req.League); lg != "" {
		l, ok := league.Lookup(lg)
		if !ok {
			return rec, invalid("league", "unknown league %q (known: %s)", clip(lg, 40), strings.Join(league.Keys(), ", "))
		}
		rec.League = l.Key
	}

	if t := strings.TrimSpace(req.Team); t != "" {
		if resolve == nil {
			return rec, invalid("team", "teams cannot be resolved here")
		}
		m, err := resolve(t, rec.League)
		if err != nil {
			return rec, err
		}
		lk, abbr := m.League.Key, strings.ToUpper(m.Team.Abbreviation)
		if rec.League != "" && lk != rec.League {
			return rec, invalid("team", "%s plays in %s, not %s", abbr, strings.ToUpper(lk), strings.ToUpper(rec.League))
		}
		if lk == "" || abbr == "" {
			return rec, invalid("team", "could not be resolved to a team")
		}
		rec.League = lk
		rec.Team = abbr
	}
	return rec, nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Register validates a registration, stores it and starts its delivery.
// Validation errors are *ValidationError; errors of the TeamResolver are
// returned unchanged.
func (s *Service) Register(ctx context.Context, req RegisterRequest) (Registration, error) {
	if err := ctx.Err(); err != nil {
		return Registration{}, err
	}
	rec, err := validate(req, s.opts.Resolve, s.opts.AllowLinkLocal)
	if err != nil {
		return Registration{}, err
	}
	rec.ID = newID("wh_")
	rec.CreatedAt = s.now().UTC().Truncate(time.Second)
	h := &hook{rec: rec, delivered: map[string]int64{}, wake: make(chan struct{}, 1)}

	s.mu.Lock()
	if len(s.hooks) >= maxWebhooks {
		s.mu.Unlock()
		return Registration{}, invalid("", "at most %d webhooks can be registered; delete one first", maxWebhooks)
	}
	if same := s.identicalLocked(rec); same != "" {
		s.mu.Unlock()
		return Registration{}, &DuplicateError{ID: same}
	}
	s.hooks[rec.ID] = h
	s.regsDirty = true
	s.mu.Unlock()

	if err := s.saveRegistrations(); err != nil {
		s.mu.Lock()
		delete(s.hooks, rec.ID)
		h.gone = true
		s.regsDirty = true
		s.mu.Unlock()
		return Registration{}, fmt.Errorf("webhook: saving registration: %w", err)
	}
	s.mu.Lock()
	s.startWorkerLocked(h)
	s.mu.Unlock()

	reg := registrationOf(rec)
	reg.Message = registeredMessage(rec)
	if rec.League != "" && len(s.opts.Leagues) > 0 && !slices.Contains(s.opts.Leagues, rec.League) {
		reg.Warning = fmt.Sprintf("%s is not a league this service follows (LEAGUES=%s): this webhook gets no events until LEAGUES includes it",
			strings.ToUpper(rec.League), strings.Join(s.opts.Leagues, ","))
	}
	s.log.Info("webhook registered", "webhook_id", rec.ID, "events", rec.Events, "team", rec.Team, "league", rec.League)
	return reg, nil
}

// DuplicateError is a registration identical to an existing one: the same
// URL, events, team, league and delay would deliver every event twice.
type DuplicateError struct{ ID string }

func (e *DuplicateError) Error() string {
	return "an identical webhook is already registered (" + e.ID + "): same url, events, team, league and delay_seconds; delete it first or change one of them"
}

// identicalLocked returns the id of a registration identical to rec, if
// any; the caller holds mu.
func (s *Service) identicalLocked(rec record) string {
	for id, h := range s.hooks {
		r := &h.rec
		if r.URL == rec.URL && slices.Equal(r.Events, rec.Events) && r.Team == rec.Team &&
			r.League == rec.League && r.DelaySeconds == rec.DelaySeconds {
			return id
		}
	}
	return ""
}

// RegisterSingle registers for one event, as the per-event routes do:
// event is "game-start", "game-end", "score-update" or any accepted event
// name. Events in req are ignored.
func (s *Service) RegisterSingle(ctx context.Context, event string, req RegisterRequest) (Registration, error) {
	e, ok := NormalizeEvent(event)
	if !ok {
		return Registration{}, invalid("events", "unknown event %q (known: %s)", clip(event, 40), strings.Join(events.Types, ", "))
	}
	req.Events = []string{e}
	return s.Register(ctx, req)
}

func registeredMessage(r record) string {
	scope := "every game"
	switch {
	case r.Team != "":
		scope = r.Team + " games (" + strings.ToUpper(r.League) + ")"
	case r.League != "":
		scope = strings.ToUpper(r.League) + " games"
	}
	msg := "Webhook registered for " + strings.Join(r.Events, ", ") + " on " + scope
	if r.DelaySeconds > 0 {
		msg += fmt.Sprintf(", delayed %d s", r.DelaySeconds)
	}
	return msg
}

func registrationOf(r record) Registration {
	return Registration{
		ID:           r.ID,
		URL:          r.URL,
		Events:       append([]string(nil), r.Events...),
		Team:         r.Team,
		League:       r.League,
		DelaySeconds: r.DelaySeconds,
		CreatedAt:    r.CreatedAt,
	}
}

// List returns every registration, oldest first, with its counters. The
// secret is never included.
func (s *Service) List() []Registration {
	s.mu.Lock()
	out := make([]Registration, 0, len(s.hooks))
	for _, h := range s.hooks {
		r := registrationOf(h.rec)
		st := h.rec.Stats
		if h.refused != "" {
			st.Disabled, st.DisabledReason = true, ptr(h.refused)
		}
		r.Stats = &st
		r.Pending = len(h.queue)
		out = append(out, r)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Delete removes a webhook, stops its delivery and drops its queue.
func (s *Service) Delete(id string) error {
	s.outboxMu.Lock()
	s.mu.Lock()
	h := s.hooks[id]
	if h == nil {
		s.mu.Unlock()
		s.outboxMu.Unlock()
		return ErrNotFound
	}
	delete(s.hooks, id)
	h.gone = true
	h.queue = nil
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
	s.regsDirty = true
	s.mu.Unlock()
	s.journalLocked([]journalRec{{Op: opDrop, Webhook: id}}, false)
	s.outboxMu.Unlock()

	if err := s.saveRegistrations(); err != nil {
		return fmt.Errorf("webhook: saving registrations: %w", err)
	}
	s.log.Info("webhook deleted", "webhook_id", id)
	return nil
}

// Teams are the team ids ("nfl-ne") the webhooks are scoped to: teams whose
// schedules the service keeps first.
func (s *Service) Teams() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, h := range s.hooks {
		if h.rec.Team != "" && h.rec.League != "" {
			out = append(out, game.TeamID(h.rec.League, h.rec.Team))
		}
	}
	return out
}
