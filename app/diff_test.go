package app_test

import (
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/app"
	"github.com/confluence-graph/confluence-graph/server"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *app.Config)
		want   []string
	}{
		{"defaults equal themselves", func(*app.Config) {}, nil},
		{"the logger is not a setting", func(c *app.Config) { c.Logger = slog.New(slog.DiscardHandler) }, nil},
		{
			"scalars in field order, nested by path",
			func(c *app.Config) {
				c.Client.RateLimit = -1
				c.Addr = "127.0.0.1:0"
				c.CacheTTL = 0
				c.Server.Playground = true
			},
			[]string{
				`Addr = "127.0.0.1:0" (not "127.0.0.1:8080")`,
				`Client.RateLimit = -1 (not 0)`,
				`CacheTTL = 0s (not 30s)`,
				`Server.Playground = true (not false)`,
			},
		},
		{
			"functions and slices read set or unset",
			func(c *app.Config) {
				c.Client.OnRequest = func(string, int, time.Duration) {}
				c.Server.Ready = []server.Check{{Name: "x"}}
			},
			[]string{`Client.OnRequest = set (not unset)`, `Server.Ready = set (not unset)`},
		},
		{
			"URL passwords are hidden",
			func(c *app.Config) {
				c.DatabaseURL = "postgres://cg:s3cret@db:5432/cg?sslmode=disable"
				c.RedisURL = "redis://:s3cret@cache:6379/0"
			},
			[]string{
				`DatabaseURL = "postgres://cg:xxxxx@db:5432/cg?sslmode=disable" (not "data/confluence-graph.db")`,
				`RedisURL = "redis://:xxxxx@cache:6379/0" (not "")`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.DefaultConfig()
			tt.change(&c)
			var got []string
			for _, ch := range app.Diff(app.DefaultConfig(), c) {
				got = append(got, ch.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Diff =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"password in the user info", "postgres://cg:s3cret@db:5432/cg", "postgres://cg:xxxxx@db:5432/cg", true},
		{"password as a parameter", "postgresql://db/cg?password=s3cret&sslmode=disable", "postgresql://db/cg?password=xxxxx&sslmode=disable", true},
		{"not a URL", "data/x.db", "data/x.db", true},
		{"unparsable URL", "postgres://cg:s3cret#@db:bad/cg", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := app.RedactURL(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("RedactURL(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
