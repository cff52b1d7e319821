package settings_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/awskms"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
	"github.com/confluence-graph/confluence-graph/envelope/localkmstest"
	"github.com/confluence-graph/confluence-graph/settings"
)

// localKeySealer is an envelope over a new local key file.
func localKeySealer(t *testing.T) *envelope.Envelope {
	t.Helper()
	ks, err := localkey.Open(filepath.Join(t.TempDir(), "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	return envelope.New(ks)
}

// kmsSealer is an envelope over key keyID of the local-kms server.
func kmsSealer(t *testing.T, kms *localkmstest.Server, keyID string) *envelope.Envelope {
	t.Helper()
	ks, err := awskms.Open(t.Context(), awskms.Config{KeyID: keyID, Endpoint: kms.Endpoint, Timeout: 5 * time.Second,
		MaxAttempts: 1, LoadOptions: localkmstest.LoadOptions()})
	if err != nil {
		t.Fatal(err)
	}
	return envelope.New(ks)
}

// rekey runs settings.Rekey on e's store, logging into e's log buffer.
func rekey(t *testing.T, e *env, from, to settings.Sealer) (settings.RekeyReport, error) {
	t.Helper()
	return settings.Rekey(t.Context(), settings.RekeyConfig{Store: e.store, From: from, To: to,
		Logger: slog.New(slog.NewTextHandler(e.logs, nil))})
}

var rekeyTenants = []string{"t1", "t2", "t3"}

// connectAll connects every rekeyTenants tenant through e.
func connectAll(t *testing.T, e *env) {
	t.Helper()
	for i, tenant := range rekeyTenants {
		e.mustConnect(t, tenant, []string{"classic", "scoped"}[i%2])
	}
}

// checkRekeyed checks that every tenant's token is under toKey, opens with
// to in a fresh Service (no cache), and that its audit trail holds one
// rekey event per rekey and agrees with the record.
func checkRekeyed(t *testing.T, e *env, to settings.Sealer, toKey string, rekeys int) {
	t.Helper()
	svc := mustService(t, settings.ServiceConfig{Store: e.store, Sealer: to, Client: devClient(e.sim.URL(), e.sim.Host())})
	for _, tenant := range rekeyTenants {
		rec, err := e.store.GetIntegration(t.Context(), tenant)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := envelope.KeyIDOf(rec.EncryptedToken); err != nil || got != toKey {
			t.Errorf("%s: token under %q, %v; want %q", tenant, got, err, toKey)
		}
		if _, err := svc.Client(t.Context(), tenant); err != nil {
			t.Errorf("%s: Client with the current key = %v", tenant, err)
		}
		checkTrail(t, e.store, tenant)
		events, _ := e.store.ListAudit(t.Context(), tenant, settings.AuditListOptions{})
		n := 0
		for _, ev := range events {
			if ev.Action == settings.ActionRekey {
				n++
				if ev.Outcome != settings.OutcomeSuccess || ev.Revision == 0 || ev.ActorKeyID != "" {
					t.Errorf("%s: rekey event %+v; want a success recording its change, by the operator", tenant, ev)
				}
			}
		}
		if n != rekeys {
			t.Errorf("%s: %d rekey events; want %d", tenant, n, rekeys)
		}
	}
}

// TestRekey moves every stored token from one master key to another, for
// each kind of move, on SQLite and PostgreSQL: the local key file to
// another, the local key file to AWS KMS, and one KMS key to another
// (local-kms with two keys). A second run re-encrypts nothing.
func TestRekey(t *testing.T) {
	kms := localkmstest.Start(t)
	moves := []struct {
		name     string
		from, to func(t *testing.T) *envelope.Envelope
	}{
		{"LocalFileToLocalFile", localKeySealer, localKeySealer},
		{"LocalFileToKMS", localKeySealer, func(t *testing.T) *envelope.Envelope { return kmsSealer(t, kms, localkmstest.Alias) }},
		{"KMSKeyToKMSKey",
			func(t *testing.T) *envelope.Envelope { return kmsSealer(t, kms, localkmstest.KeyID) },
			func(t *testing.T) *envelope.Envelope { return kmsSealer(t, kms, localkmstest.OtherKeyID) }},
	}
	for _, kind := range storeKinds() {
		for _, mv := range moves {
			t.Run(kind.name+"/"+mv.name, func(t *testing.T) {
				from, to := mv.from(t), mv.to(t)
				e := newEnv(t, kind, func(c *settings.ServiceConfig) { c.Sealer = from })
				connectAll(t, e)
				rep, err := rekey(t, e, from, to)
				if err != nil || rep.Rekeyed != len(rekeyTenants) || rep.Skipped != 0 || len(rep.Failed) != 0 {
					t.Fatalf("Rekey = %+v, %v; want all %d re-encrypted", rep, err, len(rekeyTenants))
				}
				checkRekeyed(t, e, to, rep.ToKeyID, 1)

				again, err := rekey(t, e, from, to)
				if err != nil || again.Rekeyed != 0 || again.Skipped != len(rekeyTenants) {
					t.Errorf("second Rekey = %+v, %v; want every token skipped", again, err)
				}
				checkRekeyed(t, e, to, rep.ToKeyID, 1)
			})
		}
	}
}

// failingSealer fails every call after the first n with a key service
// outage, and runs during(tenant) before decrypting a tenant's token.
type failingSealer struct {
	settings.Sealer
	calls  atomic.Int64
	n      int64
	during func(tenant string)
}

func (s *failingSealer) Encrypt(ctx context.Context, p []byte, c envelope.Context) ([]byte, error) {
	if s.n > 0 && s.calls.Add(1) > s.n {
		return nil, fmt.Errorf("fake: %w", envelope.ErrKeyServiceUnavailable)
	}
	return s.Sealer.Encrypt(ctx, p, c)
}

func (s *failingSealer) Decrypt(ctx context.Context, blob []byte, c envelope.Context) ([]byte, error) {
	if s.during != nil {
		s.during(c.TenantID)
	}
	return s.Sealer.Decrypt(ctx, blob, c)
}

// TestRekeyResumes: a run that stops midway (the key service fails after
// the first token) loses nothing, and the next run finishes the others. A
// token that does not open with the previous key is reported and left as
// it was.
func TestRekeyResumes(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		to := localKeySealer(t)
		connectAll(t, e)
		// A tenant sealed under a third key, which From cannot open.
		other := mustService(t, settings.ServiceConfig{Store: e.store, Sealer: localKeySealer(t), Client: devClient(e.sim.URL(), e.sim.Host())})
		a := e.sim.Account("classic")
		if res, err := other.Connect(t.Context(), "z-foreign", "k", settings.ConnectInput{Domain: e.sim.Host(), Email: a.Email, APIToken: a.Token}); err != nil || !res.OK() {
			t.Fatalf("Connect(z-foreign) = %v, %v", res.UserErrors, err)
		}
		foreign, _ := e.store.GetIntegration(t.Context(), "z-foreign")

		flaky := &failingSealer{Sealer: to, n: 2} // the key probe and one token
		rep, err := rekey(t, e, e.sealer, flaky)
		if !errors.Is(err, envelope.ErrKeyServiceUnavailable) || rep.Rekeyed != 1 {
			t.Fatalf("Rekey with the key service failing midway = %+v, %v; want 1 done and ErrKeyServiceUnavailable", rep, err)
		}
		rep, err = rekey(t, e, e.sealer, to)
		if err == nil || rep.Rekeyed != 2 || rep.Skipped != 1 || !slices.Equal(rep.Failed, []string{"z-foreign"}) {
			t.Fatalf("resumed Rekey = %+v, %v; want 2 done, 1 skipped, z-foreign failed (and an error)", rep, err)
		}
		checkRekeyed(t, e, to, rep.ToKeyID, 1)
		if got, _ := e.store.GetIntegration(t.Context(), "z-foreign"); got == nil || got.Revision != foreign.Revision {
			t.Errorf("z-foreign after a failed rekey = %v; want it unchanged at revision %d", got, foreign.Revision)
		}
	})
}

