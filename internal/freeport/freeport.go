// Package freeport gives tests a loopback address nothing listens on.
package freeport

import (
	"net"
	"testing"
)

// Addr returns "127.0.0.1:PORT" for a port that was free a moment ago (it
// was listened on and closed), so a connection to it is refused unless
// another process took the port meanwhile. It fails tb when no port can be
// had.
func Addr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}
