package settingstest

import (
	"path/filepath"
	"strings"
	"testing"
)

// MigrationNames lists the migrations in the test's migrations directory, in order and joined
// by commas, as a store's schema_migrations table records them once all have run.
func MigrationNames(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v (%d files)", err, len(files))
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(filepath.Base(f), ".sql")
	}
	return strings.Join(names, ",")
}
