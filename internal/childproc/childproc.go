// Package childproc runs the programs a test harness owns (the service,
// Home Assistant, InfluxDB) as child processes whose output goes to a log
// file, and ends them the way a supervisor would: SIGTERM first, so they
// save their state, and SIGKILL when they do not exit in time.
package childproc

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Proc is one program that can be started again, with the same arguments,
// after it has exited, been stopped or killed.
type Proc struct {
	Name    string
	Path    string
	Args    []string
	Env     []string
	LogPath string // appended to, so the runs of one Proc share one log

	cmd    *exec.Cmd
	exited chan struct{} // closed when the current run has exited
}

// Start starts the program. The log gets a line "==== <banner> at <time>"
// first, so a reader of the log can tell the runs apart.
func (p *Proc) Start(banner string) error {
	if p.Running() {
		return fmt.Errorf("%s is already running", p.Name)
	}
	f, err := os.OpenFile(p.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "\n==== %s at %s\n", banner, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(p.Path, p.Args...)
	cmd.Env = p.Env
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("starting %s: %v", p.Name, err)
	}
	p.cmd, p.exited = cmd, make(chan struct{})
	go func(exited chan struct{}) {
		_ = cmd.Wait()
		f.Close()
		close(exited)
	}(p.exited)
	return nil
}

// Running reports whether the current run has not exited yet.
func (p *Proc) Running() bool {
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

// Pid is the process id of the current or last run; 0 before the first.
func (p *Proc) Pid() int {
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// Stop sends SIGTERM (the programs save their state on it) and kills the
// process when it has not exited within grace. It returns once it has exited.
func (p *Proc) Stop(grace time.Duration) {
	if !p.Running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// Kill ends the process with SIGKILL, so no shutdown code runs, and waits
// for it to exit.
func (p *Proc) Kill() {
	if !p.Running() {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// ExitCode is the exit code of the last run; -1 while it runs, before the
// first run, and when a signal ended it.
func (p *Proc) ExitCode() int {
	// ProcessState is written by Wait; reading it is safe only once the
	// run has exited.
	if p.cmd == nil || p.Running() || p.cmd.ProcessState == nil {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// FreePort asks the kernel for a free TCP port on 127.0.0.1.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
