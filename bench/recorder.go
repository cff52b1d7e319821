package bench

import (
	"net/http"
	"slices"
	"sync"
	"time"
)

// Recorder is an http.RoundTripper that notes when each upstream request started and when its
// response headers arrived. It is safe for concurrent use.
type Recorder struct {
	Next http.RoundTripper // nil means http.DefaultTransport

	mu    sync.Mutex
	spans []span
}

type span struct{ start, end time.Time }

// RoundTrip sends req through Next and records its span.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	start := time.Now()
	resp, err := next.RoundTrip(req)
	end := time.Now()
	r.mu.Lock()
	r.spans = append(r.spans, span{start, end})
	r.mu.Unlock()
	return resp, err
}

// Reset forgets the recorded spans.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.spans = r.spans[:0]
	r.mu.Unlock()
}

// Requests is the number of requests recorded since the last Reset.
func (r *Recorder) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.spans)
}

// CriticalPath is the length of the longest chain of recorded requests in which each request
// started after the previous one's response arrived: the round trips that could not overlap.
// With injected latency it counts the round trips the wall time is made of (dependent fetches,
// and also queueing behind a concurrency or rate limit); without latency it is noise.
func (r *Recorder) CriticalPath() int {
	r.mu.Lock()
	spans := slices.Clone(r.spans)
	r.mu.Unlock()
	return criticalPath(spans)
}

// criticalPath computes the longest chain of non-overlapping spans in O(n log n): visiting spans
// by start, every span that ended by then can precede the current one.
func criticalPath(spans []span) int {
	byStart := slices.Clone(spans)
	slices.SortFunc(byStart, func(a, b span) int { return a.start.Compare(b.start) })
	type done struct {
		end   time.Time
		chain int
	}
	var ended []done // visited spans still in flight at the current start
	best, bestBefore := 0, 0
	for _, s := range byStart {
		// Move every visited span that ended by s.start into bestBefore.
		kept := ended[:0]
		for _, d := range ended {
			if !d.end.After(s.start) {
				bestBefore = max(bestBefore, d.chain)
			} else {
				kept = append(kept, d)
			}
		}
		ended = kept
		c := bestBefore + 1
		ended = append(ended, done{s.end, c})
		best = max(best, c)
	}
	return best
}

// MaxInFlight is the largest number of recorded requests that were in flight at one instant
// (a request ending exactly when another starts does not overlap it).
func (r *Recorder) MaxInFlight() int {
	r.mu.Lock()
	spans := slices.Clone(r.spans)
	r.mu.Unlock()
	return maxInFlight(spans)
}

func maxInFlight(spans []span) int {
	type edge struct {
		at    time.Time
		delta int
	}
	edges := make([]edge, 0, 2*len(spans))
	for _, s := range spans {
		edges = append(edges, edge{s.start, 1}, edge{s.end, -1})
	}
	// By time, ends before starts at the same instant.
	slices.SortFunc(edges, func(a, b edge) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.delta - b.delta
	})
	n, most := 0, 0
	for _, e := range edges {
		n += e.delta
		most = max(most, n)
	}
	return most
}
