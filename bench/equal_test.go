package bench_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/confluence-graph/confluence-graph/bench"
)

// TestModesAgree checks that the baselines are honest: the API and the naive client, one call
// at a time and concurrently, return the same answer (bodies aside: Markdown through the API,
// storage format through the naive client).
func TestModesAgree(t *testing.T) {
	ctx, h := newHarness(t)

	ignoreBodies := cmp.Options{
		cmpopts.EquateEmpty(),
		cmpopts.IgnoreFields(bench.NestedComment{}, "Body"),
		cmpopts.IgnoreFields(bench.SearchHit{}, "BodyChars"),
	}
	for _, q := range bench.Queries() {
		t.Run(q.Name, func(t *testing.T) {
			want, err := h.Run(ctx, q, bench.ModeNaiveSequential)
			if err != nil {
				t.Fatal(err)
			}
			if isEmpty(want) {
				t.Fatalf("the naive answer to %s is empty; the test would prove nothing", q.Name)
			}
			// ModeAPI differs from ModeAPIUnlimited only in the client's rate limit, which changes
			// timing, not data; leaving it out keeps the test fast.
			for _, m := range []bench.Mode{bench.ModeNaiveConcurrent, bench.ModeAPIUnlimited} {
				got, err := h.Run(ctx, q, m)
				if err != nil {
					t.Fatalf("%s: %v", m, err)
				}
				if diff := cmp.Diff(want, got, ignoreBodies); diff != "" {
					t.Errorf("%s answer differs from naive-seq (-naive +%s):\n%s", m, m, diff)
				}
			}
		})
	}
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case bench.Nested:
		return len(v.Pages) == 0
	case []bench.SearchHit:
		return len(v) == 0
	case bench.Tree:
		return len(v.Children) == 0
	case []bench.TreeEntry:
		return len(v) == 0
	case bench.Diff:
		return v.To == 0
	case []bench.Entity:
		return len(v) == 0
	}
	return true
}
