package childproc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shell is a Proc running script under sh, logging to a file in a
// temporary folder.
func shell(t *testing.T, script string) *Proc {
	t.Helper()
	return &Proc{Name: "sh", Path: "/bin/sh", Args: []string{"-c", script},
		LogPath: filepath.Join(t.TempDir(), "sh.log")}
}

// waitLog waits until the log holds want n times (a script writes "ready"
// once it has got past its trap) and returns the log.
func waitLog(t *testing.T, p *Proc, want string, n int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(p.LogPath)
		if strings.Count(string(b), want) >= n {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("log %q never held %q %d times", b, want, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStopKillsAProcessThatIgnoresSIGTERM(t *testing.T) {
	// exec keeps the ignored SIGTERM and leaves no grandchild behind.
	p := shell(t, `trap "" TERM; echo ready; exec sleep 30`)
	if err := p.Start("test: start sh"); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p, "ready", 1)
	t0 := time.Now()
	p.Stop(200 * time.Millisecond)
	if took := time.Since(t0); took < 200*time.Millisecond || took > 5*time.Second {
		t.Errorf("Stop took %s; want the grace of 200ms, then a kill", took)
	}
	if p.Running() {
		t.Fatal("still running after Stop")
	}
	if c := p.ExitCode(); c != -1 {
		t.Errorf("exit code %d; want -1 (killed)", c)
	}
}

func TestStopLetsAProcessExitOnSIGTERM(t *testing.T) {
	p := shell(t, `trap "exit 3" TERM; echo ready; while :; do sleep 0.05; done`)
	if err := p.Start("test: start sh"); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p, "ready", 1)
	p.Stop(10 * time.Second)
	if c := p.ExitCode(); c != 3 {
		t.Errorf("exit code %d; want 3, from its own SIGTERM handler", c)
	}
}

func TestRunsShareTheLog(t *testing.T) {
	p := shell(t, `echo ready; exec sleep 30`)
	for i, banner := range []string{"test: run 1", "test: run 2"} {
		if err := p.Start(banner); err != nil {
			t.Fatal(err)
		}
		if err := p.Start(banner); err == nil {
			t.Error("a second Start of a running process did not fail")
		}
		waitLog(t, p, "ready", i+1)
		p.Kill()
		if p.Running() {
			t.Fatal("still running after Kill")
		}
	}
	log := waitLog(t, p, "ready", 2)
	if !strings.HasPrefix(log, "\n==== test: run 1 at ") || strings.Count(log, "\n==== ") != 2 {
		t.Errorf("log is %q; want one banner per run, the first at the start", log)
	}
}

func TestFreePort(t *testing.T) {
	port, err := FreePort()
	if err != nil || port <= 0 {
		t.Fatalf("FreePort() = %d, %v", port, err)
	}
}
