package main

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const corpusDir = "../../confluence/storage/testdata"

// measured runs both converters on the named goldens and returns the report.
func measured(t *testing.T, names ...string) *Report {
	t.Helper()
	docs, err := LoadCorpus(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	docs = slices.DeleteFunc(docs, func(d Doc) bool { return !slices.Contains(names, d.Name) })
	if len(docs) != len(names) {
		t.Fatalf("found %d of the goldens %v", len(docs), names)
	}
	return Run(docs, Converters())
}

// TestRetentionOnGoldens checks relations the measurement must show on three
// goldens: ours keeps every link target, word and code language of pages full
// of page links, attachments and code macros; html-to-markdown, which cannot
// resolve ri: targets and drops CDATA bodies, keeps none of the resolved
// targets and no code language, and fewer words than ours.
func TestRetentionOnGoldens(t *testing.T) {
	rep := measured(t, "12_page_links", "15_code_macro", "42_link_shapes")
	for _, d := range rep.Docs {
		ours, theirs := d.Results[0], d.Results[1]
		if ours.Err != nil || theirs.Err != nil {
			t.Fatalf("%s: errors %v, %v", d.Name, ours.Err, theirs.Err)
		}
		if ours.Words.Total == 0 || ours.Words.Kept != ours.Words.Total {
			t.Errorf("%s: ours kept %v words, lost %v; want all of them", d.Name, ours.Words, ours.LostWords)
		}
		if ours.Links != (Score{len(d.Source.Links), len(d.Source.Links)}) {
			t.Errorf("%s: ours kept %v links, lost %v; want all %d", d.Name, ours.Links, ours.LostLinks, len(d.Source.Links))
		}
		if ours.Langs.Kept != ours.Langs.Total {
			t.Errorf("%s: ours kept %v code languages, lost %v", d.Name, ours.Langs, ours.LostLangs)
		}
		if theirs.Words.Kept >= ours.Words.Kept {
			t.Errorf("%s: html-to-markdown kept %v words, ours %v; want fewer", d.Name, theirs.Words, ours.Words)
		}
		for _, l := range d.Source.Links {
			if l.Resolved && !slices.Contains(theirs.LostLinks, l) {
				t.Errorf("%s: html-to-markdown kept the resolved target %s (%s)", d.Name, l.Name, l.URL)
			}
		}
		if theirs.Langs.Kept != 0 {
			t.Errorf("%s: html-to-markdown kept %v code languages; it drops CDATA bodies", d.Name, theirs.Langs)
		}
	}
	byName := map[string]DocResult{}
	for _, d := range rep.Docs {
		byName[d.Name] = d
	}
	if n := len(byName["12_page_links"].Source.Links); n < 5 {
		t.Errorf("12_page_links has %d link targets; want the page, blog, space and URL links (at least 5)", n)
	}
	if got := byName["15_code_macro"].Source.Langs; !slices.Equal(got, []string{"python", "xml"}) {
		t.Errorf("15_code_macro languages = %v, want [python xml]", got)
	}
}

// TestAnalyzeHiddenAndInline checks what counts as visible: parameters,
// hidden excerpts, task metadata and ADF fallbacks do not; words run on
// across inline markup; CDATA is literal; plain links are made absolute and
// unsafe or same-page ones skipped.
func TestAnalyzeHiddenAndInline(t *testing.T) {
	base, _ := url.Parse(Site)
	doc := `<p>H<sub>2</sub>O and <strong>bold</strong>text<br/>next</p>` +
		`<ac:structured-macro ac:name="excerpt"><ac:parameter ac:name="hidden">true</ac:parameter>` +
		`<ac:rich-text-body><p>secret</p></ac:rich-text-body></ac:structured-macro>` +
		`<ac:task-list><ac:task><ac:task-id>7</ac:task-id><ac:task-status>complete</ac:task-status>` +
		`<ac:task-body>done</ac:task-body></ac:task></ac:task-list>` +
		`<ac:adf-extension><ac:adf-node type="panel"><ac:adf-content><p>shown</p></ac:adf-content></ac:adf-node>` +
		`<ac:adf-fallback><p>fallback</p></ac:adf-fallback></ac:adf-extension>` +
		`<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">Go</ac:parameter>` +
		`<ac:plain-text-body><![CDATA[x &amp; y]]></ac:plain-text-body></ac:structured-macro>` +
		`<p><a href="/wiki/x">rel</a> <a href="#top">top</a> <a href="javascript:alert(1)">js</a></p>`
	src := Analyze(doc, Resolve, base)
	want := map[string]int{"h2o": 1, "and": 1, "boldtext": 1, "next": 1, "done": 1, "shown": 1, "x": 1, "amp": 1, "y": 1,
		"rel": 1, "top": 1, "js": 1}
	if !mapsEqual(src.Words, want) {
		t.Errorf("words = %v\nwant    %v", src.Words, want)
	}
	if !slices.Equal(src.Langs, []string{"go"}) {
		t.Errorf("langs = %v, want [go]", src.Langs)
	}
	if len(src.Links) != 1 || src.Links[0].URL != Site+"/wiki/x" || src.Links[0].Resolved {
		t.Errorf("links = %+v, want the relative href made absolute", src.Links)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestMeasure checks the output side: words as a multiset, tags and
// escapes undone outside code, URLs found however they are escaped but not
// as the prefix of a longer URL, and code languages once per fence.
func TestMeasure(t *testing.T) {
	src := Source{
		Words: map[string]int{"go": 2, "h2o": 1, "amp": 1, "div": 1},
		Links: []Link{
			{Name: "a", URL: Site + "/wiki/display/DOC/A%20%28b%29"},
			{Name: "short", URL: "https://example.com"},
			{Name: "anchor", URL: Site + "/wiki/display/DOC/Runbook"},
		},
		Langs: []string{"go", "go"},
	}
	out := "Go H<sub>2</sub>O \\&amp; \\<div> [a](https://acme.atlassian.net/wiki/display/DOC/A \\(b\\)) " +
		"<https://example.com/longer> [r](" + Site + "/wiki/display/DOC/Runbook#rollback).\n\n```Go\n&amp;\n```\n"
	r := Measure(src, out, nil)
	if r.Words != (Score{4, 5}) || !slices.Equal(r.LostWords, []string{"go"}) {
		t.Errorf("words = %v lost %v, want 4/5 lost [go]", r.Words, r.LostWords)
	}
	if r.Links != (Score{2, 3}) || len(r.LostLinks) != 1 || r.LostLinks[0].Name != "short" {
		t.Errorf("links = %v lost %+v, want 2/3 lost short", r.Links, r.LostLinks)
	}
	if r.Langs != (Score{1, 2}) {
		t.Errorf("langs = %v, want 1/2", r.Langs)
	}
	if r := Measure(src, out, os.ErrClosed); r.Words.Kept != 0 || r.Links.Kept != 0 || r.Err == nil {
		t.Errorf("a converter error must count as empty output: %+v", r)
	}
}

// TestRunWritesSection runs the command on a copy of two goldens and checks
// the printed totals and the section it writes between its markers, keeping
// the rest of the results file.
func TestRunWritesSection(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	if err := os.Mkdir(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"13_attachment_links", "36_code_apps"} {
		b, err := os.ReadFile(filepath.Join(corpusDir, n+".xml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(corpus, n+".xml"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	results := filepath.Join(dir, "RESULTS.md")
	if err := os.WriteFile(results, []byte("# Benchmark results\n\nkeep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-corpus", corpus, "-results", results}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "13_attachment_links") || !strings.Contains(stdout.String(), "total") {
		t.Errorf("stdout lacks the per-document table:\n%s", stdout.String())
	}
	b, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{"keep me", sectionBegin, sectionEnd, "go run ./bench/retention",
		"| link retention (link targets) | 100.0% (3/3) | 0.0% (0/3) |",
		"| code-block language retention | 100.0% (3/3) | 0.0% (0/3) |"} {
		if !strings.Contains(got, want) {
			t.Errorf("results file lacks %q:\n%s", want, got)
		}
	}
	// A second run replaces the section instead of adding one.
	if err := run([]string{"-corpus", corpus, "-results", results}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(results); string(b2) != got {
		t.Errorf("a second run changed the file:\n%s", b2)
	}
}
