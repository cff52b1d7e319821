package graph

import "testing"

func TestTruncateChars(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		max       int
		want      string
		wantTotal int
		wantCut   bool
	}{
		{"no limit", "héllo", 0, "héllo", 5, false},
		{"under limit", "héllo", 10, "héllo", 5, false},
		{"exact", "héllo", 5, "héllo", 5, false},
		{"cut counts characters not bytes", "héllo wörld", 7, "héllo w", 11, true},
		{"emoji", "🚀🚀🚀", 2, "🚀🚀", 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, cut := truncateChars(tt.in, tt.max)
			if got != tt.want || total != tt.wantTotal || cut != tt.wantCut {
				t.Errorf("truncateChars(%q, %d) = %q, %d, %v; want %q, %d, %v", tt.in, tt.max, got, total, cut, tt.want, tt.wantTotal, tt.wantCut)
			}
		})
	}
}

const sectionDoc = `# Payment service

Intro.

## Architecture

The payment service talks to Redis.

### Failover

Promote the replica.

` + "```" + `
## not a heading
` + "```" + `

## Owners

Team Payments.
`

func TestMarkdownSection(t *testing.T) {
	tests := []struct {
		heading string
		want    string
		ok      bool
	}{
		{"Architecture", "## Architecture\n\nThe payment service talks to Redis.\n\n### Failover\n\nPromote the replica.\n\n```\n## not a heading\n```", true},
		{"  failover ", "### Failover\n\nPromote the replica.\n\n```\n## not a heading\n```", true},
		{"owners", "## Owners\n\nTeam Payments.", true},
		{"not a heading", "", false},
		{"Missing", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.heading, func(t *testing.T) {
			got, ok := markdownSection(sectionDoc, tt.heading)
			if ok != tt.ok || got != tt.want {
				t.Errorf("markdownSection(%q) = %q, %v; want %q, %v", tt.heading, got, ok, tt.want, tt.ok)
			}
		})
	}
	if got := markdownHeadings(sectionDoc); len(got) != 4 || got[3] != "Owners" {
		t.Errorf("markdownHeadings = %q, want 4 headings ending with Owners", got)
	}
}

func TestTextSection(t *testing.T) {
	text := "Payment service\n\nIntro.\n\nArchitecture\n\nTalks to Redis.\n\nOwners\n\nTeam Payments.\n"
	got, ok := textSection(text, "architecture", []string{"Payment service", "Architecture", "Owners"})
	if !ok || got != "Architecture\n\nTalks to Redis." {
		t.Errorf("textSection = %q, %v", got, ok)
	}
}
