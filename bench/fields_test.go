package bench_test

import (
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/bench"
)

// TestFieldVariantsCostAtLeastTheBase runs every cut-down nested query through the API: each must
// answer without errors and cost at least the base query's calls, and the per-page lists must
// cost something (else the field table would show nothing).
func TestFieldVariantsCostAtLeastTheBase(t *testing.T) {
	ctx, h := newHarness(t)
	fs, err := h.MeasureFields(ctx, bench.ModeAPIUnlimited, 0, bench.Plan{MinRuns: 1, MaxRuns: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(fs), len(bench.NestedFieldVariants()); got != want {
		t.Fatalf("measured %d variants, want %d", got, want)
	}
	base := fs[0].Cell.Calls
	if base < 2 {
		t.Errorf("base query cost %d calls, want at least 2 (space, its pages)", base)
	}
	for _, f := range fs[1:] {
		if f.Cell.Calls < base {
			t.Errorf("%s cost %d calls, fewer than the base's %d", f.Field, f.Cell.Calls, base)
		}
		if strings.HasPrefix(f.Field, "versions") && f.Cell.Calls == base {
			t.Errorf("%s cost no calls beyond the base; versions have no bulk form", f.Field)
		}
	}
}
