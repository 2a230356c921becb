// Package config parses the service's configuration from the environment,
// once, into one struct that is passed down to everything that needs it.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sports-data/sports-data/internal/espnrules"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/redact"
)

// Config is every setting the service reads. Field tags name the variables;
// README.md documents each of them.
type Config struct {
	Port        int    `env:"PORT" default:"8005"`
	BindAddress string `env:"BIND_ADDRESS"` // empty: every interface
	DataDir     string `env:"DATA_DIR" default:"./data"`
	LeaguesRaw  string `env:"LEAGUES" default:"nfl,nhl"`
	ESPNBaseURL string `env:"ESPN_BASE_URL" default:"https://site.api.espn.com/apis/site/v2/sports"`
	// ESPNWebBaseURL is ESPN's other host, the only one that answers a
	// soccer club's coming fixtures; unset means ESPN's own when
	// ESPN_BASE_URL is ESPN's, else ESPN_BASE_URL (a stand-in serves both).
	ESPNWebBaseURL string `env:"ESPN_WEB_BASE_URL"`
	// ESPNUserAgent replaces the User-Agent sent to ESPN; unset means the
	// product's own (espn.UserAgent).
	ESPNUserAgent string `env:"ESPN_USER_AGENT"`
	// ESPNMaxRPS is requests per second per ESPN host; 0 (unset) means
	// DefaultESPNMaxRPS against ESPN and no limit against another base URL.
	ESPNMaxRPS     float64 `env:"ESPN_MAX_RPS"`
	LogLevel       string  `env:"LOG_LEVEL" default:"info"`
	APIKey         string  `env:"API_KEY"`
	CORSOriginsRaw string  `env:"CORS_ORIGINS" default:"http://localhost:3000,http://localhost"`
	// Peers whose X-Forwarded-For / X-Real-IP name the client.
	TrustedProxiesRaw string `env:"TRUSTED_PROXIES" default:"127.0.0.0/8,::1/128"`
	// Host names requests may be addressed to, besides IP addresses,
	// localhost and this machine's names (AllowedHosts).
	AllowedHostsRaw string `env:"ALLOWED_HOSTS"`

	PollLiveInterval time.Duration `env:"POLL_LIVE_INTERVAL" default:"15s"`
	PollIdleInterval time.Duration `env:"POLL_IDLE_INTERVAL" default:"5m"`

	Store                 string        `env:"STORE" default:"auto"`
	InfluxEnabled         bool          `env:"INFLUXDB_ENABLED" default:"true"`
	InfluxURL             string        `env:"INFLUXDB_URL"`
	InfluxToken           string        `env:"INFLUXDB_TOKEN"`
	InfluxTokenFile       string        `env:"INFLUXDB_TOKEN_FILE"`
	InfluxOrg             string        `env:"INFLUXDB_ORG"`
	InfluxDatabase        string        `env:"INFLUXDB_DATABASE"`
	InfluxBucket          string        `env:"INFLUXDB_BUCKET"`
	InfluxQueryLanguage   string        `env:"INFLUXDB_QUERY_LANGUAGE" default:"auto"`
	RetentionDays         int           `env:"INFLUXDB_RETENTION_DAYS" default:"730"`
	BatchSize             int           `env:"INFLUXDB_BATCH_SIZE" default:"100"`
	FlushInterval         time.Duration `env:"INFLUXDB_FLUSH_INTERVAL" default:"10s"`
	BreakerFailures       int           `env:"CIRCUIT_BREAKER_FAILURE_THRESHOLD" default:"3"`
	BreakerTimeoutSeconds int           `env:"CIRCUIT_BREAKER_TIMEOUT_SECONDS" default:"60"`

	HistoryRatePerMinute int           `env:"HISTORY_RATE_LIMIT_PER_MINUTE" default:"100"`
	WriteRatePerMinute   int           `env:"WRITE_RATE_LIMIT_PER_MINUTE" default:"30"`
	HAUpcomingWindow     time.Duration `env:"HA_UPCOMING_WINDOW" default:"24h"`
	HARecentWindow       time.Duration `env:"HA_RECENT_WINDOW" default:"4h"`

	WebhookAllowLinkLocal bool          `env:"WEBHOOK_ALLOW_LINK_LOCAL" default:"false"`
	WebhookRetryWindow    time.Duration `env:"WEBHOOK_RETRY_WINDOW" default:"10m"`
	// WebhookUseProxy sends deliveries through the proxy of HTTP_PROXY,
	// HTTPS_PROXY and NO_PROXY; off, they ignore it.
	WebhookUseProxy     bool          `env:"WEBHOOK_USE_PROXY" default:"false"`
	WebhookRecoveryHold time.Duration `env:"WEBHOOK_RECOVERY_HOLD" default:"30s"`

	MQTTURL             string `env:"MQTT_URL"`
	MQTTUsername        string `env:"MQTT_USERNAME"`
	MQTTPassword        string `env:"MQTT_PASSWORD"`
	MQTTDiscoveryPrefix string `env:"MQTT_DISCOVERY_PREFIX" default:"homeassistant"`
	MQTTTopicPrefix     string `env:"MQTT_TOPIC_PREFIX" default:"sports-data"`
	MQTTTeamsRaw        string `env:"MQTT_TEAMS"`

	// Derived by Load; not read from the environment.
	Leagues        []league.League
	CORSOrigins    []string
	TrustedProxies []netip.Prefix
	// AllowedHosts are the names of ALLOWED_HOSTS and this machine's own
	// (its host name, the first label of it and that label with
	// ".local", which mDNS answers), lower case without a trailing dot.
	AllowedHosts []string
	StoreKind    string // "sqlite", "influxdb" or "none"
	MQTTTeams    []string
	// Warnings are settings that work but invite trouble, for the log at
	// start.
	Warnings []string
}

