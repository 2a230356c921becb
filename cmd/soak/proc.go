package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/childproc"
	"github.com/sports-data/sports-data/internal/influxtest"
)

// proc is the service or InfluxDB: a child process that is started again
// with the same arguments after it was killed or stopped, and whose peak
// memory is followed over all its runs.
type proc struct {
	childproc.Proc
	starts int
	peakKB int64 // the highest VmHWM of any of its runs
}

func (p *proc) start() error {
	if err := p.Start(fmt.Sprintf("soak: start %d of %s", p.starts+1, p.Name)); err != nil {
		return err
	}
	p.starts++
	return nil
}

// sampleRSS reads the running process's peak resident set (VmHWM).
func (p *proc) sampleRSS() {
	if !p.Running() {
		return
	}
	if kb := vmHWM(p.Pid()); kb > p.peakKB {
		p.peakKB = kb
	}
}

// kill ends the process with SIGKILL: no shutdown code runs.
func (p *proc) kill() {
	p.sampleRSS()
	p.Kill()
}

// term sends SIGTERM and waits up to timeout; a process still alive then
// is killed. It returns the exit code (-1 when killed) and the time taken.
func (p *proc) term(timeout time.Duration) (int, time.Duration) {
	if !p.Running() {
		return p.ExitCode(), 0
	}
	p.sampleRSS()
	start := time.Now()
	p.Stop(timeout)
	return p.ExitCode(), time.Since(start)
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

// influxServer is a real InfluxDB (1.8, 2.7 or 3 Core) with its data in a
// folder of the run, set up as internal/influxtest prepares it: InfluxDB 3
// with the admin token file its one-shot command writes, 2.7 with the
// organisation and bucket of deployments/docker-compose.influxdb2.yml.
type influxServer struct {
	proc
	*influxtest.Server
	setUp bool
}

func newInfluxServer(kind influxtest.Kind, binary, dir string) (*influxServer, error) {
	srv, err := influxtest.Prepare(kind, dir, influxtest.ServerOptions{Binary: binary})
	if err != nil {
		return nil, err
	}
	s := &influxServer{Server: srv}
	s.proc = proc{Proc: childproc.Proc{Name: string(kind), Path: srv.Path, Args: srv.Args,
		Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, LogPath: srv.LogPath}}
	return s, nil
}

// up starts the server, waits until it answers and, after its first start,
// sets it up.
func (s *influxServer) up(ctx context.Context) error {
	if err := s.start(); err != nil {
		return err
	}
	if err := s.Ready(ctx, time.Minute); err != nil {
		s.kill()
		return err
	}
	if !s.setUp {
		if err := s.Setup(ctx); err != nil {
			return err
		}
		s.setUp = true
	}
	return nil
}
