// Package flighttest is a stand-in for an InfluxDB 3 server at the protocol
// level, for tests of code that talks to InfluxDB 3 through influxdb3-go.
// The store's tests run against a real InfluxDB 3 Core; this stand-in is
// kept for what a real server cannot be made to do at a chosen moment: cut
// a query's answer in the middle of its stream (CutStreams).
//
// One listener serves both protocols, because influxdb3-go derives the Flight
// address from the HTTP host (same host and port):
//
//   - HTTP/1.1: GET /ping (answers X-Influxdb-Version: 3.x), POST
//     /api/v2/write and /api/v3/write_lp (line protocol, gzip when
//     Content-Encoding says so), POST /api/v3/configure/database.
//   - HTTP/2 without TLS (gRPC): Arrow Flight DoGet with the ticket JSON
//     {"database","sql_query","query_type":"sql","params":{...}}.
//
// Every request needs the token: "Authorization: Token <t>" or "Bearer <t>"
// over HTTP, gRPC metadata "authorization: Bearer <t>" over Flight.
//
// Written points land in an in-memory SQLite database per InfluxDB database,
// one table per measurement, with a column per tag and field (created on
// demand) plus "time". A point with the same tag set and time as an earlier
// one replaces the fields it carries, as InfluxDB does.
//
// Queries run on SQLite, so only the SQL that both SQLite and InfluxDB 3
// (DataFusion) understand the same way works here:
//
//   - SELECT * or a column list FROM one "quoted" or bare measurement;
//   - WHERE with =, <>, <, <=, >, >=, AND, OR, NOT, IN (...), IS NULL and
//     parentheses; ORDER BY and LIMIT;
//   - $name placeholders, bound from the ticket's params (SQLite understands
//     $name natively; nothing is formatted into the text);
//   - "time" compared with a string parameter or literal in RFC 3339 form:
//     time is stored as fixed-width UTC text (2006-01-02T15:04:05.000000000Z)
//     and every string parameter that parses as RFC 3339 is rewritten to that
//     form before binding, so the comparison orders like timestamps do.
//
// Functions (now(), date_bin, selector_*), INTERVAL arithmetic, casts to
// TIMESTAMP and InfluxQL are not supported; such queries fail with an error
// rather than give a different answer than InfluxDB 3 would.
//
// Results are Arrow record batches of at most BatchRows rows with InfluxDB 3's
// column types and iox::column::type metadata: tags and string fields are
// Utf8, integer fields Int64, unsigned Uint64, floats Float64, booleans
// Boolean, time Timestamp(ns).
package flighttest

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"google.golang.org/grpc"
)

// Version is the server version /ping reports.
const Version = "3.2.1"

// BatchRows is the most rows one Arrow record batch of a query result holds;
// larger results come as several batches, as they do from InfluxDB 3.
const BatchRows = 1000

// Write is one write request as received, body decompressed.
type Write struct {
	Path      string // /api/v2/write or /api/v3/write_lp
	Database  string
	Precision string
	Gzip      bool
	Body      string
}

// Ticket is one Flight query as received.
type Ticket struct {
	Database  string         `json:"database"`
	SQL       string         `json:"sql_query"`
	QueryType string         `json:"query_type"`
	Params    map[string]any `json:"params"`
}

// Database is a database created through /api/v3/configure/database.
type Database struct {
	Name            string
	RetentionPeriod string
}

// Server is a running stand-in. Its methods are safe for concurrent use.
type Server struct {
	ln       net.Listener
	httpSrv  *http.Server
	grpcSrv  *grpc.Server
	mux      *http.ServeMux
	closeOne sync.Once

	mu         sync.Mutex
	token      string
	cutAfter   int // > 0: query streams fail after this many record batches
	dbs        map[string]*database
	configured []Database
	writes     []Write
	tickets    []Ticket
}

// Option changes how Start sets the server up.
type Option func(*config)

type config struct{ addr string }

// WithAddr makes the server listen on addr ("127.0.0.1:port") instead of a
// free port, so that a test can start a server where a client already points.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// Start runs a server until the test ends (or Close). token is what every
// request must carry.
func Start(t testing.TB, token string, opts ...Option) *Server {
	t.Helper()
	cfg := config{addr: "127.0.0.1:0"}
	for _, o := range opts {
		o(&cfg)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		t.Fatalf("flighttest: listen on %s: %v", cfg.addr, err)
	}
	s := &Server{
		ln:    ln,
		token: token,
		dbs:   map[string]*database{},
	}
	s.grpcSrv = grpc.NewServer()
	flight.RegisterFlightServiceServer(s.grpcSrv, &flightService{srv: s})

	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /ping", s.handlePing)
	s.mux.HandleFunc("HEAD /ping", s.handlePing)
	s.mux.HandleFunc("POST /api/v2/write", s.handleWrite)
	s.mux.HandleFunc("POST /api/v3/write_lp", s.handleWrite)
	s.mux.HandleFunc("POST /api/v3/configure/database", s.handleConfigureDatabase)

	// Plain HTTP/1.1 for the write API and HTTP/2 with prior knowledge for
	// gRPC, on the same port, like InfluxDB 3 itself.
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	s.httpSrv = &http.Server{
		Handler:           s,
		Protocols:         &protocols,
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = s.httpSrv.Serve(ln) }()
	t.Cleanup(s.Close)
	return s
}