// MinAPIKey is the shortest API_KEY accepted: a short key is guessed.
const MinAPIKey = 16

// DefaultESPNMaxRPS paces requests to ESPN's own hosts when ESPN_MAX_RPS
// is unset: polls of many leagues, the schedule refresher and a backfill
// together stay below it.
const DefaultESPNMaxRPS = 5

// DefaultESPNBaseURL is ESPN's public site API.
const DefaultESPNBaseURL = "https://site.api.espn.com/apis/site/v2/sports"

// DefaultESPNWebBaseURL is the same API on ESPN's site.web.api host.
const DefaultESPNWebBaseURL = "https://site.web.api.espn.com/apis/site/v2/sports"

// Store kinds.
const (
	StoreSQLite   = "sqlite"
	StoreInfluxDB = "influxdb"
	StoreNone     = "none"
)

// Database is the InfluxDB database (or bucket) name.
func (c *Config) Database() string {
	if c.InfluxDatabase != "" {
		return c.InfluxDatabase
	}
	if c.InfluxBucket != "" {
		return c.InfluxBucket
	}
	return "sports_data"
}

// Load reads the configuration from getenv. The error, when there is one, is
// a single line naming the variable and what it allows.
func Load(getenv func(string) string) (*Config, error) {
	var c Config
	if err := process(&c, getenv); err != nil {
		return nil, err
	}
	if err := c.derive(); err != nil {
		return nil, err
	}
	return &c, nil
}

// process fills c from getenv using the struct tags: `env` names the
// variable, `default` is used when it is unset or empty. The service reads
// its environment through getenv only, so tests run it in-process with any
// environment they like.
func process(c *Config, getenv func(string) string) error {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("env")
		if name == "" {
			continue
		}
		raw := strings.TrimSpace(getenv(name))
		if raw == "" {
			raw = f.Tag.Get("default")
		}
		if raw == "" {
			continue
		}
		fv := v.Field(i)
		switch {
		case f.Type == reflect.TypeOf(time.Duration(0)):
			d, err := time.ParseDuration(raw)
			if err != nil {
				return fmt.Errorf("%s: %q is not a duration (allowed: a number with a unit, such as 15s, 5m or 1h)", name, raw)
			}
			fv.SetInt(int64(d))
		case f.Type.Kind() == reflect.Int:
			n, err := strconv.Atoi(raw)
			if err != nil {
				return fmt.Errorf("%s: %q is not a whole number", name, raw)
			}
			fv.SetInt(int64(n))
		case f.Type.Kind() == reflect.Float64:
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s: %q is not a number", name, raw)
			}
			fv.SetFloat(x)
		case f.Type.Kind() == reflect.Bool:
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return fmt.Errorf("%s: %q is not allowed (allowed: true or false)", name, raw)
			}
			fv.SetBool(b)
		default:
			fv.SetString(raw)
		}
	}
	return nil
}

