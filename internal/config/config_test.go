package config

import (
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env())
	require.NoError(t, err)
	assert.Equal(t, 8005, c.Port)
	assert.Equal(t, "./data", c.DataDir)
	require.Len(t, c.Leagues, 2)
	assert.Equal(t, "nfl", c.Leagues[0].Key)
	assert.Equal(t, "nhl", c.Leagues[1].Key)
	assert.Equal(t, 15*time.Second, c.PollLiveInterval)
	assert.Equal(t, 5*time.Minute, c.PollIdleInterval)
	assert.Equal(t, StoreSQLite, c.StoreKind)
	assert.Equal(t, "sports_data", c.Database())
	assert.Equal(t, 730, c.RetentionDays)
	assert.Equal(t, 100, c.BatchSize)
	assert.Equal(t, 10*time.Second, c.FlushInterval)
	assert.Equal(t, []string{"http://localhost:3000", "http://localhost"}, c.CORSOrigins)
	assert.Equal(t, 24*time.Hour, c.HAUpcomingWindow)
	assert.Equal(t, 4*time.Hour, c.HARecentWindow)
	assert.Equal(t, 30*time.Second, c.WebhookRecoveryHold)
	assert.Empty(t, c.BindAddress, "every interface")
}

func TestStoreSelection(t *testing.T) {
	c, err := Load(env("INFLUXDB_URL", "http://127.0.0.1:8181"))
	require.NoError(t, err)
	assert.Equal(t, StoreInfluxDB, c.StoreKind)

	c, err = Load(env("INFLUXDB_URL", "http://127.0.0.1:8181", "INFLUXDB_ENABLED", "false"))
	require.NoError(t, err)
	assert.Equal(t, StoreNone, c.StoreKind)

	c, err = Load(env("STORE", "none"))
	require.NoError(t, err)
	assert.Equal(t, StoreNone, c.StoreKind)

	c, err = Load(env("INFLUXDB_BUCKET", "games"))
	require.NoError(t, err)
	assert.Equal(t, "games", c.Database())
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := []struct {
		env  []string
		want string
	}{
		{[]string{"PORT", "abc"}, "PORT"},
		{[]string{"PORT", "70000"}, "PORT"},
		{[]string{"POLL_LIVE_INTERVAL", "fast"}, "POLL_LIVE_INTERVAL"},
		{[]string{"POLL_IDLE_INTERVAL", "1s", "POLL_LIVE_INTERVAL", "10s"}, "POLL_IDLE_INTERVAL"},
		{[]string{"LEAGUES", "nfl,xfl"}, "LEAGUES"},
		{[]string{"LEAGUES", " , "}, "LEAGUES"},
		{[]string{"STORE", "postgres"}, "STORE"},
		{[]string{"STORE", "influxdb"}, "INFLUXDB_URL"},
		{[]string{"INFLUXDB_URL", "localhost:8086"}, "INFLUXDB_URL"},
		{[]string{"INFLUXDB_ENABLED", "maybe"}, "INFLUXDB_ENABLED"},
		{[]string{"INFLUXDB_QUERY_LANGUAGE", "flux"}, "INFLUXDB_QUERY_LANGUAGE"},
		{[]string{"INFLUXDB_RETENTION_DAYS", "0"}, "INFLUXDB_RETENTION_DAYS"},
		{[]string{"INFLUXDB_BATCH_SIZE", "-5"}, "INFLUXDB_BATCH_SIZE"},
		{[]string{"LOG_LEVEL", "loud"}, "LOG_LEVEL"},
		{[]string{"ESPN_BASE_URL", "ftp://x"}, "ESPN_BASE_URL"},
		{[]string{"HA_UPCOMING_WINDOW", "-1h"}, "HA_UPCOMING_WINDOW"},
		{[]string{"HISTORY_RATE_LIMIT_PER_MINUTE", "0"}, "HISTORY_RATE_LIMIT_PER_MINUTE"},
		{[]string{"CORS_ORIGINS", "http://localhost:3000/app"}, "CORS_ORIGINS"},
		{[]string{"CORS_ORIGINS", "localhost"}, "CORS_ORIGINS"},
		{[]string{"CORS_ORIGINS", "null"}, "CORS_ORIGINS"},
		{[]string{"TRUSTED_PROXIES", "10.0.0.0/33"}, "TRUSTED_PROXIES"},
		{[]string{"TRUSTED_PROXIES", "proxy.lan"}, "TRUSTED_PROXIES"},
		{[]string{"ESPN_MAX_RPS", "fast"}, "ESPN_MAX_RPS"},
		{[]string{"ESPN_MAX_RPS", "-1"}, "ESPN_MAX_RPS"},
		{[]string{"ESPN_MAX_RPS", "NaN"}, "ESPN_MAX_RPS"},
		{[]string{"ESPN_MAX_RPS", "Inf"}, "ESPN_MAX_RPS"},
		{[]string{"ESPN_MAX_RPS", "5000"}, "ESPN_MAX_RPS"},
		{[]string{"ESPN_WEB_BASE_URL", "site.web.api.espn.com"}, "ESPN_WEB_BASE_URL"},
		{[]string{"ESPN_USER_AGENT", "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15"}, "ESPN_USER_AGENT"},
		{[]string{"ESPN_USER_AGENT", "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/128.0.0.0 Safari/537.36"}, "ESPN_USER_AGENT"},
		{[]string{"WEBHOOK_RECOVERY_HOLD", "-1s"}, "WEBHOOK_RECOVERY_HOLD"},
		{[]string{"WEBHOOK_RECOVERY_HOLD", "10m"}, "WEBHOOK_RECOVERY_HOLD"},
		{[]string{"BIND_ADDRESS", "localhost"}, "BIND_ADDRESS"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.env, "="), func(t *testing.T) {
			_, err := Load(env(c.env...))
			require.Error(t, err)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, c.want+":"), "error %q should start with %s", msg, c.want)
			assert.NotContains(t, msg, "\n", "one line")
		})
	}
}

