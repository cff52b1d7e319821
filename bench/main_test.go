package bench_test

import (
	"os"
	"testing"

	"github.com/confluence-graph/confluence-graph/bench"
)

func TestMain(m *testing.M) {
	bench.RunChildSimIfRequested() // the benchmarks' simulator child is this test binary
	code := m.Run()
	closeBenchHarness()
	os.Exit(code)
}