// ReadTokenFile reads INFLUXDB_TOKEN_FILE: either the token itself, or a
// JSON object with a "token" field (the offline admin token file InfluxDB 3
// writes). Tests of that file read it here too.
func ReadTokenFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	text := strings.TrimSpace(string(b))
	if strings.HasPrefix(text, "{") {
		var doc struct {
			Token string `json:"token"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.Token == "" {
			return "", fmt.Errorf("%s is JSON without a \"token\" field", path)
		}
		return doc.Token, nil
	}
	if text == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return text, nil
}

// Variables lists every environment variable the service reads, for the
// documentation checks.
func Variables() []string {
	t := reflect.TypeOf(Config{})
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name := t.Field(i).Tag.Get("env"); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func (c *Config) derive() error {
	// 0 asks the system for a free port; the log says which (tests use it).
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("PORT: %d is out of range (allowed: 1..65535, or 0 for any free port)", c.Port)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return errors.New("DATA_DIR: must not be empty")
	}
	ls, err := league.ParseList(c.LeaguesRaw)
	if err != nil {
		return fmt.Errorf("LEAGUES: %v", err)
	}
	c.Leagues = ls
	if u, err := url.Parse(c.ESPNBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("ESPN_BASE_URL: %q is not an http(s) URL", redact.Password(c.ESPNBaseURL))
	}
	c.ESPNBaseURL = strings.TrimRight(c.ESPNBaseURL, "/")
	if err := c.deriveESPN(); err != nil {
		return err
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "warning", "error":
		c.LogLevel = strings.ToLower(c.LogLevel)
	default:
		return fmt.Errorf("LOG_LEVEL: %q is not allowed (allowed: debug, info, warn, error)", c.LogLevel)
	}
	// Sub-second polling is for the simulator and tests; ESPN itself is
	// never polled faster than once a second.
	minPoll := time.Second
	if c.ESPNBaseURL != DefaultESPNBaseURL {
		minPoll = 10 * time.Millisecond
	}
	if c.PollLiveInterval < minPoll {
		return fmt.Errorf("POLL_LIVE_INTERVAL: %s is too short (allowed: %s or more)", c.PollLiveInterval, minPoll)
	}
	if c.PollIdleInterval < c.PollLiveInterval {
		return fmt.Errorf("POLL_IDLE_INTERVAL: %s is shorter than POLL_LIVE_INTERVAL (%s)", c.PollIdleInterval, c.PollLiveInterval)
	}
	if err := c.deriveStore(); err != nil {
		return err
	}
	if c.HistoryRatePerMinute < 1 {
		return fmt.Errorf("HISTORY_RATE_LIMIT_PER_MINUTE: %d is not allowed (allowed: 1 or more)", c.HistoryRatePerMinute)
	}
	if c.HAUpcomingWindow <= 0 {
		return fmt.Errorf("HA_UPCOMING_WINDOW: %s is not allowed (allowed: a positive duration such as 24h)", c.HAUpcomingWindow)
	}
	if c.HARecentWindow <= 0 {
		return fmt.Errorf("HA_RECENT_WINDOW: %s is not allowed (allowed: a positive duration such as 4h)", c.HARecentWindow)
	}
	if c.WebhookRetryWindow <= 0 {
		return fmt.Errorf("WEBHOOK_RETRY_WINDOW: %s is not allowed (allowed: a positive duration such as 10m)", c.WebhookRetryWindow)
	}
	if c.WebhookRecoveryHold < 0 || c.WebhookRecoveryHold >= c.WebhookRetryWindow {
		return fmt.Errorf("WEBHOOK_RECOVERY_HOLD: %s is not allowed (allowed: 0 to turn it off, or a duration shorter than WEBHOOK_RETRY_WINDOW %s)",
			c.WebhookRecoveryHold, c.WebhookRetryWindow)
	}
	if c.BindAddress != "" {
		if _, err := netip.ParseAddr(c.BindAddress); err != nil {
			return fmt.Errorf("BIND_ADDRESS: %q is not an IP address (allowed: empty for every interface, or an address such as 127.0.0.1)", c.BindAddress)
		}
	}
	if c.WriteRatePerMinute < 1 {
		return fmt.Errorf("WRITE_RATE_LIMIT_PER_MINUTE: %d is not allowed (allowed: 1 or more)", c.WriteRatePerMinute)
	}
	if err := c.deriveMQTT(); err != nil {
		return err
	}
	if err := c.deriveAccess(); err != nil {
		return err
	}
	return nil
}

// deriveStore picks the store kind and checks its settings.
func (c *Config) deriveStore() error {
	switch strings.ToLower(c.Store) {
	case "auto", "":
		switch {
		case !c.InfluxEnabled:
			c.StoreKind = StoreNone
		case c.InfluxURL != "":
			c.StoreKind = StoreInfluxDB
		default:
			c.StoreKind = StoreSQLite
		}
	case StoreSQLite, StoreInfluxDB, StoreNone:
		c.StoreKind = strings.ToLower(c.Store)
		if !c.InfluxEnabled {
			c.StoreKind = StoreNone
		}
	default:
		return fmt.Errorf("STORE: %q is not allowed (allowed: auto, sqlite, influxdb, none)", c.Store)
	}
	if c.StoreKind == StoreInfluxDB {
		u, err := url.Parse(c.InfluxURL)
		if c.InfluxURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("INFLUXDB_URL: %q is not an http(s) URL (required when STORE=influxdb)", redact.Password(c.InfluxURL))
		}
	}
	if c.InfluxToken == "" && c.InfluxTokenFile != "" {
		tok, err := ReadTokenFile(c.InfluxTokenFile)
		if err != nil {
			return fmt.Errorf("INFLUXDB_TOKEN_FILE: %v", err)
		}
		c.InfluxToken = tok
	}
	switch strings.ToLower(c.InfluxQueryLanguage) {
	case "auto", "sql", "influxql":
		c.InfluxQueryLanguage = strings.ToLower(c.InfluxQueryLanguage)
	default:
		return fmt.Errorf("INFLUXDB_QUERY_LANGUAGE: %q is not allowed (allowed: auto, sql, influxql)", c.InfluxQueryLanguage)
	}
	if c.RetentionDays < 1 {
		return fmt.Errorf("INFLUXDB_RETENTION_DAYS: %d is not allowed (allowed: 1 or more)", c.RetentionDays)
	}
	if c.BatchSize < 1 || c.BatchSize > 100000 {
		return fmt.Errorf("INFLUXDB_BATCH_SIZE: %d is not allowed (allowed: 1..100000)", c.BatchSize)
	}
	if c.FlushInterval < 10*time.Millisecond {
		return fmt.Errorf("INFLUXDB_FLUSH_INTERVAL: %s is too short (allowed: 10ms or more)", c.FlushInterval)
	}
	if c.BreakerFailures < 1 {
		return fmt.Errorf("CIRCUIT_BREAKER_FAILURE_THRESHOLD: %d is not allowed (allowed: 1 or more)", c.BreakerFailures)
	}
	if c.BreakerTimeoutSeconds < 1 {
		return fmt.Errorf("CIRCUIT_BREAKER_TIMEOUT_SECONDS: %d is not allowed (allowed: 1 or more)", c.BreakerTimeoutSeconds)
	}
	return nil
}

// deriveAccess checks who may call the service and how: the API key,
// browser origins, trusted proxies and the host names requests may be
// addressed to.
func (c *Config) deriveAccess() error {
	switch {
	case c.APIKey == "":
		c.Warnings = append(c.Warnings, "API_KEY is not set: webhook management and team selection are open to anyone who can reach the port")
	case !utf8.ValidString(c.APIKey):
		return errors.New("API_KEY: is not valid UTF-8 (allowed: at least 16 characters of text)")
	case utf8.RuneCountInString(c.APIKey) < MinAPIKey:
		return fmt.Errorf("API_KEY: %d characters is too short to resist guessing (allowed: at least %d; `openssl rand -hex 24` prints a good one)",
			utf8.RuneCountInString(c.APIKey), MinAPIKey)
	}
	c.CORSOrigins = nil
	for _, o := range strings.Split(c.CORSOriginsRaw, ",") {
		if o = strings.TrimSuffix(strings.TrimSpace(o), "/"); o == "" {
			continue
		}
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
			u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "") {
			return fmt.Errorf("CORS_ORIGINS: %q is not an origin (allowed: * or scheme://host[:port], comma-separated)", o)
		}
		c.CORSOrigins = append(c.CORSOrigins, o)
	}
	c.TrustedProxies = nil
	for _, p := range strings.Split(c.TrustedProxiesRaw, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return fmt.Errorf("TRUSTED_PROXIES: %q is not an address or a network such as 10.0.0.0/8", p)
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		pfx = pfx.Masked()
		c.TrustedProxies = append(c.TrustedProxies, pfx)
		if broadProxies(pfx) {
			c.Warnings = append(c.Warnings, fmt.Sprintf("TRUSTED_PROXIES: %s is wider than any private network: "+
				"any client within it can choose the address it is counted under (X-Forwarded-For); list your proxies' own addresses", pfx))
		}
	}
	return c.deriveHosts()
}

// broadProxies: a network wider than every private range (10.0.0.0/8,
// fc00::/7) holds public addresses of strangers, not proxies of the home.
func broadProxies(p netip.Prefix) bool {
	if p.Addr().Is4() {
		return p.Bits() < 8
	}
	return p.Bits() < 7
}

// hostName is a DNS name as ALLOWED_HOSTS takes it: labels of letters,
// digits, "-" and "_" (Docker service names), no port.
var hostName = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$`)

// deriveHosts lists the host names requests may be addressed to.
func (c *Config) deriveHosts() error {
	c.AllowedHosts = nil
	add := func(h string) {
		if h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), "."); h != "" && !slices.Contains(c.AllowedHosts, h) {
			c.AllowedHosts = append(c.AllowedHosts, h)
		}
	}
	for _, h := range strings.Split(c.AllowedHostsRaw, ",") {
		h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
		if h == "" {
			continue
		}
		if !hostName.MatchString(h) {
			return fmt.Errorf("ALLOWED_HOSTS: %q is not a host name (allowed: names such as sports-data or homeserver.lan, comma-separated, without scheme or port)", clip(h))
		}
		add(h)
	}
	if name, err := os.Hostname(); err == nil && hostName.MatchString(strings.ToLower(name)) {
		add(name)
		short, _, _ := strings.Cut(name, ".")
		add(short)
		add(short + ".local")
	}
	return nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// deriveESPN checks the second ESPN host, the request budget and the
