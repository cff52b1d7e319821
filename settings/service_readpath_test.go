package settings_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/settings"
)

// switchSealer is a Sealer whose key service can be taken down: while
// down, every call fails as a KMS outage does.
type switchSealer struct {
	settings.Sealer
	down atomic.Bool
}

func (s *switchSealer) Decrypt(ctx context.Context, blob []byte, c envelope.Context) ([]byte, error) {
	if s.down.Load() {
		return nil, fmt.Errorf("fake kms: %w", envelope.ErrKeyServiceUnavailable)
	}
	return s.Sealer.Decrypt(ctx, blob, c)
}

// TestReadPathKeyServiceDown: a reader's query while the key service is
// down (the token not cached in this process) gets ENCRYPTION_UNAVAILABLE,
// retryable, not INTERNAL.
func TestReadPathKeyServiceDown(t *testing.T) {
	var sealer *switchSealer
	e := newEnv(t, storeKinds()[0], func(c *settings.ServiceConfig) {
		sealer = &switchSealer{Sealer: c.Sealer}
		c.Sealer = sealer
	})
	e.mustConnect(t, "acme", "classic")
	sealer.down.Store(true)
	// Another replica: nothing cached.
	e.svc = mustService(t, settings.ServiceConfig{Store: e.store, Sealer: sealer, Client: devClient(e.sim.URL(), e.sim.Host())})

	_, err := e.svc.Client(t.Context(), "acme")
	if !errors.Is(err, settings.ErrEncryptionUnavailable) || !errors.Is(err, envelope.ErrKeyServiceUnavailable) {
		t.Errorf("Client with the key service down = %v; want ErrEncryptionUnavailable wrapping ErrKeyServiceUnavailable", err)
	}
	g := newGQL(t, e)
	reader := graph.Caller{TenantID: "acme", KeyID: "k-reader", Role: graph.RoleReader}
	errs := g.as(reader, `{ spaces(first: 1) { nodes { key } } }`, nil)
	if len(errs) != 1 || codeOf(errs) != graph.CodeEncryptionUnavailable {
		t.Fatalf("query errors = %+v; want one ENCRYPTION_UNAVAILABLE", errs)
	}
	ext := errs[0].Extensions
	if ext["retryable"] != true || ext["retryAfterSeconds"] == nil || strings.Contains(errs[0].Message, "acme") ||
		!strings.Contains(errs[0].Message, "temporarily") {
		t.Errorf("error = %q %v; want a temporary, retryable error without the tenant", errs[0].Message, ext)
	}

	sealer.down.Store(false)
	if errs := g.as(reader, `{ spaces(first: 1) { nodes { key } } }`, nil); len(errs) != 0 {
		t.Errorf("query after the key service is back = %+v; want no error", errs)
	}
}
