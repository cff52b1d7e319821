package playground_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSettingsScriptFindsItsElements checks that every element id the
// settings script looks up ($('id') and '#id' selectors) is in the page, so
// a renamed element fails here rather than as a script error in a browser.
func TestSettingsScriptFindsItsElements(t *testing.T) {
	html, err := os.ReadFile("settings/settings.html")
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile("settings/settings.js")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(string(html), -1) {
		if ids[m[1]] {
			t.Errorf("id %q appears twice in settings.html", m[1])
		}
		ids[m[1]] = true
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\('([^']+)'\)|'#([a-z][a-z-]*)`).FindAllStringSubmatch(string(js), -1) {
		used[m[1]+m[2]] = true
	}
	// The read policy part and its fields are among them: the test would
	// pass vacuously if the patterns above stopped matching.
	for _, id := range []string{"policy", "policy-form", "space-list", "excluded-labels", "extra-spaces", "policy-save", "policy-message", "policy-errors", "confluence-card"} {
		if !ids[id] {
			t.Errorf("settings.html has no element with id %q", id)
		}
	}
	if len(used) < 30 {
		t.Fatalf("found %d element ids in settings.js, want at least 30: the pattern no longer matches the script", len(used))
	}
	for id := range used {
		if !ids[id] {
			t.Errorf("settings.js uses element %q, which settings.html lacks", id)
		}
	}
}

// TestSettingsPageHasNothingInline checks the page against its
// Content-Security-Policy (script-src 'self'): no inline script, no event
// handler attribute, no javascript: URL. Inline styles are refused too, so
// the page keeps working under a policy without 'unsafe-inline'.
func TestSettingsPageHasNothingInline(t *testing.T) {
	b, err := os.ReadFile("settings/settings.html")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	scripts := regexp.MustCompile(`<script\b[^>]*>`).FindAllString(page, -1)
	if len(scripts) == 0 {
		t.Fatal("settings.html loads no script")
	}
	for _, s := range scripts {
		if !strings.Contains(s, ` src="`) {
			t.Errorf("inline script %s", s)
		}
	}
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<style\b`),
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`\son[a-z]+=`),
		regexp.MustCompile(`(?i)javascript:`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("settings.html has %q, which the page's Content-Security-Policy refuses or should not need", m)
		}
	}
}
