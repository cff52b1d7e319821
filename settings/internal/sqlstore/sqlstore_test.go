package sqlstore

import (
	"testing"
	"time"
)

func TestPlaceholders(t *testing.T) {
	const query = `UPDATE t SET a = ? WHERE b = ? AND c = ?`
	if got := (&Store{}).q(query); got != query {
		t.Errorf("q with ? placeholders = %q; want it unchanged", got)
	}
	want := `UPDATE t SET a = $1 WHERE b = $2 AND c = $3`
	if got := (&Store{d: Dialect{Numbered: true}}).q(query); got != want {
		t.Errorf("q with numbered placeholders = %q; want %q", got, want)
	}
}

func TestNullTimeScan(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)
	for _, tc := range []struct {
		src  any
		want time.Time
	}{
		{nil, time.Time{}},
		{at.UnixMicro(), at},
		{at.In(time.FixedZone("x", 3600)), at},
	} {
		var n nullTime
		if err := n.Scan(tc.src); err != nil || !n.t.Equal(tc.want) || n.t.Location() != time.UTC && !n.t.IsZero() {
			t.Errorf("Scan(%v) = %v, %v; want %v in UTC", tc.src, n.t, err, tc.want)
		}
	}
	var n nullTime
	if err := n.Scan("2026-03-04"); err == nil {
		t.Error("Scan(string) = nil; want an error")
	}
}
