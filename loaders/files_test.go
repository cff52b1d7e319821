package loaders_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/attachtext"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/readpolicy"
)

const downloadRoute = "GET /wiki/rest/api/content/{id}/child/attachment/{att}/download"

// bigLog is a 3 MiB log attached to the demo page 100031 (space PIR).
var bigLog = confluencetest.Attachment{ID: "att398001", PageID: "100031", Title: "orders-db.log", MediaType: "text/plain",
	Content: bytes.Repeat([]byte("2026-03-02T09:31:00Z WARN orders-db-2 replication lag 1200ms\n"), 3<<20/61)}

// bigPDF is a PDF-typed file of 2 MiB on the same page.
var bigPDF = confluencetest.Attachment{ID: "att398002", PageID: "100031", Title: "orders-db.pdf", MediaType: "application/pdf",
	Content: append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 2<<20)...)}

func fileSim(t *testing.T) *confluencetest.Server {
	t.Helper()
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	t.Cleanup(sim.Close)
	if err := sim.Seed(confluencetest.Dataset{Attachments: []confluencetest.Attachment{bigLog, bigPDF}}); err != nil {
		t.Fatal(err)
	}
	return sim
}

// fileLoaders returns request loaders over up with the given download cap.
func fileLoaders(t *testing.T, up loaders.Upstream, limit int64) *loaders.Loaders {
	return loaders.New(t.Context(), loaders.Config{
		Source:             func(context.Context) (loaders.Upstream, error) { return up, nil },
		Tenant:             func(context.Context) string { return "t1" },
		Wait:               time.Millisecond,
		MaxAttachmentBytes: limit,
	})
}

// OpenFile streams the whole file with its size through every upstream: the v2 client, the v1
// upstream, and the v1 upstream inside the hierarchy-fallback and read-policy wrappers (which
// pass Download through). One download call each. (The v1 upstreams read with the classic token:
// the guide recipe's scopes lack the attachment scope the download route needs.)
func TestOpenFileOnEveryUpstream(t *testing.T) {
	sim := fileSim(t)
	ups := map[string]loaders.Upstream{
		"v2": upstreamAs(t, sim, "classic", false),
		"v1": upstreamAs(t, sim, "classic", true),
		"v1 wrapped": loaders.WithReadPolicy(
			loaders.WithHierarchyFallback(upstreamAs(t, sim, "classic", true), nil, "t1", loaders.HierarchyRoutes{}),
			readpolicy.Policy{AllowedSpaces: []string{"PIR"}}),
	}
	for name, up := range ups {
		t.Run(name, func(t *testing.T) {
			l := fileLoaders(t, up, 4<<20)
			a, err := l.AttachmentByID(t.Context(), bigLog.ID)
			if err != nil {
				t.Fatal(err)
			}
			sim.ResetStats()
			f, err := l.OpenFile(t.Context(), a)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Body.Close()
			got, err := io.ReadAll(f.Body)
			if err != nil || !bytes.Equal(got, bigLog.Content) || f.Size != int64(len(bigLog.Content)) || f.ContentType != "text/plain" {
				t.Errorf("file: %d bytes (size %d, %q), %v; want the %d bytes", len(got), f.Size, f.ContentType, err, len(bigLog.Content))
			}
			if n := sim.Count(downloadRoute); n != 1 {
				t.Errorf("downloads = %d, want 1", n)
			}
		})
	}
}

// A file whose size is known to pass the cap is refused before any download.
func TestOpenFileRefusesAKnownOversize(t *testing.T) {
	sim := fileSim(t)
	l := fileLoaders(t, upstreamAs(t, sim, "classic", false), 1<<20)
	a, err := l.AttachmentByID(t.Context(), bigLog.ID)
	if err != nil {
		t.Fatal(err)
	}
	sim.ResetStats()
	_, err = l.OpenFile(t.Context(), a)
	tl, ok := errors.AsType[*loaders.FileTooLargeError](err)
	if !ok || tl.Size != int64(len(bigLog.Content)) || tl.Limit != 1<<20 {
		t.Errorf("OpenFile = %v, want *FileTooLargeError with the size and the 1 MiB limit", err)
	}
	if n := sim.Count(downloadRoute); n != 0 {
		t.Errorf("downloads = %d, want 0", n)
	}
}

