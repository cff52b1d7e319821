package bench

import (
	"testing"
	"time"
)

func TestCriticalPath(t *testing.T) {
	at := func(ms int) time.Time { return time.Unix(0, 0).Add(time.Duration(ms) * time.Millisecond) }
	sp := func(from, to int) span { return span{at(from), at(to)} }
	tests := []struct {
		name  string
		spans []span
		want  int
	}{
		{"no requests", nil, 0},
		{"one request", []span{sp(0, 50)}, 1},
		{"three in sequence", []span{sp(0, 50), sp(50, 100), sp(101, 150)}, 3},
		{"three at once", []span{sp(0, 50), sp(1, 51), sp(2, 52)}, 1},
		{"fan-out then one", []span{sp(0, 50), sp(51, 100), sp(51, 100), sp(52, 101), sp(102, 150)}, 3},
		{"overlap breaks the chain", []span{sp(0, 50), sp(40, 90), sp(95, 140)}, 2},
		{"unsorted input", []span{sp(102, 150), sp(0, 50), sp(51, 100)}, 3},
		{"a chain of three beside one long request", []span{sp(0, 10), sp(11, 20), sp(21, 30), sp(0, 35)}, 3},
		{"a request after both branches extends the longer", []span{sp(0, 10), sp(11, 20), sp(21, 30), sp(0, 35), sp(36, 40)}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := criticalPath(tt.spans); got != tt.want {
				t.Errorf("criticalPath() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		name   string
		sorted []int
		p      int
		want   int
	}{
		{"p50 of one", []int{7}, 50, 7},
		{"p95 of one", []int{7}, 95, 7},
		{"p50 of three", []int{1, 2, 3}, 50, 2},
		{"p95 of three is the max", []int{1, 2, 3}, 95, 3},
		{"p50 of four", []int{1, 2, 3, 4}, 50, 2},
		{"p95 of twenty", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 95, 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %d) = %d, want %d", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestMaxInFlight(t *testing.T) {
	at := func(ms int) time.Time { return time.Unix(0, 0).Add(time.Duration(ms) * time.Millisecond) }
	sp := func(from, to int) span { return span{at(from), at(to)} }
	for _, tt := range []struct {
		name  string
		spans []span
		want  int
	}{
		{"none", nil, 0},
		{"in sequence, touching", []span{sp(0, 50), sp(50, 100)}, 1},
		{"three at once", []span{sp(0, 50), sp(1, 51), sp(2, 52)}, 3},
		{"two waves", []span{sp(0, 50), sp(0, 50), sp(51, 100), sp(51, 100), sp(52, 60)}, 3},
	} {
		if got := maxInFlight(tt.spans); got != tt.want {
			t.Errorf("%s: maxInFlight() = %d, want %d", tt.name, got, tt.want)
		}
	}
}
