package app_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
)

func TestNewStartClose(t *testing.T) {
	sim := testsupport.StartSim(t)
	a := testsupport.StartService(t, testsupport.Config(t, sim.Host(), nil))
	if !strings.HasPrefix(a.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL = %q, want a loopback URL", a.URL())
	}
	resp, err := http.Get(a.URL() + "readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", resp.StatusCode)
	}
	if err := a.Start(); err == nil {
		t.Errorf("second Start = nil, want an error")
	}
	if err := a.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	select {
	case <-a.Done():
	default:
		t.Errorf("Done not closed after Close")
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
}

func TestNewRefusesABadRedisURLWithoutEchoingIt(t *testing.T) {
	cfg := testsupport.Config(t, "127.0.0.1:1", nil)
	cfg.RedisURL = "http://:s3cret@cache:6379"
	_, err := app.New(t.Context(), cfg)
	if !errors.Is(err, app.ErrRedisURL) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("New = %v, want ErrRedisURL without the password", err)
	}
}

func TestPlaintextDatabase(t *testing.T) {
	for dsn, plain := range map[string]bool{
		"data/confluence-graph.db":                                          false,
		"postgres://cg@127.0.0.1:5432/cg?sslmode=disable":                   false, // this machine
		"postgres://cg@localhost/cg":                                        false,
		"postgres://cg@/cg?host=/var/run/postgresql":                        false, // Unix socket
		"postgres://cg@db.internal:5432/cg?sslmode=verify-full":             false,
		"postgresql://cg@db.internal/cg?sslmode=require":                    false,
		"postgres://cg@db.internal:5432/cg":                                 true,
		"postgres://cg:secret@db.internal:5432/cg?sslmode=disable":          true,
		"postgresql://cg@10.0.0.5/cg?sslmode=prefer&application_name=graph": true,
	} {
		if got := app.PlaintextDatabase(dsn) != ""; got != plain {
			t.Errorf("PlaintextDatabase(%q) warns = %t, want %t", dsn, got, plain)
		}
	}
}
