package main

import (
	"flag"

	"github.com/confluence-graph/confluence-graph/app"
)

// databaseEnv names the database for every command that opens the store;
// the --db flag overrides it.
const databaseEnv = "CG_DATABASE_URL"

// dbFlag registers --db on fs, defaulting to getenv(CG_DATABASE_URL), else
// app.DefaultDatabasePath.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := app.DefaultDatabasePath
	if v := getenv(databaseEnv); v != "" {
		def = v
	}
	db := fs.String("db", def, "settings database: a SQLite file path, or postgres://... for PostgreSQL (env "+databaseEnv+")")
	redactDefault(fs, "db", databaseEnv)
	return db
}

// redactDefault makes the usage text of fs (printed for -h and for every
// bad flag) show the default of the URL flag name without its password:
// that default comes from the variable env when set. A default that does
// not parse as a URL is not shown at all. The flag's value is unchanged.
func redactDefault(fs *flag.FlagSet, name, env string) {
	f := fs.Lookup(name)
	if f == nil {
		return
	}
	shown, ok := app.RedactURL(f.DefValue)
	if !ok {
		shown = "(from " + env + "; not shown)"
	}
	f.DefValue = shown
}
