package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sports-data/sports-data/internal/logbuf"
	"github.com/sports-data/sports-data/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every command answers --help with its usage and exit status 0, and
// runs nothing: no store is opened, nothing listens, nothing is fetched.
func TestEveryCommandAnswersHelp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := func(k string) string {
		switch k {
		case "DATA_DIR":
			return dir
		case "PORT":
			return "1" // nothing may try to listen or connect
		case "ESPN_BASE_URL":
			return "http://127.0.0.1:1"
		}
		return ""
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"serve", "--help"}, []string{"usage: sports-data [serve]", "environment"}},
		{[]string{"serve", "-h"}, []string{"usage: sports-data [serve]"}},
		{[]string{"healthcheck", "--help"}, []string{"usage: sports-data healthcheck", "/health"}},
		{[]string{"backfill", "--help"}, []string{"usage: sports-data backfill", "from the environment", "-season"}},
		{[]string{"backfill", "-h"}, []string{"usage: sports-data backfill"}},
		{[]string{"--help"}, []string{"commands:", "backfill"}},
	} {
		out := &logbuf.Buffer{}
		err := run(t.Context(), append([]string{"sports-data"}, tc.args...), env, out)
		require.NoError(t, err, tc.args)
		for _, w := range tc.want {
			assert.Contains(t, out.String(), w, tc.args)
		}
		assert.NotContains(t, out.String(), "listening", tc.args)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "help wrote to DATA_DIR")
}

func TestCommandsRefuseStrayArguments(t *testing.T) {
	t.Parallel()
	env := func(k string) string { return "" }
	for _, args := range [][]string{
		{"serve", "--port", "9000"},
		{"healthcheck", "now"},
		{"backfill", "--league", "nfl", "--season", "2024", "extra"},
		{"backfill", "--bogus"},
	} {
		err := run(t.Context(), append([]string{"sports-data"}, args...), env, io.Discard)
		require.Error(t, err, args)
	}
}

// make run is stopped with Ctrl-C: the service shuts down in order and
// make reports no error.
func TestMakeRunEndsCleanlyOnInterrupt(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The binary is built here, without make's release flags (a build
	// from scratch that would take minutes); GO=true makes make's own
	// build step a no-op, so that what runs is make's run recipe.
	bin := filepath.Join(t.TempDir(), "sports-data")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	cmd := exec.CommandContext(ctx, "make", "--no-print-directory", "-C", "../..", "run", "GO=true", "BIN="+bin)
	cmd.Env = append(os.Environ(),
		"PORT="+fmt.Sprint(testenv.FreePort(t)),
		"DATA_DIR="+t.TempDir(),
		"ESPN_BASE_URL=http://127.0.0.1:1",
		"LOG_LEVEL=info",
	)
	// A terminal's Ctrl-C reaches the whole foreground process group:
	// make and the service.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	require.NoError(t, cmd.Start())
	var output strings.Builder
	listening := make(chan struct{})
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		once := false
		for sc.Scan() {
			output.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), "msg=listening") {
				once = true
				close(listening)
			}
		}
	}()
	select {
	case <-listening:
	case <-scanned:
		_ = cmd.Wait()
		t.Fatalf("make run ended before the service listened:\n%s", output.String())
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		pw.Close()
		<-scanned
		t.Fatalf("make run did not start the service:\n%s", output.String())
	}
	require.NoError(t, syscall.Kill(-cmd.Process.Pid, syscall.SIGINT))
	err = cmd.Wait()
	pw.Close()
	<-scanned
	// make passes the interrupt on and then ends by it, as any program
	// stopped at a terminal does (the shell prints nothing for it); what
	// must not happen is a recipe failing ("make: *** [run] Error 1", which
	// go run caused by exiting 1 when interrupted).
	var exit *exec.ExitError
	if err != nil {
		require.ErrorAs(t, err, &exit, output.String())
		ws, ok := exit.Sys().(syscall.WaitStatus)
		require.True(t, ok)
		assert.True(t, ws.Signaled() && ws.Signal() == syscall.SIGINT, "make ended with %v\n%s", err, output.String())
	}
	assert.Contains(t, output.String(), "msg=stopped")
	assert.NotContains(t, output.String(), "make: ***")
}

// The demo's data folder is not something to commit.
func TestDemoDataIsIgnoredByGit(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	out, err := exec.Command("git", "-C", "../..", "check-ignore", "data-demo/sports-data.db", "data/sports-data.db").CombinedOutput()
	if err != nil && strings.Contains(string(out), "not a git repository") {
		t.Skip("not a git checkout")
	}
	require.NoError(t, err, string(out))
	assert.Equal(t, "data-demo/sports-data.db\ndata/sports-data.db\n", string(out))
}

// Started while ESPN is unreachable and with no cached team list, the
// service cannot know any team: a lookup answers 503 saying why, not 404
// "no team matches".
func TestTeamLookupBeforeAnyTeamListIs503(t *testing.T) {
	t.Parallel()
	s := startService(t, "http://127.0.0.1:1", nil)
	for _, path := range []string{
		"/api/v1/ha/game-status/Chiefs",
		"/api/v1/ha/game-status/nhl-bos",
		"/api/v1/games/history?team=KC",
	} {
		var body struct {
			Detail string `json:"detail"`
		}
		require.Equal(t, http.StatusServiceUnavailable, s.get(path, &body), path)
		assert.Contains(t, body.Detail, "team list has not been loaded", path)
	}
}
