package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"text/tabwriter"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/settings"
)

func init() {
	register(command{
		name:    "apikey",
		summary: "manage API keys: create --tenant T --role reader|admin | list | revoke --id ID",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runAPIKey(ctx, args, os.Getenv, stdout, stderr)
		},
	})
}

// Audit actions of the apikey command (actor key id empty: the operator).
const (
	actionAPIKeyCreate = "apikey.create"
	actionAPIKeyRevoke = "apikey.revoke"
)

// tenantRE bounds tenant ids to a plain, log-safe shape.
var tenantRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func apikeyUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: confluence-graph apikey <create|list|revoke> [flags]")
	fmt.Fprintln(w, "  create --tenant T --role reader|admin   prints the new key once, as the last line")
	fmt.Fprintln(w, "  list [--tenant T]                       lists keys (never their secrets)")
	fmt.Fprintln(w, "  revoke --id ID                          revokes a key")
	fmt.Fprintln(w, "  every subcommand takes --db (env "+databaseEnv+", default "+app.DefaultDatabasePath+")")
}

// runAPIKey dispatches the apikey subcommands. getenv supplies
// CG_DATABASE_URL (os.Getenv in main; tests pass their own).
func runAPIKey(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		apikeyUsage(stderr)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("apikey "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	var tenant, role, id *string
	switch sub {
	case "create":
		tenant = fs.String("tenant", "", "tenant the key acts for (required)")
		role = fs.String("role", "", "reader (queries) or admin (queries and settings mutations) (required)")
	case "list":
		tenant = fs.String("tenant", "", "only this tenant's keys (default: every tenant)")
	case "revoke":
		id = fs.String("id", "", "id of the key to revoke (the part after cg_, before the second _) (required)")
	case "-h", "--help", "help":
		apikeyUsage(stderr)
		return nil
	default:
		fmt.Fprintf(stderr, "apikey: unknown subcommand %q\n", sub)
		apikeyUsage(stderr)
		return errUsage
	}
	if err := parseArgs(fs, args, "apikey "+sub, stderr); err != nil {
		return helpIsNoError(err)
	}
	if tenant != nil && *tenant != "" && !tenantRE.MatchString(*tenant) {
		fmt.Fprintf(stderr, "apikey %s: --tenant must be 1-64 letters, digits, '.', '_' or '-'\n", sub)
		return errUsage
	}
	switch sub {
	case "create":
		if *tenant == "" || !settings.Role(*role).Valid() {
			fmt.Fprintln(stderr, "apikey create: --tenant and --role reader|admin are required")
			return errUsage
		}
	case "revoke":
		if *id == "" {
			fmt.Fprintln(stderr, "apikey revoke: --id is required")
			return errUsage
		}
	}

	store, err := app.OpenStore(ctx, *db)
	if err != nil {
		return fmt.Errorf("apikey: %w", err)
	}
	defer store.Close()
	switch sub {
	case "create":
		return createAPIKey(ctx, store, *tenant, settings.Role(*role), stdout)
	case "list":
		return listAPIKeys(ctx, store, *tenant, stdout)
	default:
		return revokeAPIKey(ctx, store, *id, stdout)
	}
}

// createAPIKey stores a new key and prints it once, as the last line, so
// scripts can take it with `tail -n1`.
func createAPIKey(ctx context.Context, store settings.Store, tenant string, role settings.Role, stdout io.Writer) error {
	rec, key, err := settings.NewAPIKey(tenant, role)
	if err != nil {
		return fmt.Errorf("apikey create: %w", err)
	}
	if err := store.CreateAPIKey(ctx, rec); err != nil {
		return fmt.Errorf("apikey create: %w", err)
	}
	if err := store.AppendAudit(ctx, &settings.AuditEvent{TenantID: tenant, Action: actionAPIKeyCreate,
		Outcome: settings.OutcomeSuccess, Detail: fmt.Sprintf("id=%s role=%s", rec.ID, role)}); err != nil {
		return fmt.Errorf("apikey create: key %s created, but the audit append failed: %w", rec.ID, err)
	}
	fmt.Fprintf(stdout, "Created %s key %s for tenant %s. It is shown only once; store it now:\n", role, rec.ID, tenant)
	fmt.Fprintln(stdout, key)
	return nil
}

// listAPIKeys prints one row per key: id, tenant, role, created, last used,
// revoked. Secrets and hashes are never printed.
func listAPIKeys(ctx context.Context, store settings.Store, tenant string, stdout io.Writer) error {
	var (
		keys []settings.APIKey
		err  error
	)
	if tenant != "" {
		keys, err = store.ListAPIKeys(ctx, tenant)
	} else {
		keys, err = store.ListAllAPIKeys(ctx)
	}
	if err != nil {
		return fmt.Errorf("apikey list: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTENANT\tROLE\tCREATED\tLAST USED\tREVOKED")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.TenantID, k.Role, stamp(k.CreatedAt), stamp(k.LastUsedAt), stamp(k.RevokedAt))
	}
	return tw.Flush()
}

// revokeAPIKey revokes the key with id in whatever tenant owns it.
func revokeAPIKey(ctx context.Context, store settings.Store, id string, stdout io.Writer) error {
	k, err := store.GetAPIKey(ctx, id)
	if errors.Is(err, settings.ErrNotFound) {
		return fmt.Errorf("apikey revoke: no key with id %q", id)
	}
	if err != nil {
		return fmt.Errorf("apikey revoke: %w", err)
	}
	if err := store.RevokeAPIKey(ctx, k.TenantID, id); err != nil {
		return fmt.Errorf("apikey revoke: %w", err)
	}
	if err := store.AppendAudit(ctx, &settings.AuditEvent{TenantID: k.TenantID, Action: actionAPIKeyRevoke,
		Outcome: settings.OutcomeSuccess, Detail: "id=" + id}); err != nil {
		return fmt.Errorf("apikey revoke: key %s revoked, but the audit append failed: %w", id, err)
	}
	fmt.Fprintf(stdout, "Revoked key %s of tenant %s.\n", id, k.TenantID)
	return nil
}

// stamp formats a time for the list, "-" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