func TestESPNMaxRPS(t *testing.T) {
	c, err := Load(env())
	require.NoError(t, err)
	assert.Equal(t, float64(DefaultESPNMaxRPS), c.ESPNMaxRPS, "ESPN itself is paced by default")

	c, err = Load(env("ESPN_MAX_RPS", "0.5"))
	require.NoError(t, err)
	assert.Equal(t, 0.5, c.ESPNMaxRPS)

	c, err = Load(env("ESPN_BASE_URL", "http://127.0.0.1:9999/sports"))
	require.NoError(t, err)
	assert.Zero(t, c.ESPNMaxRPS, "a local stand-in is not paced unless asked")

	c, err = Load(env("ESPN_BASE_URL", "http://127.0.0.1:9999/sports", "ESPN_MAX_RPS", "20"))
	require.NoError(t, err)
	assert.Equal(t, 20.0, c.ESPNMaxRPS)
}

// The second ESPN host follows the first: ESPN's own beside ESPN, the
// same server beside a stand-in, so that tests never reach ESPN.
func TestESPNWebBaseURL(t *testing.T) {
	c, err := Load(env())
	require.NoError(t, err)
	assert.Equal(t, DefaultESPNWebBaseURL, c.ESPNWebBaseURL)

	c, err = Load(env("ESPN_BASE_URL", "http://127.0.0.1:9999/sports/"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9999/sports", c.ESPNWebBaseURL)
	assert.Zero(t, c.ESPNMaxRPS)

	c, err = Load(env("ESPN_BASE_URL", "http://127.0.0.1:9999/sports", "ESPN_WEB_BASE_URL", "http://127.0.0.1:9998/web/"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9998/web", c.ESPNWebBaseURL)

	c, err = Load(env("ESPN_BASE_URL", "http://127.0.0.1:9999/sports", "ESPN_WEB_BASE_URL", DefaultESPNWebBaseURL))
	require.NoError(t, err)
	assert.Equal(t, float64(DefaultESPNMaxRPS), c.ESPNMaxRPS, "ESPN's host is paced whichever setting names it")
}

// An agent ESPN answers is taken as given; unset leaves the choice to the
// client (the service's own agent).
func TestESPNUserAgent(t *testing.T) {
	c, err := Load(env())
	require.NoError(t, err)
	assert.Empty(t, c.ESPNUserAgent)
	c, err = Load(env("ESPN_USER_AGENT", "my-house/1.0 (+https://example.org/house)"))
	require.NoError(t, err)
	assert.Equal(t, "my-house/1.0 (+https://example.org/house)", c.ESPNUserAgent)
	_, err = Load(env("ESPN_USER_AGENT", "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Safari/604.1"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ESPN answers 403")
}

// TestURLErrorsHideThePassword: a rejected URL is quoted back without
// its password.
func TestURLErrorsHideThePassword(t *testing.T) {
	for _, e := range [][]string{
		{"ESPN_BASE_URL", "ftp://reader:s3cret-pw@proxy/sports"},
		{"ESPN_WEB_BASE_URL", "ftp://reader:s3cret-pw@proxy/sports"},
		{"STORE", "influxdb", "INFLUXDB_URL", "ftp://admin:s3cret-pw@influx:8086"},
		{"MQTT_URL", "http://sports:s3cret-pw@broker:1883"},
	} {
		_, err := Load(env(e...))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "s3cret-pw")
		assert.Contains(t, err.Error(), ":***@")
	}
	// Malformed URLs (a bad port, a password holding "/") and a token as
	// the user name: the credentials are masked, the rest shows what to fix.
	for _, e := range [][]string{
		{"MQTT_URL", "mqtt://sports:s3cret-pw@broker:18a83"},
		{"MQTT_URL", "mqtt://sports:s3c/ret-pw@broker:1883"},
		{"MQTT_URL", "tcpx://s3cret-pw@broker:1883"},
		{"ESPN_BASE_URL", "ftp://s3cret-pw@proxy/sports"},
	} {
		_, err := Load(env(e...))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "s3cret-pw", e)
		assert.NotContains(t, err.Error(), "ret-pw", e)
		assert.Contains(t, err.Error(), "***@", e)
		assert.True(t, strings.HasPrefix(err.Error(), e[0]+":"), err.Error())
	}
}

func TestTrustedProxiesAndOrigins(t *testing.T) {
	c, err := Load(env())
	require.NoError(t, err)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}, c.TrustedProxies, "loopback by default")
	c, err = Load(env("TRUSTED_PROXIES", " 192.168.1.10, 10.0.0.0/8 ,fd00::1", "CORS_ORIGINS", "https://ha.lan:8123/, *"))
	require.NoError(t, err)
	assert.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("192.168.1.10/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::1/128"),
	}, c.TrustedProxies)
	assert.Equal(t, []string{"https://ha.lan:8123", "*"}, c.CORSOrigins)
}

