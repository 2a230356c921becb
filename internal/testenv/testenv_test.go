package testenv

import (
	"fmt"
	"net"
	"testing"
)

// recorder is a TB that remembers how the test would have ended.
type recorder struct{ ended string }

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.ended = "fatal: " + fmt.Sprint(args...) }
func (r *recorder) Skip(args ...any)  { r.ended = "skip: " + fmt.Sprint(args...) }

func TestNeedSkipsLocallyAndFailsUnderCI(t *testing.T) {
	r := &recorder{}
	Need(r, true, "there")
	if r.ended != "" {
		t.Fatalf("available: %q", r.ended)
	}
	t.Setenv("CI", "")
	r = &recorder{}
	Need(r, false, "no server")
	if r.ended != "skip: no server" {
		t.Fatalf("missing outside CI: %q, want a skip", r.ended)
	}
	t.Setenv("CI", "true")
	r = &recorder{}
	Need(r, false, "no server")
	if r.ended != "fatal: no server" {
		t.Fatalf("missing under CI: %q, want a failure", r.ended)
	}
}

func TestFreeAddrCanBeListenedOn(t *testing.T) {
	ln, err := net.Listen("tcp", FreeAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = ln.Close()
}
