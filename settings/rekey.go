package settings

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// ActionRekey is recorded, with the change, for each stored token that
// Rekey re-encrypted under the current master key.
const ActionRekey = "integration.rekey"

// rekeyPage is how many records Rekey reads at a time.
const rekeyPage = 100

// rekeyAttempts bounds how often Rekey re-reads a record that changed
// while it was being re-encrypted.
const rekeyAttempts = 5

// RekeyConfig configures Rekey.
type RekeyConfig struct {
	// Store holds the integrations. Required.
	Store Store
	// From opens tokens sealed under the previous master key. Required.
	From Sealer
	// To seals under the current master key: the key the service runs
	// with after the change. Required.
	To Sealer
	// Logger gets one line per re-encrypted or failed record. Nil means
	// slog.Default().
	Logger *slog.Logger
}

// RekeyReport counts what Rekey did.
type RekeyReport struct {
	// ToKeyID is the id the current key seals under.
	ToKeyID string
	// Rekeyed counts tokens re-encrypted under ToKeyID.
	Rekeyed int
	// Skipped counts tokens already under ToKeyID.
	Skipped int
	// Failed lists the tenants whose token could not be re-encrypted (it
	// does not open with From, or is not an envelope blob); their records
	// are unchanged.
	Failed []string
}

// Rekey re-encrypts every stored Confluence token under the current master
// key (cfg.To), after a master key rotation or a move between key services
// (a local key file to AWS KMS, one KMS key to another). For each tenant,
// in tenant order: a token already under the current key is skipped;
// another is opened with cfg.From, sealed with cfg.To and written back
// compare-and-set on the record's revision, with an integration.rekey
// audit event ("from_key=… to_key=…") in the same transaction. A record
// changed meanwhile (a probe, a reconnect on a running replica) is read
// again and handled afresh, never written over; a record deleted meanwhile
// is left alone. The re-encrypted record gets a new credential version.
//
// Rekey is resumable: each record is its own transaction, so after a crash
// or an error, running it again finishes the work (records already under
// the current key are skipped) and loses nothing.
//
// A token that cannot be opened with From is reported in RekeyReport.Failed
// and Rekey goes on. The error is non-nil when the work stopped early: the
// key service is unavailable (wrapping envelope.ErrKeyServiceUnavailable),
// the store fails or ctx ends; or when any record failed.
func Rekey(ctx context.Context, cfg RekeyConfig) (RekeyReport, error) {
	var rep RekeyReport
	if cfg.Store == nil || cfg.From == nil || cfg.To == nil {
		return rep, errors.New("settings: Rekey needs a Store, a From and a To sealer")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	// The key id the current key seals under (for AWS KMS the key ARN,
	// whatever alias configured it).
	probe, err := cfg.To.Encrypt(ctx, []byte("rekey-probe"), TokenContext("rekey-probe"))
	if err != nil {
		return rep, fmt.Errorf("settings: rekey: seal with the current key: %w", err)
	}
	if rep.ToKeyID, err = envelope.KeyIDOf(probe); err != nil {
		return rep, fmt.Errorf("settings: rekey: %w", err)
	}
	for after := ""; ; {
		page, err := cfg.Store.ListIntegrations(ctx, after, rekeyPage)
		if err != nil {
			return rep, fmt.Errorf("settings: rekey: list integrations: %w", err)
		}
		if len(page) == 0 {
			break
		}
		for i := range page {
			if err := rekeyOne(ctx, cfg, log, &page[i], &rep); err != nil {
				return rep, err
			}
		}
		after = page[len(page)-1].TenantID
	}
	if len(rep.Failed) > 0 {
		return rep, fmt.Errorf("settings: rekey: %d token(s) could not be re-encrypted (tenants %q); their records are unchanged",
			len(rep.Failed), rep.Failed)
	}
	return rep, nil
}

// rekeyOne re-encrypts rec's token unless it is under rep.ToKeyID, reading
// the record again each time it changed meanwhile. It returns an error
// only when Rekey must stop; a record that cannot be opened is added to
// rep.Failed.
func rekeyOne(ctx context.Context, cfg RekeyConfig, log *slog.Logger, rec *Integration, rep *RekeyReport) error {
	tenant := rec.TenantID
	for attempt := 1; ; attempt++ {
		fromKey, err := envelope.KeyIDOf(rec.EncryptedToken)
		if err != nil {
			log.ErrorContext(ctx, "rekey: stored token is not an envelope blob", "tenant_id", tenant, "err", err)
			rep.Failed = append(rep.Failed, tenant)
			return nil
		}
		if fromKey == rep.ToKeyID {
			rep.Skipped++
			return nil
		}
		token, err := cfg.From.Decrypt(ctx, rec.EncryptedToken, TokenContext(tenant))
		if err != nil {
			if errors.Is(err, envelope.ErrKeyServiceUnavailable) || ctx.Err() != nil {
				return fmt.Errorf("settings: rekey: open the token of tenant %q: %w", tenant, err)
			}
			log.ErrorContext(ctx, "rekey: token does not open with the previous key", "tenant_id", tenant, "from_key", fromKey, "err", err)
			rep.Failed = append(rep.Failed, tenant)
			return nil
		}
		blob, err := cfg.To.Encrypt(ctx, token, TokenContext(tenant))
		clear(token)
		if err != nil {
			return fmt.Errorf("settings: rekey: seal the token of tenant %q: %w", tenant, err)
		}
		next := rec.Clone()
		next.EncryptedToken = blob
		ev := event(tenant, "", ActionRekey, OutcomeSuccess, fmt.Sprintf("from_key=%s to_key=%s", fromKey, rep.ToKeyID))
		err = cfg.Store.PutIntegration(ctx, next, ev)
		if err == nil {
			rep.Rekeyed++
			log.InfoContext(ctx, "rekey: token re-encrypted", "tenant_id", tenant, "from_key", fromKey, "to_key", rep.ToKeyID,
				"credential_version", next.CredentialVersion, "revision", next.Revision)
			return nil
		}
		if !errors.Is(err, ErrStale) {
			return fmt.Errorf("settings: rekey: store the token of tenant %q: %w", tenant, err)
		}
		if attempt == rekeyAttempts {
			return fmt.Errorf("settings: rekey: tenant %q kept changing during %d attempts; run rekey again: %w", tenant, attempt, err)
		}
		rec, err = cfg.Store.GetIntegration(ctx, tenant)
		if errors.Is(err, ErrNotFound) {
			return nil // disconnected meanwhile: nothing to re-encrypt
		}
		if err != nil {
			return fmt.Errorf("settings: rekey: read tenant %q: %w", tenant, err)
		}
	}
}
