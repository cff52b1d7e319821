package syncbuf_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
)

func TestBufferKeepsEveryConcurrentWrite(t *testing.T) {
	var b syncbuf.Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if n, err := b.Write([]byte("x\n")); n != 2 || err != nil {
					t.Errorf("Write = %d, %v; want 2, nil", n, err)
				}
			}
		})
	}
	wg.Wait()
	if got, want := strings.Count(b.String(), "x\n"), 800; got != want {
		t.Fatalf("lines written = %d, want %d", got, want)
	}
}
