package attachtext_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/confluence-graph/confluence-graph/attachtext"
)

func ExampleExtract() {
	csv := "step,ms\nconnect,12\nfailover,41000\n"
	t, err := attachtext.Extract(context.Background(), strings.NewReader(csv), "text/csv", "timings.csv",
		attachtext.Options{Offset: 8, MaxChars: 10})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q truncated=%v total=%d\n", t.Text, t.Truncated, t.TotalChars)
	// Output:
	// "connect,12" truncated=true total=34
}