func TestLeaguesAreParsedInOrderWithoutDuplicates(t *testing.T) {
	c, err := Load(env("LEAGUES", "NHL, nfl ,nhl,mlb"))
	require.NoError(t, err)
	var keys []string
	for _, l := range c.Leagues {
		keys = append(keys, l.Key)
	}
	assert.Equal(t, []string{"nhl", "nfl", "mlb"}, keys)
}

func TestVariablesListsEveryTag(t *testing.T) {
	vars := Variables()
	assert.Contains(t, vars, "PORT")
	assert.Contains(t, vars, "INFLUXDB_BUCKET")
	assert.Contains(t, vars, "HA_RECENT_WINDOW")
}

func TestTokenFile(t *testing.T) {
	dir := t.TempDir()
	jsonFile := dir + "/admin-token.json"
	require.NoError(t, os.WriteFile(jsonFile, []byte(`{"token":"apiv3_abc","name":"_admin"}`), 0o600))
	c, err := Load(env("INFLUXDB_URL", "http://influxdb:8181", "INFLUXDB_TOKEN_FILE", jsonFile))
	require.NoError(t, err)
	assert.Equal(t, "apiv3_abc", c.InfluxToken)

	plain := dir + "/token"
	require.NoError(t, os.WriteFile(plain, []byte("secret-token\n"), 0o600))
	c, err = Load(env("INFLUXDB_URL", "http://influxdb:8181", "INFLUXDB_TOKEN_FILE", plain))
	require.NoError(t, err)
	assert.Equal(t, "secret-token", c.InfluxToken)

	c, err = Load(env("INFLUXDB_TOKEN", "given", "INFLUXDB_TOKEN_FILE", dir+"/missing"))
	require.NoError(t, err, "an explicit token wins and the file is not read")
	assert.Equal(t, "given", c.InfluxToken)

	_, err = Load(env("INFLUXDB_TOKEN_FILE", dir+"/missing"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "INFLUXDB_TOKEN_FILE:"))
}

