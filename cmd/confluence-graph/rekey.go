package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/settings"
)

func init() {
	register(command{
		name:    "rekey",
		summary: "re-encrypt every stored token under the current key: --from-kms-key-id K | --from-local-key-file F",
		run:     runRekey,
	})
}

// runRekey re-encrypts every stored Confluence token under the current key
// (--kms-key-id, else --local-key-file, as serve takes them) after opening
// it with the previous one (--from-kms-key-id or --from-local-key-file).
// See settings.Rekey: resumable, audited, compare-and-set. The environment
// supplies defaults: CG_DATABASE_URL, CG_KMS_KEY_ID and CG_LOCAL_KEY_FILE.
func runRekey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	getenv := os.Getenv
	fs := flag.NewFlagSet("rekey", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	kmsKey := fs.String("kms-key-id", getenv("CG_KMS_KEY_ID"), "current AWS KMS key id, ARN or alias; empty uses --local-key-file (CG_KMS_KEY_ID)")
	localFile := fs.String("local-key-file", cmp.Or(getenv("CG_LOCAL_KEY_FILE"), app.DefaultLocalKeyFile), "current local master key file, used when --kms-key-id is empty (CG_LOCAL_KEY_FILE)")
	fromKMS := fs.String("from-kms-key-id", "", "previous AWS KMS key id, ARN or alias")
	fromFile := fs.String("from-local-key-file", "", "previous local master key file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() > 0 || (*fromKMS == "") == (*fromFile == "") {
		fmt.Fprintln(stderr, "rekey: give the previous key as exactly one of --from-kms-key-id or --from-local-key-file")
		return errUsage
	}
	if *fromFile != "" {
		// localkey.Open creates a missing file: a mistyped path must not
		// become a new, useless key.
		if _, err := os.Stat(*fromFile); err != nil {
			return fmt.Errorf("rekey: previous key file: %w", err)
		}
	}
	keyLog := slog.New(slog.NewTextHandler(stderr, nil))
	from, err := app.OpenKeyService(ctx, *fromKMS, *fromFile, keyLog)
	if err != nil {
		return fmt.Errorf("rekey: previous key: %w", err)
	}
	to, err := app.OpenKeyService(ctx, *kmsKey, *localFile, keyLog)
	if err != nil {
		return fmt.Errorf("rekey: current key: %w", err)
	}
	store, err := app.OpenStore(ctx, *db)
	if err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	defer store.Close()
	rep, err := settings.Rekey(ctx, settings.RekeyConfig{Store: store, From: from, To: to,
		Logger: keyLog})
	fmt.Fprintf(stdout, "rekey: %d token(s) re-encrypted under %s, %d already under it, %d failed\n",
		rep.Rekeyed, rep.ToKeyID, rep.Skipped, len(rep.Failed))
	if err != nil {
		return fmt.Errorf("rekey: %w (run rekey again to resume)", err)
	}
	return nil
}

// openSealer opens AWS KMS key kmsKeyID when it is set, else the local key