// User-Agent.
func (c *Config) deriveESPN() error {
	switch {
	case c.ESPNWebBaseURL != "":
		if u, err := url.Parse(c.ESPNWebBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("ESPN_WEB_BASE_URL: %q is not an http(s) URL", redact.Password(c.ESPNWebBaseURL))
		}
		c.ESPNWebBaseURL = strings.TrimRight(c.ESPNWebBaseURL, "/")
	case c.ESPNBaseURL == DefaultESPNBaseURL:
		c.ESPNWebBaseURL = DefaultESPNWebBaseURL
	default:
		// A stand-in or proxy serves both paths; ESPN itself must not be
		// asked behind the operator's back.
		c.ESPNWebBaseURL = c.ESPNBaseURL
	}
	switch {
	case c.ESPNMaxRPS < 0 || c.ESPNMaxRPS > 1000:
		return fmt.Errorf("ESPN_MAX_RPS: %g is not allowed (allowed: more than 0 and at most 1000 requests a second)", c.ESPNMaxRPS)
	case c.ESPNMaxRPS == 0 && (c.ESPNBaseURL == DefaultESPNBaseURL || c.ESPNWebBaseURL == DefaultESPNWebBaseURL):
		c.ESPNMaxRPS = DefaultESPNMaxRPS
	}
	if c.ESPNUserAgent != "" {
		if err := espnrules.CheckAgent(c.ESPNUserAgent); err != nil {
			return fmt.Errorf("ESPN_USER_AGENT: %q is not allowed: %v (unset it to send the service's own)", c.ESPNUserAgent, err)
		}
	}
	return nil
}

