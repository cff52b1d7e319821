package main

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
)

// The usage text (printed for -h and for every bad flag) shows each flag's
// default, which for --db is CG_DATABASE_URL when set: its password must
// not reach stderr, while the rest of the DSN still helps the operator.
func TestServeUsageRedactsTheDatabasePassword(t *testing.T) {
	env := map[string]string{"CG_DATABASE_URL": "postgres://cg:s3cret-pw@db.internal:5432/cg?sslmode=require"}
	for _, args := range [][]string{{"-h"}, {"--nope"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			m := NewMain(io.Discard, io.Discard)
			var stderr bytes.Buffer
			if err := m.ParseFlags(args, func(k string) string { return env[k] }, &stderr); err == nil {
				t.Fatalf("ParseFlags(%q) = nil, want an error", args)
			}
			out := stderr.String()
			if strings.Contains(out, "s3cret-pw") {
				t.Errorf("usage shows the DSN password:\n%s", out)
			}
			if !strings.Contains(out, "db.internal:5432/cg") {
				t.Errorf("usage lacks the redacted DSN:\n%s", out)
			}
		})
	}
	// The DSN itself is kept whole for the store.
	m := NewMain(io.Discard, io.Discard)
	if err := m.ParseFlags(nil, func(k string) string { return env[k] }, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Config.DatabaseURL, env["CG_DATABASE_URL"]; got != want {
		t.Errorf("DatabaseURL = %q, want %q", got, want)
	}
}

// The commands that take --db through dbFlag (apikey) show its default the
// same way; a DSN that is not a valid URL is not shown at all.
func TestDBFlagRedactsTheDatabasePassword(t *testing.T) {
	tests := []struct {
		name, dsn, wantShown string
	}{
		{"password in the user info", "postgres://cg:s3cret-pw@db:5432/cg", "postgres://cg:xxxxx@db:5432/cg"},
		{"password as a parameter", "postgresql://db/cg?password=s3cret-pw&sslmode=disable", "postgresql://db/cg?password=xxxxx&sslmode=disable"},
		{"unparsable URL", "postgres://cg:s3cret-pw#@db:bad/cg", "(from CG_DATABASE_URL; not shown)"},
		{"SQLite path", "data/x.db", "data/x.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("apikey", flag.ContinueOnError)
			db := dbFlag(fs, func(k string) string { return map[string]string{databaseEnv: tt.dsn}[k] })
			if got := fs.Lookup("db").DefValue; got != tt.wantShown {
				t.Errorf("shown default = %q, want %q", got, tt.wantShown)
			}
			if *db != tt.dsn {
				t.Errorf("value = %q, want %q", *db, tt.dsn)
			}
		})
	}
}
