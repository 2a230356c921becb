package influx_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sports-data/sports-data/internal/influxtest"
	"github.com/sports-data/sports-data/internal/store/influx"
	"github.com/sports-data/sports-data/internal/testenv"
)

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// freshDatabase names a database no test has used and drops it when the
// test ends. The store creates it.
func freshDatabase(t testing.TB, base string) string {
	t.Helper()
	name := randomName("sdtest_")
	t.Cleanup(func() { influxQL(t, base, "", "", `DROP DATABASE "`+name+`"`) })
	return name
}

// influxQL runs a statement on a 1.8 server directly (not through the
// store) and returns the decoded answer.
func influxQL(t testing.TB, base, token, db, stmt string) map[string]any {
	t.Helper()
	form := url.Values{"q": {stmt}}
	if db != "" {
		form.Set("db", db)
	}
	req, err := http.NewRequest(http.MethodPost, base+"/query", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Token "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// seriesValues digs the values of the first series of the first result.
func seriesValues(t testing.TB, answer map[string]any) (columns []string, values [][]any) {
	t.Helper()
	results, _ := answer["results"].([]any)
	require.NotEmpty(t, results, "answer %v", answer)
	first, _ := results[0].(map[string]any)
	require.Nil(t, first["error"], "answer %v", answer)
	series, _ := first["series"].([]any)
	if len(series) == 0 {
		return nil, nil
	}
	s0 := series[0].(map[string]any)
	for _, c := range s0["columns"].([]any) {
		columns = append(columns, c.(string))
	}
	for _, v := range s0["values"].([]any) {
		values = append(values, v.([]any))
	}
	return columns, values
}

// logRecorder keeps every log record so tests can check what the store
// said, and passes them on to the test log.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
	t       testing.TB
	done    bool
}

func newLogRecorder(t testing.TB) (*logRecorder, *slog.Logger) {
	r := &logRecorder{t: t}
	t.Cleanup(func() {
		r.mu.Lock()
		r.done = true
		r.mu.Unlock()
	})
	return r, slog.New(r)
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	if !r.done {
		var b strings.Builder
		rec.Attrs(func(a slog.Attr) bool {
			fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
			return true
		})
		r.t.Logf("log %s %s%s", rec.Level, rec.Message, b.String())
	}
	return nil
}

// messages returns the messages logged at level or above.
func (r *logRecorder) messages(level slog.Level) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, rec := range r.records {
		if rec.Level >= level {
			out = append(out, rec.Message)
		}
	}
	return out
}

// forwarder relays TCP connections from a local address to a real server,
// so a test can make the server appear at an address later or vanish.
type forwarder struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

func startForwarder(t testing.TB, addr, target string) *forwarder {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	f := &forwarder{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	f.wg.Add(1)
	go f.serve()
	t.Cleanup(f.Close)
	return f
}

func (f *forwarder) serve() {
	defer f.wg.Done()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.DialTimeout("tcp", f.target, 5*time.Second)
		if err != nil {
			_ = c.Close()
			continue
		}
		f.mu.Lock()
		f.conns[c], f.conns[up] = struct{}{}, struct{}{}
		f.mu.Unlock()
		f.wg.Add(2)
		pipe := func(dst, src net.Conn) {
			defer f.wg.Done()
			_, _ = io.Copy(dst, src)
			_ = dst.Close()
			_ = src.Close()
		}
		go pipe(up, c)
		go pipe(c, up)
	}
}

// Close stops listening and cuts every relayed connection.
func (f *forwarder) Close() {
	_ = f.ln.Close()
	f.mu.Lock()
	for c := range f.conns {
		_ = c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

func openStore(t testing.TB, o influx.Options) *influx.Store {
	t.Helper()
	s, err := influx.Open(context.Background(), o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

type influxd struct {
	url     string
	dataDir string // data directory (one subdirectory per database)
	walDir  string
}

// startInfluxd runs a private InfluxDB 1.8 for a test that needs its own
// configuration (authentication, fast compaction). It needs the influxd
// binary scripts/influxdb-test.sh builds; dataConf is added to [data].
func startInfluxd(t testing.TB, auth bool, dataConf string) influxd {
	t.Helper()
	influxtest.URL(t) // the same skip rule as every 1.8 test
	bin := influxtest.Binary()
	_, err := os.Stat(bin)
	testenv.Need(t, err == nil, "influxd not found at "+bin+": run scripts/influxdb-test.sh build or set SPORTS_DATA_TEST_INFLUXD")
	dir := t.TempDir()
	httpAddr, rpcAddr := testenv.FreeAddr(t), testenv.FreeAddr(t)
	srv := influxd{url: "http://" + httpAddr, dataDir: filepath.Join(dir, "data"), walDir: filepath.Join(dir, "wal")}
	conf := influxtest.Config(influxtest.Options{Dir: dir, HTTPAddr: httpAddr, RPCAddr: rpcAddr, Auth: auth, DataExtra: dataConf})
	require.NoError(t, os.WriteFile(filepath.Join(dir, "influxdb.conf"), []byte(conf), 0o600))
	logFile, err := os.Create(filepath.Join(dir, "influxd.log"))
	require.NoError(t, err)
	cmd := exec.Command(bin, "run", "-config", filepath.Join(dir, "influxdb.conf"))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = logFile.Close()
	})
	require.Eventually(t, func() bool {
		resp, err := http.Get(srv.url + "/ping")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusNoContent
	}, 30*time.Second, 50*time.Millisecond, "influxd did not start")
	return srv
}

type usage struct {
	bytes     int64 // apparent size, du -b
	allocated int64 // blocks in use, du -B1
	tsmFiles  int
}

// dirUsage adds up the regular files under dir; a missing dir is empty.
func dirUsage(t testing.TB, dir string) usage {
	t.Helper()
	var u usage
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // compacted away meanwhile
		}
		if err != nil {
			return err
		}
		u.bytes += info.Size()
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			u.allocated += st.Blocks * 512
		}
		if strings.HasSuffix(path, ".tsm") {
			u.tsmFiles++
		}
		return nil
	})
	require.NoError(t, err)
	return u
}