// URL is the base URL to give influxdb3-go as Host.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server; later requests fail to connect. Safe to call twice.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.httpSrv.Shutdown(ctx)
		_ = s.httpSrv.Close()
		s.grpcSrv.Stop()
		s.mu.Lock()
		for _, db := range s.dbs {
			_ = db.sql.Close()
		}
		s.mu.Unlock()
	})
}

// SetToken replaces the token requests must carry, as when a token is
// revoked while clients still hold it.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// CutStreams makes every later query answer fail after batches record
// batches with gRPC's Unavailable, as a stream does when the server goes
// away in the middle of an answer; 0 ends that. A real InfluxDB 3 cannot be
// made to fail at that moment, which is what this stand-in is kept for.
func (s *Server) CutStreams(batches int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutAfter = batches
}

func (s *Server) streamCut() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cutAfter
}

// Writes returns every write request received so far, in order.
func (s *Server) Writes() []Write {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Write(nil), s.writes...)
}

// Tickets returns every Flight query received so far, in order.
func (s *Server) Tickets() []Ticket {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ticket(nil), s.tickets...)
}

// Databases returns the databases created through the configure API.
func (s *Server) Databases() []Database {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Database(nil), s.configured...)
}

// ServeHTTP sends gRPC to the Flight service and everything else to the
// HTTP API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
		s.grpcSrv.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) currentToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

func (s *Server) authorized(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || (scheme != "Token" && scheme != "Bearer") {
		return false
	}
	return tok == s.currentToken()
}

func writeJSONError(w http.ResponseWriter, status int, msg string, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]any{"error": msg}
	if data != nil {
		body["data"] = data
	}
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) handlePing(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeJSONError(w, http.StatusUnauthorized, "unauthorized access", nil)
		return
	}
	w.Header().Set("X-Influxdb-Version", Version)
	w.Header().Set("X-Influxdb-Build", "Core")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"version": Version, "revision": "flighttest"})
}

func (s *Server) handleConfigureDatabase(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeJSONError(w, http.StatusUnauthorized, "unauthorized access", nil)
		return
	}
	var req struct {
		DB              string `json:"db"`
		RetentionPeriod string `json:"retention_period"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || req.DB == "" {
		writeJSONError(w, http.StatusBadRequest, "invalid request body: db is required", nil)
		return
	}
	if req.RetentionPeriod != "" {
		if _, err := parseRetention(req.RetentionPeriod); err != nil {
			writeJSONError(w, http.StatusBadRequest, err.Error(), nil)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.dbs[req.DB]; ok {
		writeJSONError(w, http.StatusConflict, "attempted to create a resource that already exists", nil)
		return
	}
	db, err := openDatabase()
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, err.Error(), nil)
		return
	}
	s.dbs[req.DB] = db
	s.configured = append(s.configured, Database{Name: req.DB, RetentionPeriod: req.RetentionPeriod})
	w.WriteHeader(http.StatusOK)
}

// parseRetention accepts the durations InfluxDB 3 takes for a retention
// period: a number and one of h, d, w.
func parseRetention(s string) (time.Duration, error) {
	bad := fmt.Errorf("invalid retention period %q", s)
	if len(s) < 2 {
		return 0, bad
	}
	var n int
	if _, err := fmt.Sscanf(s[:len(s)-1], "%d", &n); err != nil || n <= 0 {
		return 0, bad
	}
	switch s[len(s)-1] {
	case 'h':
		return time.Duration(n) * time.Hour, nil
	case 'd':
		return time.Duration(n) * 24 * time.Hour, nil
	case 'w':
		return time.Duration(n) * 7 * 24 * time.Hour, nil
	}
	return 0, bad
}

func (s *Server) handleWrite(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeJSONError(w, http.StatusUnauthorized, "unauthorized access", nil)
		return
	}
	q := r.URL.Query()
	dbName, precision := q.Get("bucket"), q.Get("precision")
	if r.URL.Path == "/api/v3/write_lp" {
		dbName = q.Get("db")
	}
	if dbName == "" {
		writeJSONError(w, http.StatusBadRequest, "missing database name", nil)
		return
	}
	prec, err := parsePrecision(precision)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	var body io.Reader = io.LimitReader(r.Body, 64<<20)
	gz := strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip")
	if gz {
		zr, err := gzip.NewReader(body)
		if err != nil {
			writeJSONError(w, http.StatusBadRequest, "invalid gzip body: "+err.Error(), nil)
			return
		}
		defer zr.Close()
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "reading body: "+err.Error(), nil)
		return
	}

	s.mu.Lock()
	s.writes = append(s.writes, Write{Path: r.URL.Path, Database: dbName, Precision: precision, Gzip: gz, Body: string(raw)})
	db, ok := s.dbs[dbName]
	if !ok {
		// InfluxDB 3 creates a database on its first write.
		db, err = openDatabase()
		if err == nil {
			s.dbs[dbName] = db
		}
	}
	s.mu.Unlock()
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, err.Error(), nil)
		return
	}

	lineErrs, err := db.ingest(raw, prec, time.Now())
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, err.Error(), nil)
		return
	}
	if len(lineErrs) > 0 {
		writeJSONError(w, http.StatusBadRequest, "partial write of line protocol occurred", lineErrs)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) database(name string) (*database, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, ok := s.dbs[name]
	return db, ok
}

func (s *Server) recordTicket(t Ticket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tickets = append(s.tickets, t)
}
