package deployments

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/childproc"
	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store"
	"github.com/sports-data/sports-data/internal/store/influx"
)

// The compose files' InfluxDB settings, run against the real servers the
// tests use (InfluxDB 3 Core 3.6.0 and OSS 2.7.12, see internal/influxtest):
// what the files pass to the server is accepted by it, and the service,
// configured by the files' environment, stores and reads through it.

// composeVariable is ${NAME}, ${NAME:-default} or ${NAME:?message}.
var composeVariable = regexp.MustCompile(`\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}`)

// expandCompose substitutes compose variables from set, else their
// defaults; a required variable missing from set fails the test.
func expandCompose(t *testing.T, value string, set map[string]string) string {
	return composeVariable.ReplaceAllStringFunc(value, func(m string) string {
		p := composeVariable.FindStringSubmatch(m)
		if v, ok := set[p[1]]; ok {
			return v
		}
		if p[2] == "?" {
			t.Fatalf("%s is required by the compose file: %s", p[1], p[3])
		}
		return p[3]
	})
}

// serviceConfig is the service's configuration from a compose service's
// environment, with the given variables set and paths and addresses of
// the containers replaced for this machine.
func serviceConfig(t *testing.T, env map[string]string, set, replace map[string]string) *config.Config {
	t.Helper()
	vars := map[string]string{}
	for k, v := range env {
		vars[k] = expandCompose(t, v, set)
	}
	for k, v := range replace {
		vars[k] = v
	}
	vars["DATA_DIR"] = t.TempDir()
	cfg, err := config.Load(func(k string) string { return vars[k] })
	require.NoError(t, err)
	return cfg
}

// openConfigured opens the store as the service does with cfg.
func openConfigured(t *testing.T, cfg *config.Config) *influx.Store {
	t.Helper()
	require.Equal(t, config.StoreInfluxDB, cfg.StoreKind)
	s, err := influx.Open(context.Background(), influx.Options{URL: cfg.InfluxURL, Token: cfg.InfluxToken, Org: cfg.InfluxOrg,
		Database: cfg.Database(), QueryLanguage: cfg.InfluxQueryLanguage, RetentionDays: cfg.RetentionDays})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// writesAndReads stores a game through s and reads it back.
func writesAndReads(t *testing.T, s *influx.Store) {
	t.Helper()
	start := time.Now().UTC().Truncate(time.Minute)
	row := store.Point{Series: store.SeriesGames, League: "nfl", Time: start, GameID: "401671500", Season: start.Year(),
		SeasonType: 2, Week: 1, HomeTeam: "NE", AwayTeam: "BUF", Status: "scheduled", ObservedAt: start}
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		if !assert.NoError(c, s.Write(context.Background(), []store.Point{row})) {
			return
		}
		got, err := s.Games(context.Background(), store.GameQuery{League: "nfl"})
		if assert.NoError(c, err) && assert.Len(c, got, 1) {
			assert.Equal(c, "scheduled", got[0].Status)
		}
	}, 30*time.Second, 100*time.Millisecond)
}

