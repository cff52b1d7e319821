package confluence

import (
	"net/http"
	"testing"
	"time"
)

// aimdStart is the fake clock's origin in TestAIMD.
var aimdStart = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// TestAIMD: the rate starts at the ceiling, halves on a cut, ignores a
// second cut within CutInterval, grows back by step per second up to the
// ceiling, and never falls below the floor; all on a fake clock.
func TestAIMD(t *testing.T) {
	t.Parallel()
	at := func(d time.Duration) time.Time { return aimdStart.Add(d) }
	a := newAIMD(50, 1, 1)
	steps := []struct {
		name    string
		do      func() (float64, bool)
		want    float64
		wantCut bool
	}{
		{"starts at the ceiling", func() (float64, bool) { return a.Rate(at(0)), false }, 50, false},
		{"a 429 halves it", func() (float64, bool) { return a.Cut(at(0), ThrottleFactor) }, 25, true},
		{"a second signal within CutInterval does nothing", func() (float64, bool) { return a.Cut(at(500*time.Millisecond), ThrottleFactor) }, 25.5, false},
		{"it grows by one per second", func() (float64, bool) { return a.Rate(at(10 * time.Second)), false }, 35, false},
		{"near limit takes a fifth off", func() (float64, bool) { return a.Cut(at(10*time.Second), NearLimitFactor) }, 28, true},
		{"it stops at the ceiling", func() (float64, bool) { return a.Rate(at(time.Hour)), false }, 50, false},
	}
	for _, s := range steps {
		got, cut := s.do()
		if got != s.want || cut != s.wantCut {
			t.Errorf("%s: rate %v, cut %v; want %v, %v", s.name, got, cut, s.want, s.wantCut)
		}
	}
	b := newAIMD(50, 5, 1)
	for i := range 20 {
		b.Cut(at(time.Duration(i)*CutInterval), ThrottleFactor)
	}
	if got := b.Rate(at(19 * CutInterval)); got != 5 {
		t.Errorf("after 20 cuts: rate %v, want the floor 5", got)
	}
}

// headerCases are answers and the slow-down factor and pause each asks
// for, at headerNow.
var (
	headerNow   = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	headerCases = map[string]struct {
		status    int
		header    http.Header
		wantF     float64
		wantPause time.Duration
		wantOK    bool
	}{
		"plain 200":                  {200, nil, 0, 0, false},
		"near limit":                 {200, http.Header{"X-Ratelimit-Nearlimit": {"true"}}, NearLimitFactor, 0, false},
		"beta near limit":            {200, http.Header{"X-Beta-Ratelimit-Nearlimit": {"TRUE"}}, NearLimitFactor, 0, false},
		"reason without 429":         {200, http.Header{"Ratelimit-Reason": {"confluence-quota-tenant-based"}}, NearLimitFactor, 0, false},
		"429 with Retry-After":       {429, http.Header{"Retry-After": {"7"}}, ThrottleFactor, 7 * time.Second, true},
		"429 with a reset time":      {429, http.Header{"X-Ratelimit-Reset": {"2026-12-01T15:00:30Z"}}, ThrottleFactor, 30 * time.Second, true},
		"429 with a minute reset":    {429, http.Header{"X-Ratelimit-Reset": {"2026-12-01T15:02Z"}}, ThrottleFactor, 2 * time.Minute, true},
		"429 naming a day is capped": {429, http.Header{"Retry-After": {"86400"}}, ThrottleFactor, maxPause, true},
		"429 naming no time":         {429, nil, ThrottleFactor, 0, false},
	}
)

func TestSlowdownAndPauseHeaders(t *testing.T) {
	t.Parallel()
	for name, c := range headerCases {
		if got := slowdown(c.status, c.header); got != c.wantF {
			t.Errorf("%s: slowdown = %v, want %v", name, got, c.wantF)
		}
		if c.status != 429 {
			continue
		}
		if d, ok := pauseFor(c.header, headerNow); d != c.wantPause || ok != c.wantOK {
			t.Errorf("%s: pauseFor = %v, %v; want %v, %v", name, d, ok, c.wantPause, c.wantOK)
		}
	}
}
