package storage_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

func TestMentions(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"none", `<p>no users</p>`, nil},
		{"in order, each once", `<p><ac:link><ri:user ri:account-id="b"/></ac:link> <ac:link><ri:user ri:account-id="a"/></ac:link> <ac:link><ri:user ri:account-id="b"/></ac:link></p>`, []string{"b", "a"}},
		{"in macro parameters and tasks", `<ac:structured-macro ac:name="profile"><ac:parameter ac:name="user"><ri:user ri:account-id="p1"/></ac:parameter></ac:structured-macro><ac:task-list><ac:task><ac:task-body><ac:link><ri:user ri:account-id="t1"/></ac:link></ac:task-body></ac:task></ac:task-list>`, []string{"p1", "t1"}},
		{"legacy user keys are not account ids", `<ac:link><ri:user ri:userkey="k"/></ac:link>`, nil},
		{"malformed input keeps what was read", `<p><ac:link><ri:user ri:account-id="x"/></ac:link><b>unclosed <i`, []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := storage.Mentions(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Mentions mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUserKeyMentions: Data Center bodies mention users by user key; the user is then
// resolved and rendered by that key.
func TestUserKeyMentions(t *testing.T) {
	in := `<p><ac:link><ri:user ri:userkey="k2"/></ac:link> <ac:link><ri:user ri:account-id="a"/></ac:link> <ac:link><ri:user ri:userkey="k1"/></ac:link> <ac:link><ri:user ri:userkey="k2"/></ac:link></p>`
	if diff := cmp.Diff([]string{"k2", "k1"}, storage.UserKeyMentions(in)); diff != "" {
		t.Errorf("UserKeyMentions (-want +got):\n%s", diff)
	}
	got, err := storage.ToMarkdown(`<p><ac:link><ri:user ri:userkey="k1"/></ac:link> hi</p>`, storage.Options{
		ResolveUser: func(id string) (string, bool) { return map[string]string{"k1": "Alice"}[id], id == "k1" }})
	if err != nil || !strings.Contains(got, "@Alice hi") {
		t.Errorf("mention by user key = %q, %v", got, err)
	}
}

func TestToMarkdownWithZeroOptions(t *testing.T) {
	in := `<p><ac:link><ri:user ri:account-id="557058:x"/></ac:link> see <ac:link><ri:page ri:content-title="Plan"/></ac:link> and <ac:link><ri:attachment ri:filename="a.pdf"/></ac:link></p><ac:image><ri:attachment ri:filename="d.png"/></ac:image>`
	got, err := storage.ToMarkdown(in, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "@557058:x see Plan and a.pdf\n\n![d.png](d.png)\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestResolversReceiveReferences(t *testing.T) {
	var targets []storage.LinkTarget
	var users []string
	opts := storage.Options{
		ResolveUser: func(id string) (string, bool) { users = append(users, id); return "", false },
		ResolveLink: func(lt storage.LinkTarget) (string, bool) {
			targets = append(targets, lt)
			if lt.Kind == storage.LinkAttachment {
				return "", false
			}
			return "https://x/" + lt.Title, true
		},
	}
	in := `<p><ac:link><ri:page ri:space-key="ENG" ri:content-title="A"/></ac:link><ac:link ac:anchor="s"><ri:page ri:content-title="B"/></ac:link><ac:link><ri:attachment ri:filename="f.txt"/></ac:link><ac:link><ri:user ri:account-id="u1"/></ac:link></p>`
	got, err := storage.ToMarkdown(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[A](https://x/A)[B#s](https://x/B#s)f.txt (attachment not found)@u1\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	want := []storage.LinkTarget{
		{Kind: storage.LinkPage, SpaceKey: "ENG", Title: "A"},
		{Kind: storage.LinkPage, Title: "B"},
		{Kind: storage.LinkAttachment, Filename: "f.txt"},
	}
	if diff := cmp.Diff(want, targets); diff != "" {
		t.Errorf("ResolveLink calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, storage.Links(in)); diff != "" {
		t.Errorf("Links (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"u1"}, users); diff != "" {
		t.Errorf("ResolveUser calls (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr error
	}{
		{"empty input", "", "", nil},
		{"whitespace only", " \n\t", "", nil},
		{"empty paragraphs are not an error", "<p></p><p>&nbsp;</p>", "", nil},
		{"nothing readable", `<p title="never closed>`, "", storage.ErrUnreadable},
		{"broken tag with text after it", `<p title="x>after`, "after\n", nil},
		{"invalid UTF-8 and control characters", "<p>a\xffb\x00c\x01</p>", "a\uFFFDbc\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := storage.ToMarkdown(tt.in, storage.Options{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			_, err = storage.ToText(tt.in, storage.Options{})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ToText: got error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestHostileStructureStaysBounded(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		contains    string
		maxLen      int
		notContains string
	}{
		{"quote prefixes stop at eight levels", strings.Repeat("<blockquote>", 50) + "deep quote", strings.Repeat("> ", 8) + "deep quote", 100, strings.Repeat("> ", 9)},
		{"list indentation stops growing", strings.Repeat("<ul><li>x", 50) + "deep item", "deep item", 2000, strings.Repeat(" ", 40)},
		{"deep nesting keeps the innermost text", strings.Repeat("<div><blockquote>", 5000) + "deep text", "deep text", 10000, ""},
		{"huge colspan is capped", `<table><tr><td colspan="100000000">x</td></tr></table>`, "| x |", 2000, ""},
		{"huge rowspan is capped", `<table><tr><td rowspan="100000000">x</td></tr><tr><td>y</td></tr></table>`, "y", 2000, ""},
		{"huge list start", `<ol start="99999999999999999999"><li>x</li></ol>`, "1. x", 100, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := storage.ToMarkdown(tt.in, storage.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tt.contains) {
				t.Errorf("got %q, want it to contain %q", got, tt.contains)
			}
			if len(got) > tt.maxLen {
				t.Errorf("got %d bytes, want at most %d", len(got), tt.maxLen)
			}
			if tt.notContains != "" && strings.Contains(got, tt.notContains) {
				t.Errorf("got %q, want it not to contain %q", got, tt.notContains)
			}
		})
	}
}

func TestSection(t *testing.T) {
	page := `<h1>Intro</h1><p>intro text</p><h2>Setup <ac:structured-macro ac:name="status"><ac:parameter ac:name="title">new</ac:parameter></ac:structured-macro></h2><p>setup text</p><h3>Details</h3><p>detail text</p><h2>Usage</h2><p>usage text</p><ac:layout><ac:layout-section><ac:layout-cell><h4>In a cell</h4><p>cell text</p></ac:layout-cell></ac:layout-section></ac:layout><h1>End</h1>`
	tests := []struct {
		name    string
		section string
		want    string
		wantErr error
	}{
		{"stops at the same level", "setup [NEW]", "## Setup [new]\n\nsetup text\n\n### Details\n\ndetail text\n", nil},
		{"a top heading runs to the next top heading", "Intro", "", nil},
		{"heading inside a layout", "  in a CELL ", "#### In a cell\n\ncell text\n", nil},
		{"unknown heading", "Missing", "", storage.ErrSectionNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := storage.ToMarkdown(page, storage.Options{Section: tt.section})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if tt.section == "Intro" && (!strings.Contains(got, "usage text") || strings.Contains(got, "End")) {
				t.Errorf("got %q, want the text up to the next h1 only", got)
			}
		})
	}
}

// listedOnly returns the golden options with a ResolveLink that fails t
// when the converter asks about a target Links(src) did not list.
func listedOnly(t *testing.T, src string) storage.Options {
	listed := map[storage.LinkTarget]bool{}
	for _, lt := range storage.Links(src) {
		listed[lt] = true
	}
	opts := goldenOptions()
	resolve := opts.ResolveLink
	opts.ResolveLink = func(lt storage.LinkTarget) (string, bool) {
		if !listed[lt] {
			t.Errorf("ResolveLink(%+v) was not listed by Links(%.100q)", lt, src)
		}
		return resolve(lt)
	}
	return opts
}

// TestLinksCoverResolveLink checks, on every golden page, that Links lists
// every target the converter then asks ResolveLink about, so one batch
// resolves a whole body.
func TestLinksCoverResolveLink(t *testing.T) {
	for _, src := range goldenInputs(t) {
		opts := listedOnly(t, src)
		if _, err := storage.ToMarkdown(src, opts); err != nil {
			t.Fatal(err)
		}
		if _, err := storage.ToText(src, opts); err != nil {
			t.Fatal(err)
		}
	}
}
