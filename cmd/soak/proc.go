package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sports-data/sports-data/internal/influxtest"
)

// proc is a child process that can be started again with the same
// arguments after it was killed or stopped.
type proc struct {
	name    string
	path    string
	args    []string
	env     []string
	logPath string

	cmd     *exec.Cmd
	exited  chan struct{}
	logFile *os.File
	starts  int
	peakKB  int64 // the highest VmHWM of any of its runs
}

func (p *proc) start() error {
	if p.running() {
		return fmt.Errorf("%s is already running", p.name)
	}
	f, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "\n==== soak: start %d of %s at %s\n", p.starts+1, p.name, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(p.path, p.args...)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("starting %s: %v", p.name, err)
	}
	p.cmd, p.logFile, p.exited = cmd, f, make(chan struct{})
	p.starts++
	go func(exited chan struct{}) {
		_ = cmd.Wait()
		close(exited)
	}(p.exited)
	return nil
}

func (p *proc) running() bool {
	if p.cmd == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

func (p *proc) pid() int {
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// sampleRSS reads the running process's peak resident set (VmHWM).
func (p *proc) sampleRSS() {
	if !p.running() {
		return
	}
	if kb := vmHWM(p.pid()); kb > p.peakKB {
		p.peakKB = kb
	}
}

// kill ends the process with SIGKILL: no shutdown code runs.
func (p *proc) kill() {
	if !p.running() {
		return
	}
	p.sampleRSS()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
	p.logFile.Close()
}

// term sends SIGTERM and waits up to timeout; a process still alive then
// is killed. It returns the exit code (-1 when killed) and the time taken.
func (p *proc) term(timeout time.Duration) (int, time.Duration) {
	if !p.running() {
		return p.exitCode(), 0
	}
	p.sampleRSS()
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(timeout):
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.exited
	}
	p.logFile.Close()
	return p.exitCode(), time.Since(start)
}

func (p *proc) exitCode() int {
	if p.cmd == nil || p.cmd.ProcessState == nil {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// vmHWM is the peak resident set of a process in KiB, from
// /proc/<pid>/status; 0 when unknown.
func vmHWM(pid int) int64 {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitHTTP polls url until it answers want, for at most d.
func waitHTTP(ctx context.Context, url string, want int, d time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(d)
	var last error
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == want {
				return nil
			}
			last = fmt.Errorf("answered %d", resp.StatusCode)
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer %d within %s: %v", url, want, d, last)
}

// influxServer is a real InfluxDB 1.8 with its own configuration and
// data in a folder of the run.
type influxServer struct {
	proc
	url string
}

func newInfluxServer(binary, dir string) (*influxServer, error) {
	if _, err := os.Stat(binary); err != nil {
		return nil, fmt.Errorf("InfluxDB 1.8 binary %s: %w", binary, err)
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	rpcPort, err := freePort()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	conf := influxtest.Config(influxtest.Options{
		Dir:      dir,
		HTTPAddr: fmt.Sprintf("127.0.0.1:%d", httpPort),
		RPCAddr:  fmt.Sprintf("127.0.0.1:%d", rpcPort),
	})
	confPath := filepath.Join(dir, "influxdb.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	s := &influxServer{url: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	s.proc = proc{name: "influxd", path: binary, args: []string{"run", "-config", confPath},
		env: []string{"PATH=" + os.Getenv("PATH")}, logPath: filepath.Join(dir, "influxd.log")}
	return s, nil
}

// up starts the server and waits for /ping.
func (s *influxServer) up(ctx context.Context) error {
	if err := s.start(); err != nil {
		return err
	}
	if err := waitHTTP(ctx, s.url+"/ping", http.StatusNoContent, 30*time.Second); err != nil {
		s.kill()
		return errors.Join(err, fmt.Errorf("see %s", s.logPath))
	}
	return nil
}