// unsized hides the file's size from the loaders: the attachment has no fileSize and the media
// host no Content-Length (Confluence does not promise either).
type unsized struct{ loaders.Upstream }

func (u unsized) Attachment(ctx context.Context, id string) (loaders.Attachment, error) {
	a, err := u.Upstream.Attachment(ctx, id)
	a.FileSize = nil
	return a, err
}

func (u unsized) Download(ctx context.Context, pageID, attachmentID string) (loaders.FileStream, error) {
	f, err := u.Upstream.Download(ctx, pageID, attachmentID)
	f.Size = -1
	return f, err
}

// Of a file of unknown size, OpenFile yields the cap's bytes and then *FileTooLargeError.
func TestOpenFileCutsAnUnknownOversize(t *testing.T) {
	sim := fileSim(t)
	l := fileLoaders(t, unsized{upstreamAs(t, sim, "classic", false)}, 1<<20)
	a, err := l.AttachmentByID(t.Context(), bigLog.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := l.OpenFile(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Body.Close()
	n, err := io.Copy(io.Discard, f.Body)
	if _, ok := errors.AsType[*loaders.FileTooLargeError](err); !ok || n != 1<<20 || f.Size != -1 {
		t.Errorf("read %d bytes (size %d), %v; want the 1 MiB cap, then *FileTooLargeError", n, f.Size, err)
	}
}

// The text of a text file over the cap is the text of its first part with the cut marker; a
// PDF over the cap is refused (before downloading when its size is known), naming the cap.
func TestAttachmentTextOverTheCap(t *testing.T) {
	sim := fileSim(t)
	const limit = 1 << 20
	marker := attachtext.CutMarker(limit)
	for name, up := range map[string]loaders.Upstream{
		"size known":   upstreamAs(t, sim, "classic", false),
		"size unknown": unsized{upstreamAs(t, sim, "classic", false)},
		"v1":           upstreamAs(t, sim, "classic", true),
	} {
		t.Run(name, func(t *testing.T) {
			l := fileLoaders(t, up, limit)
			a, err := l.AttachmentByID(t.Context(), bigLog.ID)
			if err != nil {
				t.Fatal(err)
			}
			sim.ResetStats()
			txt, err := l.AttachmentText(t.Context(), a)
			if err != nil {
				t.Fatal(err)
			}
			body := strings.TrimSuffix(txt.Text, marker)
			if !txt.Incomplete || body == txt.Text || len(body) != limit || !strings.HasPrefix(body, string(bigLog.Content[:limit])) {
				t.Errorf("text: incomplete=%v, %d bytes before the marker (marker there: %v); want the first %d bytes and the marker",
					txt.Incomplete, len(body), body != txt.Text, limit)
			}
			if n := sim.Count(downloadRoute); n != 1 {
				t.Errorf("downloads = %d, want 1", n)
			}

			p, err := l.AttachmentByID(t.Context(), bigPDF.ID)
			if err != nil {
				t.Fatal(err)
			}
			sim.ResetStats()
			_, err = l.AttachmentText(t.Context(), p)
			if err == nil || !strings.Contains(err.Error(), "1048576-byte") {
				t.Errorf("PDF over the cap: %v, want an error naming the 1048576-byte limit", err)
			}
			if want := map[bool]int{true: 0, false: 1}[name != "size unknown"]; sim.Count(downloadRoute) != want {
				t.Errorf("PDF downloads = %d, want %d (none when the size is known)", sim.Count(downloadRoute), want)
			}
		})
	}
}