func TestComposeInfluxDB3SettingsOnTheRealServer(t *testing.T) {
	bin := influxtest.HaveBinary(t, influxtest.V3)
	c := loadCompose(t, "../docker-compose.yml")
	volume := t.TempDir() // the influxdb-data volume
	inVolume := strings.NewReplacer("/var/lib/influxdb3", volume)

	// The one-shot container's command writes the admin token offline;
	// run again it leaves the token alone.
	tokenCmd := flatten(c.Services["influxdb-token"].Command)
	require.Len(t, tokenCmd, 1, "one shell script")
	script := inVolume.Replace(tokenCmd[0])
	shell := func() {
		cmd := exec.Command("sh", "-c", script)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	shell()
	tokenFile := filepath.Join(volume, "admin-token.json")
	first, err := os.ReadFile(tokenFile)
	require.NoError(t, err)
	info, err := os.Stat(tokenFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm(), "readable by the service's non-root user")
	shell()
	again, err := os.ReadFile(tokenFile)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(again), "a second start keeps the token")

	// Every flag the server gets is one this version knows...
	help, err := exec.Command(bin, "serve", "--help-all").CombinedOutput()
	require.NoError(t, err)
	influxSvc := c.Services["influxdb"]
	args := flatten(influxSvc.Command)
	require.Equal(t, "serve", args[0])
	for _, a := range args[1:] {
		name, _, _ := strings.Cut(a, "=")
		assert.Contains(t, string(help), name+" ", "influxdb3 %s does not list %s", influxtest.Version3, name)
	}
	for k := range influxSvc.Environment {
		assert.Contains(t, string(help), "[env: "+k+"=", "influxdb3 %s does not read %s", influxtest.Version3, k)
	}
	// ...and the server starts with them, here on loopback and without
	// telemetry; health and ping answer without a token, as the compose
	// health check needs.
	port, err := childproc.FreePort()
	require.NoError(t, err)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := range args {
		args[i] = inVolume.Replace(args[i])
	}
	args = append(args, "--http-bind", fmt.Sprintf("127.0.0.1:%d", port),
		"--admin-token-recovery-http-bind", "127.0.0.1:0", "--disable-telemetry-upload")
	proc := &childproc.Proc{Name: "influxdb3", Path: bin, Args: args, LogPath: filepath.Join(volume, "influxdb3.log")}
	require.NoError(t, proc.Start("docker-compose.yml's influxdb3 serve"))
	t.Cleanup(func() { proc.Stop(15 * time.Second) })
	srv := &influxtest.Server{Kind: influxtest.V3, URL: url, LogPath: proc.LogPath}
	require.NoError(t, srv.Ready(context.Background(), time.Minute))
	for _, path := range []string{"/health", "/ping"} {
		resp, err := http.Get(url + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
	}

	// The service with the compose file's environment reads the token
	// file from its read-only mount of the volume and works.
	sd := c.Services["sports-data"]
	cfg := serviceConfig(t, sd.Environment, nil, map[string]string{
		"INFLUXDB_URL":        url,
		"INFLUXDB_TOKEN_FILE": strings.Replace(sd.Environment["INFLUXDB_TOKEN_FILE"], "/influxdb", volume, 1),
	})
	require.NotEmpty(t, cfg.InfluxToken)
	s := openConfigured(t, cfg)
	assert.Equal(t, influx.LanguageSQL, s.QueryLanguage())
	assert.Equal(t, influxtest.Version3, s.Info(context.Background()).Version)
	writesAndReads(t, s)

	bare := openConfigured(t, serviceConfig(t, sd.Environment, nil, map[string]string{"INFLUXDB_URL": url, "INFLUXDB_TOKEN_FILE": ""}))
	_, err = bare.Games(context.Background(), store.GameQuery{League: "nfl"})
	require.ErrorIs(t, err, influx.ErrUnauthorized, "without the token file the server refuses the service")
}

func TestComposeInfluxDB2SettingsOnTheRealServer(t *testing.T) {
	c := loadCompose(t, "docker-compose.influxdb2.yml")
	sd := c.Services["sports-data"]
	// The example .env agrees with the compose file's defaults, which the
	// server below is set up with.
	example := readEnvFile(t, "influxdb2.env.example")
	defaults := map[string]string{}
	for k, v := range sd.Environment {
		if m := composeVariable.FindStringSubmatch(v); m != nil && m[2] == "-" {
			defaults[k] = m[3]
		}
	}
	assert.Equal(t, influxtest.SetupOrg, defaults["INFLUXDB_ORG"])
	assert.Equal(t, influxtest.SetupBucket, defaults["INFLUXDB_BUCKET"])
	assert.Equal(t, defaults["INFLUXDB_ORG"], example["INFLUXDB_ORG"])
	assert.Equal(t, defaults["INFLUXDB_BUCKET"], example["INFLUXDB_BUCKET"])

	srv := influxtest.Start(t, influxtest.V2, influxtest.ServerOptions{})
	cfg := serviceConfig(t, sd.Environment, map[string]string{"INFLUXDB_TOKEN": srv.Token},
		map[string]string{"INFLUXDB_URL": srv.URL})
	assert.Equal(t, influxtest.SetupBucket, cfg.Database(), "INFLUXDB_BUCKET names the database")
	s := openConfigured(t, cfg)
	assert.Equal(t, influx.LanguageInfluxQL, s.QueryLanguage(), "read through 2.7's v1 /query and its mapping of the bucket")
	assert.Equal(t, influxtest.Version2, s.Info(context.Background()).Version)
	writesAndReads(t, s)
}

// readEnvFile reads a KEY=value file.
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(k, "#") {
			out[k] = v
		}
	}
	return out
}
