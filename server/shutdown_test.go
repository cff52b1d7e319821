package server_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

// gate holds upstream requests for /spaces until released, once armed.
type gate struct {
	armed   atomic.Bool
	entered chan struct{}
	release chan struct{}
}

func (g *gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.armed.Load() && strings.HasSuffix(r.URL.Path, "/spaces") {
			g.armed.Store(false)
			close(g.entered)
			<-g.release
		}
		next.ServeHTTP(w, r)
	})
}

func TestServeShutsDownGracefully(t *testing.T) {
	g := &gate{entered: make(chan struct{}), release: make(chan struct{})}
	s := newStack(t, stackOptions{front: g.wrap})
	s.connect("acme", "classic")
	key := s.key("acme", settings.RoleReader)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(ctx, ln) }()

	// Start a request that blocks in its upstream call.
	g.armed.Store(true)
	s.http.URL = "http://" + addr // send the request to the served listener
	answered := make(chan *gqlResponse, 1)
	go func() { answered <- s.post(key, spacesQuery, nil) }()
	<-g.entered

	// Shut down while it is in flight, and wait until new connections are refused.
	cancel()
	refused := false
	for range 500 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			refused = true
			break
		}
		_ = c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if !refused {
		t.Fatalf("listener still accepts connections after shutdown began")
	}

	close(g.release)
	got := <-answered
	if got.Status != http.StatusOK || len(spaceKeys(got)) == 0 {
		t.Errorf("in-flight request during shutdown = %d %s, want 200 with spaces", got.Status, got.Raw)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil after a graceful shutdown", err)
	}
}

func TestOperationTimeoutEndsAHangingUpstreamCall(t *testing.T) {
	g := &gate{entered: make(chan struct{}), release: make(chan struct{})}
	s := newStack(t, stackOptions{front: g.wrap, server: server.Config{OperationTimeout: 200 * time.Millisecond}})
	t.Cleanup(func() { close(g.release) }) // runs before the front server closes
	s.connect("acme", "classic")
	key := s.key("acme", settings.RoleReader)

	g.armed.Store(true) // the spaces call never answers while the request lives
	got := s.post(key, spacesQuery, nil)
	if got.code() != "UPSTREAM_TIMEOUT" {
		t.Errorf("code = %q, want UPSTREAM_TIMEOUT (body %s)", got.code(), got.Raw)
	}
	if got.Status != http.StatusOK {
		t.Errorf("status = %d, want 200 with the field's error", got.Status)
	}
}
