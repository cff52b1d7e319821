package confluence_test

import (
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

func TestWikiURLKeepsTheSiteScheme(t *testing.T) {
	tests := []struct {
		name string
		opts confluence.Options
		want string
	}{
		{"Atlassian site over HTTPS", confluence.Options{Site: "Acme.atlassian.net", Email: "a@b.c", Token: "t"}, "https://acme.atlassian.net/wiki"},
		{"development host over plain HTTP", confluence.Options{Site: "127.0.0.1:9090", AllowedDevHost: "127.0.0.1:9090", Email: "a@b.c", Token: "t"}, "http://127.0.0.1:9090/wiki"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := confluence.NewClient(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.WikiURL(); got != tt.want {
				t.Errorf("WikiURL() = %q, want %q", got, tt.want)
			}
		})
	}
}
