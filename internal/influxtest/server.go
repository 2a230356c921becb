package influxtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sports-data/sports-data/internal/childproc"
	"github.com/sports-data/sports-data/internal/config"
)

// Kind is one of the three InfluxDB servers the store is tested against.
type Kind string

const (
	V1 Kind = "influxdb18" // InfluxDB 1.8, read with InfluxQL
	V2 Kind = "influxdb2"  // InfluxDB OSS 2.7, InfluxQL through its v1 compatibility API
	V3 Kind = "influxdb3"  // InfluxDB 3 Core, SQL over Arrow Flight
)

// Name is how reports and test names call the kind.
func (k Kind) Name() string {
	switch k {
	case V1:
		return "InfluxDB " + Version
	case V2:
		return "InfluxDB " + Version2
	case V3:
		return "InfluxDB 3 Core " + Version3
	}
	return string(k)
}

// The releases of the servers scripts/influxdb2-test.sh and
// scripts/influxdb3-test.sh unpack (built from InfluxData's sources, see
// their README beside the archives in ../shared/bin).
const (
	Version2 = "2.7.12"
	Version3 = "3.6.0"
)

// Settings of the 2.7 server Prepare sets up: the defaults of
// deployments/docker-compose.influxdb2.yml, so that a service pointed at
// it runs with that file's settings.
const (
	SetupOrg    = "home"
	SetupBucket = "sports_data"
)

// cacheDir is where the scripts unpack the servers:
// ${XDG_CACHE_HOME:-$HOME/.cache}/sports-data.
func cacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "sports-data")
}

// Binary2 is the influxd 2.7 to run: SPORTS_DATA_TEST_INFLUXD2 when set,
// else the one scripts/influxdb2-test.sh unpacks into the cache.
func Binary2() string {
	if b := os.Getenv("SPORTS_DATA_TEST_INFLUXD2"); b != "" {
		return b
	}
	return filepath.Join(cacheDir(), "influxd-"+Version2, "influxd")
}

// Binary3 is the influxdb3 to run: SPORTS_DATA_TEST_INFLUXDB3 when set,
// else the one scripts/influxdb3-test.sh unpacks into the cache.
func Binary3() string {
	if b := os.Getenv("SPORTS_DATA_TEST_INFLUXDB3"); b != "" {
		return b
	}
	return filepath.Join(cacheDir(), "influxdb3-"+Version3, "influxdb3")
}

// BinaryOf is the server binary of a kind.
func BinaryOf(k Kind) string {
	switch k {
	case V2:
		return Binary2()
	case V3:
		return Binary3()
	}
	return Binary()
}

// Server is one InfluxDB server: where it answers and how to reach it as a
// client, and, for a server Prepare made, how to run it.
type Server struct {
	Kind Kind
	URL  string // http://127.0.0.1:port
	// Token is what a client sends: 2.7's operator token, InfluxDB 3's admin
	// token; empty when authentication is off.
	Token string
	// TokenFile is InfluxDB 3's admin token file as
	// `influxdb3 create token --admin --offline` writes it.
	TokenFile string
	Org       string // 2.7
	Bucket    string // 2.7: the bucket its setup created

	// Set by Prepare only.
	Dir     string   // data, configuration and log
	Path    string   // the binary
	Args    []string // its arguments
	LogPath string
}

// ServerOptions change what Prepare makes.
type ServerOptions struct {
	// Binary is the server to run (default: BinaryOf the kind).
	Binary string
	// WithoutAuth runs InfluxDB 3 with --without-auth instead of the admin
	// token file (1.8 runs without authentication, 2.7 always with).
	WithoutAuth bool
	// QueryFileLimit is InfluxDB 3's --query-file-limit (0: its default,
	// 432 Parquet files).
	QueryFileLimit int
	// SnapshotEvery is InfluxDB 3's --wal-snapshot-size, the WAL files
	// after which it writes the buffer to Parquet files (0: its default,
	// 600); 1 makes a file per table and time window at every write.
	SnapshotEvery int
	// WALFlush is InfluxDB 3's --wal-flush-interval (0: its default, 1 s).
	// A write is answered once its WAL file is flushed, so tests, which
	// wait for every write, run with a shorter one.
	WALFlush time.Duration
}

// Prepare makes a server of kind k that keeps everything in dir and listens
// on a free port of 127.0.0.1, ready to be started (Path, Args): 1.8 gets
// its configuration file, InfluxDB 3 its admin token file (written offline by
// the binary, as docker-compose.yml does).
func Prepare(k Kind, dir string, o ServerOptions) (*Server, error) {
	bin := o.Binary
	if bin == "" {
		bin = BinaryOf(k)
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%s binary: %w", k.Name(), err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	port, err := childproc.FreePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := &Server{Kind: k, URL: "http://" + addr, Dir: dir, Path: bin, LogPath: filepath.Join(dir, string(k)+".log")}
	switch k {
	case V1:
		rpc, err := childproc.FreePort()
		if err != nil {
			return nil, err
		}
		conf := filepath.Join(dir, "influxdb.conf")
		text := Config(Options{Dir: dir, HTTPAddr: addr, RPCAddr: "127.0.0.1:" + strconv.Itoa(rpc)})
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			return nil, err
		}
		s.Args = []string{"run", "-config", conf}
	case V2:
		s.Token, s.Org, s.Bucket = randomToken(), SetupOrg, SetupBucket
		s.Args = []string{
			"--bolt-path", filepath.Join(dir, "influxd.bolt"),
			"--engine-path", filepath.Join(dir, "engine"),
			"--sqlite-path", filepath.Join(dir, "influxd.sqlite"),
			"--http-bind-address", addr,
			"--reporting-disabled",
			"--log-level", "warn",
		}
	case V3:
		s.Args = serve3Args(dir, addr, o)
		if !o.WithoutAuth {
			s.TokenFile = filepath.Join(dir, "admin-token.json")
			if err := createAdminToken(bin, s.TokenFile); err != nil {
				return nil, err
			}
			if s.Token, err = config.ReadTokenFile(s.TokenFile); err != nil {
				return nil, err
			}
			s.Args = append(s.Args, "--admin-token-file", s.TokenFile, "--disable-authz", "health,ping")
		}
	default:
		return nil, fmt.Errorf("unknown InfluxDB kind %q", k)
	}
	return s, nil
}

