package app

import (
	"os"
	"runtime/debug"
)

// setGCPercent sets the collector's target to pct (Config.GCPercent) unless
// pct is not positive or the GOGC environment variable is set: an
// operator's GOGC always wins over serve's default. It reports whether it
// set it.
func setGCPercent(pct int) bool {
	if pct <= 0 {
		return false
	}
	if _, ok := os.LookupEnv("GOGC"); ok {
		return false
	}
	debug.SetGCPercent(pct)
	return true
}
