package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/settings"
)

// The demo (serve --demo, what `make run` runs):
//
//   - starts the simulator in process with the demo dataset on --sim-addr,
//     by default a free loopback port (the banner's "base url" line names
//     it);
//   - makes the simulator's host the one allowed plain-HTTP development host
//     and its URL the gateway URL, so both classic and scoped demo tokens
//     connect the way real ones do;
//   - connects tenant "demo" to the simulator with the classic demo account
//     through settings.Service.Connect, the same path connectConfluence
//     takes; a stored integration that still points at this simulator and
//     still passes Test is kept (so a connection made on the settings page
//     survives a restart with the same --sim-addr); one that names another
//     host:port (the simulator's port changes from run to run unless
//     --sim-addr is given) is replaced;
//   - creates a fresh reader key and admin key for tenant "demo" on every
//     run and revokes every older key of that tenant: the store keeps only
//     hashes, so old keys could not be printed again. The demo tenant is
//     for the demo only; do not issue it keys you mean to keep.
//
// Everything persistent (database, master key) lives under data/ by
// default, so a second run reuses it.

// startSimulator starts the demo simulator on SimAddr, by default a free
// loopback port.
func (m *Main) startSimulator() error {
	addr := m.SimAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	sim, err := confluencetest.Start(addr, confluencetest.WithDataset("demo"))
	if err != nil {
		return fmt.Errorf("serve: start simulator: %w", err)
	}
	m.sim = sim
	m.Logger.Info("simulator started", "url", sim.URL())
	return nil
}

// setUpDemo revokes the demo tenant's older keys, stores the run's reader
// and admin keys (newDemoKeys), and connects the tenant to the simulator
// unless a working connection to it is stored.
func (m *Main) setUpDemo(ctx context.Context) error {
	store, svc := m.app.Store(), m.app.Settings()
	old, err := store.ListAPIKeys(ctx, demoTenant)
	if err != nil {
		return fmt.Errorf("serve: demo keys: %w", err)
	}
	for _, k := range old {
		if !k.Revoked() {
			if err := store.RevokeAPIKey(ctx, demoTenant, k.ID); err != nil {
				return fmt.Errorf("serve: revoke old demo key: %w", err)
			}
		}
	}
	for _, rec := range m.demoKeys {
		if err := store.CreateAPIKey(ctx, rec); err != nil {
			return fmt.Errorf("serve: demo key: %w", err)
		}
	}
	adminID, _, _ := settings.ParseAPIKey(m.adminK)

	if m.demoConnected(ctx, svc, adminID) {
		m.Logger.Info("demo tenant already connected to the simulator", "tenant", demoTenant, "domain", m.sim.Host())
		return nil
	}
	acct := m.sim.Account("classic")
	res, err := svc.Connect(ctx, demoTenant, adminID, settings.ConnectInput{
		Domain: m.sim.Host(), Email: acct.Email, APIToken: acct.Token,
	})
	if err != nil {
		return fmt.Errorf("serve: connect demo tenant: %w", err)
	}
	if len(res.UserErrors) > 0 {
		msgs := make([]string, len(res.UserErrors))
		for i, ue := range res.UserErrors {
			msgs[i] = string(ue.Code) + ": " + ue.Message
		}
		return fmt.Errorf("serve: connect demo tenant: %s", strings.Join(msgs, "; "))
	}
	m.Logger.Info("demo tenant connected to the simulator", "tenant", demoTenant, "domain", m.sim.Host())
	return nil
}

// demoConnected reports whether the stored demo integration points at this
// simulator and still validates.
func (m *Main) demoConnected(ctx context.Context, svc *settings.Service, actor string) bool {
	cur, err := svc.Get(ctx, demoTenant)
	if err != nil || cur == nil || !strings.EqualFold(cur.Domain, m.sim.Host()) {
		return false
	}
	res, err := svc.Test(ctx, demoTenant, actor)
	return err == nil && len(res.UserErrors) == 0 && res.Integration != nil &&
		res.Integration.Status == settings.StatusConnected
}

// newDemoKeys makes the run's reader and admin keys; setUpDemo stores
// them. They exist before the service is built, so its configuration can
// name the reader key (for the playground page).
func (m *Main) newDemoKeys() error {
	m.demoKeys = nil
	for _, k := range []struct {
		role settings.Role
		full *string
	}{{settings.RoleReader, &m.readerK}, {settings.RoleAdmin, &m.adminK}} {
		rec, full, err := settings.NewAPIKey(demoTenant, k.role)
		if err != nil {
			return fmt.Errorf("serve: demo key: %w", err)
		}
		m.demoKeys = append(m.demoKeys, rec)
		*k.full = full
	}
	return nil
}

// writeBanner prints the lines scripts read: playground, reader key, admin
// key, then the simulator's base url, cloud id and account lines.
func (m *Main) writeBanner() error {
	var b strings.Builder
	fmt.Fprintf(&b, "playground: %s\n", m.URL())
	fmt.Fprintf(&b, "reader key: %s\n", m.readerK)
	fmt.Fprintf(&b, "admin key: %s\n", m.adminK)
	if _, err := fmt.Fprint(m.Stdout, b.String()); err != nil {
		return err
	}
	return m.sim.WriteBanner(m.Stdout)
}