// serve3Args are the arguments of `influxdb3 serve` for a private server:
// a file object store in dir, loopback only (the admin token recovery
// endpoint too, on a port of its own), no telemetry sent anywhere.
func serve3Args(dir, addr string, o ServerOptions) []string {
	args := []string{"serve",
		"--node-id", "sports-data-test",
		"--object-store", "file",
		"--data-dir", filepath.Join(dir, "data"),
		"--http-bind", addr,
		"--admin-token-recovery-http-bind", "127.0.0.1:0",
		"--disable-telemetry-upload",
	}
	if o.WithoutAuth {
		args = append(args, "--without-auth")
	}
	if o.WALFlush > 0 {
		args = append(args, "--wal-flush-interval", o.WALFlush.String())
	}
	if o.SnapshotEvery > 0 {
		args = append(args, "--wal-snapshot-size", strconv.Itoa(o.SnapshotEvery))
	}
	if o.QueryFileLimit > 0 {
		args = append(args, "--query-file-limit", strconv.Itoa(o.QueryFileLimit))
	}
	return args
}

// AdminTokenCommand is the command docker-compose.yml's one-shot container
// runs to create InfluxDB 3's admin token before the server starts.
func AdminTokenCommand(file string) []string {
	return []string{"create", "token", "--admin", "--offline", "--name", "_admin", "--output-file", file}
}

func createAdminToken(bin, file string) error {
	if _, err := os.Stat(file); err == nil {
		return nil
	}
	out, err := exec.Command(bin, AdminTokenCommand(file)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("influxdb3 create token: %v: %s", err, out)
	}
	return nil
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "sdtest-" + hex.EncodeToString(b)
}

// Ready waits until the server answers /ping, for at most d.
func (s *Server) Ready(ctx context.Context, d time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(d)
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/ping", nil)
		resp, err := c.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return nil
			}
			err = fmt.Errorf("/ping answered %d", resp.StatusCode)
		}
		last = err
		if time.Now().After(deadline) {
			return fmt.Errorf("%s at %s did not answer within %s: %v (log: %s)", s.Kind.Name(), s.URL, d, last, s.LogPath)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Setup does what a server needs once after its first start: 2.7's
// onboarding (user, organisation, bucket and operator token). It does
// nothing when that has been done.
func (s *Server) Setup(ctx context.Context) error {
	if s.Kind != V2 {
		return nil
	}
	var allowed struct {
		Allowed bool `json:"allowed"`
	}
	if err := s.call(ctx, http.MethodGet, "/api/v2/setup", nil, &allowed); err != nil {
		return err
	}
	if !allowed.Allowed {
		return nil
	}
	return s.call(ctx, http.MethodPost, "/api/v2/setup", map[string]any{
		"username": "sports-data-test", "password": randomToken(),
		"org": s.Org, "bucket": s.Bucket, "token": s.Token,
		"retentionPeriodSeconds": 0,
	}, nil)
}

// call sends a JSON request with the server's token and decodes the answer
// into out (when not nil); an answer other than 2xx is an error.
func (s *Server) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.Token != "" {
		req.Header.Set("Authorization", "Token "+s.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: string(bytes.TrimSpace(raw))}
	}
	if out != nil && len(raw) > 0 {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// StatusError is an answer other than 2xx to a call of this package.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// ServiceEnv is the service's configuration for this server, as the
// compose files write it: InfluxDB 3 with the admin token file and SQL
// (docker-compose.yml), 2.7 with token, organisation, bucket and InfluxQL
// (deployments/docker-compose.influxdb2.yml), 1.8 with a database the
// service creates.
func (s *Server) ServiceEnv() []string {
	env := []string{"STORE=influxdb", "INFLUXDB_URL=" + s.URL}
	switch s.Kind {
	case V1:
		env = append(env, "INFLUXDB_DATABASE=sports_data")
	case V2:
		env = append(env, "INFLUXDB_TOKEN="+s.Token, "INFLUXDB_ORG="+s.Org, "INFLUXDB_BUCKET="+s.Bucket,
			"INFLUXDB_QUERY_LANGUAGE=influxql")
	case V3:
		if s.TokenFile != "" {
			env = append(env, "INFLUXDB_TOKEN_FILE="+s.TokenFile)
		}
		env = append(env, "INFLUXDB_DATABASE=sports_data", "INFLUXDB_QUERY_LANGUAGE=sql")
	}
	return env
}
