package freeport_test

import (
	"net"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/internal/freeport"
)

func TestAddrRefusesConnections(t *testing.T) {
	addr := freeport.Addr(t)
	if host, _, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" {
		t.Fatalf("Addr() = %q (%v); want 127.0.0.1:PORT", addr, err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		_ = c.Close()
		t.Errorf("dial %s succeeded; want it refused", addr)
	}
}
