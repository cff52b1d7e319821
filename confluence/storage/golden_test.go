package storage_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenOptions resolves what the golden pages refer to: two users, the pages
// of space ENG (and of the current space, ENG), a blog post, the space ENG,
// two attachments of the current page and one of page "Architecture", and
// Jira issues on the same site.
func goldenOptions() storage.Options {
	users := map[string]string{"557058:alice": "Alice Example", "712020:bob": "Bob"}
	pages := map[string]bool{"Release Plan": true, "Architecture": true, "Runbook": true}
	currentFiles := map[string]bool{"diagram.png": true, "spec.pdf": true, "screen shot (1).png": true, "flow": true}
	const site = "https://example.atlassian.net"
	return storage.Options{
		ResolveUser: func(id string) (string, bool) { name, ok := users[id]; return name, ok },
		ResolveLink: func(t storage.LinkTarget) (string, bool) {
			inENG := t.SpaceKey == "" || t.SpaceKey == "ENG"
			switch t.Kind {
			case storage.LinkPage:
				if t.ContentID == "1001" {
					return site + "/wiki/spaces/ENG/pages/1001", true
				}
				if !pages[t.Title] || !inENG {
					return "", false
				}
				return site + "/wiki/spaces/ENG/pages/" + strings.ReplaceAll(t.Title, " ", "+"), true
			case storage.LinkBlogPost:
				if t.Title != "Q3 Update" || !inENG {
					return "", false
				}
				return site + "/wiki/spaces/ENG/blog/" + t.PostingDay + "/Q3+Update", true
			case storage.LinkSpace:
				return site + "/wiki/spaces/" + t.SpaceKey, t.SpaceKey == "ENG"
			case storage.LinkAttachment:
				switch {
				case t.Container == 0 && currentFiles[t.Filename]:
					return site + "/wiki/download/attachments/42/" + t.Filename, true
				case t.Container == storage.LinkPage && t.Title == "Architecture" && t.Filename == "spec.pdf":
					return site + "/wiki/download/attachments/43/spec.pdf", true
				}
			}
			return "", false
		},
		BaseURL:     site,
		JiraBaseURL: site,
	}
}

// TestGolden converts every testdata/*.xml and compares the result with the
// .md file next to it, and with the .txt file where one exists. Run with
// -update (or UPDATE_GOLDEN=1) to rewrite them; review every change by eye.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 40 {
		t.Fatalf("got %d golden cases, want at least 40", len(inputs))
	}
	rewrite := *update || os.Getenv("UPDATE_GOLDEN") == "1"
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".xml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			md, err := storage.ToMarkdown(string(src), goldenOptions())
			if err != nil {
				t.Fatalf("ToMarkdown: %v", err)
			}
			checkGolden(t, strings.TrimSuffix(in, ".xml")+".md", md, rewrite, true)

			txt, err := storage.ToText(string(src), goldenOptions())
			if err != nil {
				t.Fatalf("ToText: %v", err)
			}
			checkGolden(t, strings.TrimSuffix(in, ".xml")+".txt", txt, rewrite, false)
		})
	}
}

// checkGolden compares got with the file at path. A missing optional file is
// not compared (plain-text goldens exist for a subset); create an empty one
// and run with -update to add it.
func checkGolden(t *testing.T, path, got string, rewrite, required bool) {
	t.Helper()
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) && !required {
		return
	}
	if rewrite {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// goldenInputs returns the golden inputs (testdata/*.xml) by path.
func goldenInputs(t testing.TB) map[string]string {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.xml")
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = string(b)
	}
	return out
}