// deriveMQTT checks the MQTT settings; MQTT is off while MQTT_URL is empty.
func (c *Config) deriveMQTT() error {
	if c.MQTTURL != "" {
		u, err := url.Parse(c.MQTTURL)
		if err != nil || u.Host == "" || !slices.Contains([]string{"mqtt", "mqtts", "tcp", "ssl", "tls", "ws", "wss"}, u.Scheme) {
			return fmt.Errorf("MQTT_URL: %q is not a broker URL (allowed: mqtt://host:1883, mqtts://host:8883, ws:// or wss://)", redact.Password(c.MQTTURL))
		}
	}
	for name, p := range map[string]*string{"MQTT_DISCOVERY_PREFIX": &c.MQTTDiscoveryPrefix, "MQTT_TOPIC_PREFIX": &c.MQTTTopicPrefix} {
		*p = strings.Trim(*p, "/")
		if *p == "" || strings.ContainsAny(*p, "+#\x00") || !utf8.ValidString(*p) {
			return fmt.Errorf("%s: %q is not allowed (allowed: a topic without + or #, such as homeassistant)", name, *p)
		}
	}
	if c.MQTTDiscoveryPrefix == c.MQTTTopicPrefix {
		return fmt.Errorf("MQTT_TOPIC_PREFIX: %q must differ from MQTT_DISCOVERY_PREFIX", c.MQTTTopicPrefix)
	}
	c.MQTTTeams = nil
	for _, t := range strings.Split(c.MQTTTeamsRaw, ",") {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(c.MQTTTeams, t) {
			c.MQTTTeams = append(c.MQTTTeams, t)
		}
	}
	return nil
}
