package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/sports-data/sports-data/internal/config"
)

// healthcheck asks the local service for /health (on BIND_ADDRESS when it
// names one address): the container image has no curl.
func healthcheck(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("healthcheck: %v", err)
	}
	port := strconv.Itoa(cfg.Port)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	host := "127.0.0.1"
	if a, err := netip.ParseAddr(cfg.BindAddress); err == nil && !a.IsUnspecified() {
		host = a.String()
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /health answered %d", resp.StatusCode)
	}
	fmt.Fprintln(stdout, strings.TrimSpace(string(body)))
	return nil
}
