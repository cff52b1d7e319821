package app

import (
	"os"
	"runtime/debug"
	"testing"
)

// gcPercent returns the collector's current target.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestSetGCPercent(t *testing.T) {
	before := gcPercent()
	t.Cleanup(func() { debug.SetGCPercent(before) })

	if v, ok := os.LookupEnv("GOGC"); ok {
		t.Cleanup(func() { os.Setenv("GOGC", v) })
	}
	os.Unsetenv("GOGC")
	if !setGCPercent(DefaultGCPercent) || gcPercent() != DefaultGCPercent {
		t.Errorf("without GOGC: target %d; want %d (serve's default)", gcPercent(), DefaultGCPercent)
	}
	debug.SetGCPercent(100)
	if setGCPercent(0) || gcPercent() != 100 {
		t.Errorf("GCPercent 0: target %d; want the runtime's 100 left alone", gcPercent())
	}
	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	if setGCPercent(DefaultGCPercent) || gcPercent() != 150 {
		t.Errorf("with GOGC=150: target %d; want 150 (the operator's GOGC wins)", gcPercent())
	}
}