func TestMQTTSettings(t *testing.T) {
	c, err := Load(env())
	require.NoError(t, err)
	assert.Empty(t, c.MQTTURL, "MQTT is off by default")
	assert.Equal(t, "homeassistant", c.MQTTDiscoveryPrefix)
	assert.Equal(t, "sports-data", c.MQTTTopicPrefix)
	assert.Empty(t, c.MQTTTeams)

	c, err = Load(env("MQTT_URL", "mqtts://broker.lan:8883", "MQTT_TOPIC_PREFIX", "/home/sports/",
		"MQTT_TEAMS", " Patriots, nhl-bos,,Patriots ,Maple Leafs"))
	require.NoError(t, err)
	assert.Equal(t, "home/sports", c.MQTTTopicPrefix, "slashes around a prefix are dropped")
	assert.Equal(t, []string{"Patriots", "nhl-bos", "Maple Leafs"}, c.MQTTTeams, "trimmed, empty entries and repeats dropped")

	for _, bad := range [][]string{
		{"MQTT_URL", "http://broker:1883"},
		{"MQTT_URL", "mqtt://"},
		{"MQTT_URL", "broker:1883"},
		{"MQTT_TOPIC_PREFIX", "sports/#"},
		{"MQTT_DISCOVERY_PREFIX", "home+assistant"},
		{"MQTT_TOPIC_PREFIX", "sports\xffdata"},
		{"MQTT_TOPIC_PREFIX", "homeassistant"},
	} {
		_, err := Load(env(bad...))
		if assert.Error(t, err, "%v", bad) {
			name := bad[0]
			if bad[1] == "homeassistant" {
				name = "MQTT_TOPIC_PREFIX"
			}
			assert.True(t, strings.HasPrefix(err.Error(), name+":"), "%v: %v", bad, err)
		}
	}
}

// TestSettingsThatInviteTrouble: a short or garbled API_KEY stops the
// start with one line; TRUSTED_PROXIES wider than any private network and
// an unset API_KEY start with a warning.
func TestSettingsThatInviteTrouble(t *testing.T) {
	for _, key := range []string{"12345", "fifteen-chars!!", "ab\xffcdefghijklmnopq", "ééééééééééééééé"} {
		_, err := Load(env("API_KEY", key))
		if assert.Error(t, err, "%q", key) {
			assert.True(t, strings.HasPrefix(err.Error(), "API_KEY:"), err.Error())
			assert.NotContains(t, err.Error(), key, "the key itself is not repeated")
			assert.NotContains(t, err.Error(), "\n")
		}
	}
	c, err := Load(env("API_KEY", "sixteen-chars-ok"))
	require.NoError(t, err)
	assert.Empty(t, c.Warnings)
	c, err = Load(env("API_KEY", "éééééééééééééééé"))
	require.NoError(t, err, "16 characters, whatever their bytes")
	assert.Empty(t, c.Warnings)

	c, err = Load(env())
	require.NoError(t, err)
	require.Len(t, c.Warnings, 1)
	assert.Contains(t, c.Warnings[0], "API_KEY is not set")

	for _, wide := range []string{"0.0.0.0/0", "::/0", "10.0.0.1, 0.0.0.0/1", "2000::/3"} {
		c, err := Load(env("API_KEY", "sixteen-chars-ok", "TRUSTED_PROXIES", wide))
		require.NoError(t, err, wide)
		require.Len(t, c.Warnings, 1, wide)
		assert.True(t, strings.HasPrefix(c.Warnings[0], "TRUSTED_PROXIES: "), c.Warnings[0])
	}
	for _, narrow := range []string{"10.0.0.0/8", "fc00::/7", "192.168.1.10", "203.0.113.7", "127.0.0.0/8,::1/128"} {
		c, err := Load(env("API_KEY", "sixteen-chars-ok", "TRUSTED_PROXIES", narrow))
		require.NoError(t, err, narrow)
		assert.Empty(t, c.Warnings, narrow)
	}
}

// TestAllowedHosts: the names of ALLOWED_HOSTS, normalised, and this
// machine's own; anything that is not a bare host name stops the start.
func TestAllowedHosts(t *testing.T) {
	c, err := Load(env("ALLOWED_HOSTS", " Sports-Data , homeserver.lan., ,sports_data"))
	require.NoError(t, err)
	assert.Equal(t, []string{"sports-data", "homeserver.lan", "sports_data"}, c.AllowedHosts[:3])
	name, err := os.Hostname()
	require.NoError(t, err)
	short, _, _ := strings.Cut(strings.ToLower(name), ".")
	assert.Contains(t, c.AllowedHosts, strings.ToLower(name))
	assert.Contains(t, c.AllowedHosts, short+".local")

	for _, bad := range []string{"http://sports-data", "sports-data:8005", "*", "*.example.com", "a b", "[::1]", "exa mple"} {
		_, err := Load(env("ALLOWED_HOSTS", bad))
		if assert.Error(t, err, bad) {
			assert.True(t, strings.HasPrefix(err.Error(), "ALLOWED_HOSTS:"), err.Error())
		}
	}
	_, err = Load(env("WRITE_RATE_LIMIT_PER_MINUTE", "0"))
	assert.Error(t, err)
}
