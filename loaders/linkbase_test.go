package loaders_test

import (
	"strings"
	"testing"
)

// Relative links (attachment downloads) are made absolute against the site's own scheme and
// host even when no earlier response of this upstream carried a base, as when the page itself
// came from the cross-request cache: the simulator is the allowed plain-HTTP development host,
// so an https:// link would not open.
func TestRelativeLinksKeepTheSiteScheme(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	list, err := l.Attachments(t.Context(), "100003", "", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) == 0 {
		t.Fatal("no attachments, want the demo page's")
	}
	want := f.sim.URL() + "/wiki/download/attachments/100003/"
	for _, a := range list.Items {
		if !strings.HasPrefix(a.DownloadURL, want) {
			t.Errorf("download URL = %q, want it under %q", a.DownloadURL, want)
		}
	}
}