// TestRekeyDoesNotOverwriteConcurrentChanges: a record that changes while
// its token is re-encrypted (a probe's status on one tenant, a reconnect
// under the current key on another, a disconnect on a third) is read again:
// the status is kept and re-encrypted, the reconnected token is skipped,
// the disconnected tenant stays disconnected.
func TestRekeyDoesNotOverwriteConcurrentChanges(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		to := localKeySealer(t)
		connectAll(t, e)
		current := mustService(t, settings.ServiceConfig{Store: e.store, Sealer: to, Client: devClient(e.sim.URL(), e.sim.Host())})
		scoped := e.sim.Account("scoped")
		done := map[string]bool{}
		from := &failingSealer{Sealer: e.sealer, during: func(tenant string) {
			if done[tenant] {
				return
			}
			done[tenant] = true
			switch tenant {
			case "t1":
				rec, _ := e.store.GetIntegration(t.Context(), tenant)
				rec.Status, rec.LastError = settings.StatusUnreachable, "probe outcome"
				ev := &settings.AuditEvent{TenantID: tenant, Action: settings.ActionTest, Outcome: settings.OutcomeFailure}
				if err := e.store.PutIntegration(t.Context(), rec, ev); err != nil {
					t.Errorf("status update meanwhile = %v", err)
				}
			case "t2":
				res, err := current.Connect(t.Context(), tenant, "k", settings.ConnectInput{Domain: e.sim.Host(), Email: scoped.Email, APIToken: scoped.Token})
				if err != nil || !res.OK() {
					t.Errorf("reconnect meanwhile = %v, %v", res.UserErrors, err)
				}
			case "t3":
				if _, err := current.Disconnect(t.Context(), tenant, "k"); err != nil {
					t.Errorf("disconnect meanwhile = %v", err)
				}
			}
		}}
		rep, err := rekey(t, e, from, to)
		if err != nil || rep.Rekeyed != 1 || rep.Skipped != 1 {
			t.Fatalf("Rekey = %+v, %v; want t1 re-encrypted, t2 skipped (reconnected under the current key), t3 gone", rep, err)
		}
		t1, _ := e.store.GetIntegration(t.Context(), "t1")
		if t1 == nil || t1.Status != settings.StatusUnreachable || t1.LastError != "probe outcome" {
			t.Errorf("t1 after Rekey = %v; want the status written meanwhile kept", t1)
		}
		if k, _ := envelope.KeyIDOf(t1.EncryptedToken); k != rep.ToKeyID {
			t.Errorf("t1 token under %q; want %q", k, rep.ToKeyID)
		}
		if t2, _ := e.store.GetIntegration(t.Context(), "t2"); t2 == nil || t2.Email != scoped.Email {
			t.Errorf("t2 after Rekey = %v; want the reconnected account %s", t2, scoped.Email)
		}
		if _, err := e.store.GetIntegration(t.Context(), "t3"); !errors.Is(err, settings.ErrNotFound) {
			t.Errorf("t3 after Rekey = %v; want it to stay disconnected", err)
		}
		for _, tenant := range rekeyTenants {
			checkTrail(t, e.store, tenant)
		}
	})
}
