package confluence_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// mediaHandler answers the download route with a redirect to /media/..., where media serves.
func mediaHandler(media http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wiki/rest/api/content/5/child/attachment/att9/download":
			http.Redirect(w, r, "http://"+r.Host+"/media/file/att9/binary?token=t", http.StatusFound)
		case "/media/file/att9/binary":
			media(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// DownloadStream returns as soon as the media host's headers arrive: the test reads the first
// part while the host still holds back the rest, which it sends only once the test has read it
// (or, with early set, ends when the test closes the body after the first part).
func TestDownloadStreamIsStreamed(t *testing.T) {
	t.Parallel()
	for _, early := range []bool{false, true} {
		release, hostDone := make(chan struct{}), make(chan error, 1)
		h := mediaHandler(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/csv")
			w.Header().Set("Content-Length", "2048")
			_, _ = w.Write([]byte(strings.Repeat("a", 1024)))
			w.(http.Flusher).Flush()
			select {
			case <-release:
				_, _ = w.Write([]byte(strings.Repeat("b", 1024)))
				hostDone <- nil
			case <-r.Context().Done():
				hostDone <- r.Context().Err()
			}
		})
		c, _, _ := newTestClient(t, h, nil)
		// The deadline only keeps a broken client from hanging the test.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		f, _, err := c.Attachments.DownloadStream(ctx, "5", "att9")
		if err != nil {
			t.Fatalf("DownloadStream: %v", err)
		}
		if f.Size != 2048 || f.ContentType != "text/csv" {
			t.Errorf("size %d, type %q; want 2048 text/csv", f.Size, f.ContentType)
		}
		first := make([]byte, 1024)
		if _, err := io.ReadFull(f.Body, first); err != nil || strings.Trim(string(first), "a") != "" {
			t.Fatalf("first part = %.20q, %v; want 1024 a's before the host sends the rest", first, err)
		}
		if early {
			_ = f.Body.Close()
			select {
			case err := <-hostDone:
				if err == nil {
					t.Error("closed early: the host sent the rest, want its request ended")
				}
			case <-ctx.Done():
				t.Error("closed early: the host's request did not end")
			}
			continue
		}
		close(release)
		rest, err := io.ReadAll(f.Body)
		if err != nil || string(rest) != strings.Repeat("b", 1024) || <-hostDone != nil {
			t.Errorf("rest = %d bytes, %v; want 1024 b's", len(rest), err)
		}
		_ = f.Body.Close()
	}
}

// Of a body past MaxDownloadBytes the stream yields the cap's bytes and then an error matching
// ErrResponseTooLarge; a body without Content-Length has Size -1.
func TestDownloadStreamCap(t *testing.T) {
	t.Parallel()
	h := mediaHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for range 4 {
			_, _ = w.Write([]byte(strings.Repeat("x", 1024)))
			w.(http.Flusher).Flush() // chunked: no Content-Length
		}
	})
	c, _, _ := newTestClient(t, h, func(o *confluence.Options) { o.MaxDownloadBytes = 3000 })
	f, _, err := c.Attachments.DownloadStream(t.Context(), "5", "att9")
	if err != nil {
		t.Fatalf("DownloadStream: %v", err)
	}
	defer f.Body.Close()
	n, err := io.Copy(io.Discard, f.Body)
	if f.Size != -1 || n != 3000 || !errors.Is(err, confluence.ErrResponseTooLarge) {
		t.Errorf("size %d, read %d, %v; want -1, 3000, ErrResponseTooLarge", f.Size, n, err)
	}
}

// Errors before the body come as before: a missing attachment is ErrNotFound, and nothing is
// left open.
func TestDownloadStreamNotFound(t *testing.T) {
	t.Parallel()
	c, _, _ := newTestClient(t, http.NotFoundHandler(), nil)
	if f, _, err := c.Attachments.DownloadStream(t.Context(), "5", "att9"); !errors.Is(err, confluence.ErrNotFound) || f != nil {
		t.Errorf("DownloadStream = %v, %v; want ErrNotFound", f, err)
	}
}
