package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/attachtext"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
	"github.com/confluence-graph/confluence-graph/server"
	"github.com/confluence-graph/confluence-graph/settings"
)

const fiftyMB = 50 << 20

// bigFile is a 50 MB file on the demo page 100031.
func bigFile() confluencetest.Attachment {
	return confluencetest.Attachment{ID: "att397001", PageID: "100031", Title: "orders-db dump.bin", MediaType: "application/octet-stream",
		Content: bytes.Repeat([]byte("0123456789abcdef"), fiftyMB/16)}
}

// downloadService is the whole service (serve's defaults, a cap of maxBytes) over a simulator
// holding files, with tenant-a connected; it returns the download URL of files[0] and a key.
func downloadService(tb testing.TB, maxBytes int64, files ...confluencetest.Attachment) (u, key string) {
	tb.Helper()
	sim := testsupport.StartSim(tb)
	if err := sim.Seed(confluencetest.Dataset{Attachments: files}); err != nil {
		tb.Fatal(err)
	}
	cfg := testsupport.Config(tb, sim.Host(), nil)
	cfg.Server.MaxAttachmentBytes = maxBytes
	a := testsupport.NewService(tb, cfg)
	hs := httptest.NewServer(a.Handler())
	tb.Cleanup(hs.Close)
	testsupport.Connect(tb, a.Settings(), "tenant-a", sim.Host(), sim.Account("classic"))
	return hs.URL + "/attachments/" + files[0].ID + "/download", testsupport.MustKey(tb, a.Store(), "tenant-a", settings.RoleReader)
}

// sameBytes compares what is written to it with want, without holding a copy.
type sameBytes struct {
	want []byte
	off  int
	diff bool
}

func (s *sameBytes) Write(p []byte) (int, error) {
	if s.off+len(p) > len(s.want) || !bytes.Equal(p, s.want[s.off:s.off+len(p)]) {
		s.diff = true
	}
	s.off += len(p)
	return len(p), nil
}

// getFile GETs u with key and copies the body to w: the response (body closed) and the copy's
// error.
func getFile(tb testing.TB, u, key string, w io.Writer) (*http.Response, int64, error) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	return resp, n, err
}

// A 50 MB file passes through the route in bounded memory: the whole process (simulator, service
// and client together) allocates a small fraction of the file while it is downloaded, with the
// headers the attachment names. (The route used to hold the file whole: 100 MB and more.)
func TestDownloadStreamsInBoundedMemory(t *testing.T) {
	f := bigFile()
	u, key := downloadService(t, 64<<20, f)
	// A first download warms the connection pools, so the measure counts the file only.
	if resp, _, err := getFile(t, u, key, io.Discard); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("first download: %d, %v", resp.StatusCode, err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cmp := &sameBytes{want: f.Content}
	resp, n, err := getFile(t, u, key, cmp)
	runtime.ReadMemStats(&after)
	if err != nil || resp.StatusCode != http.StatusOK || n != fiftyMB || cmp.diff {
		t.Fatalf("download: %d, %d bytes (differ: %v), %v; want the 50 MB file", resp.StatusCode, n, cmp.diff, err)
	}
	if resp.Header.Get("Content-Length") != strconv.Itoa(fiftyMB) || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="orders-db dump.bin"`) {
		t.Errorf("headers = %v, want the attachment's length, type and name", resp.Header)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB for a 50 MB download", alloc>>10)
	if alloc > 8<<20 {
		t.Errorf("allocated %d MiB for a 50 MB download, want under 8 MiB (streamed)", alloc>>20)
	}
}

// BenchmarkDownload50MB measures one 50 MB download through the route: B/op is what the whole
// process allocates for it.
func BenchmarkDownload50MB(b *testing.B) {
	u, key := downloadService(b, 64<<20, bigFile())
	b.SetBytes(fiftyMB)
	b.ReportAllocs()
	for b.Loop() {
		if resp, n, err := getFile(b, u, key, io.Discard); err != nil || resp.StatusCode != http.StatusOK || n != fiftyMB {
			b.Fatalf("download: %d, %d bytes, %v", resp.StatusCode, n, err)
		}
	}
}

// sizeless is a front for the simulator that hides a file's size, as Confluence does not promise
// it: no fileSize in attachment records, no Content-Length on the media host's answer (sent
// chunked), and the download redirect pointed at the front so the media answer passes it too.
func sizeless(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/wiki/api/v2/attachments/"):
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var m map[string]any
			if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &m) == nil {
				delete(m, "fileSize")
				b, _ := json.Marshal(m)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(b)
				return
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		case strings.HasSuffix(r.URL.Path, "/download"):
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			if loc := rec.Header().Get("Location"); loc != "" {
				i := strings.Index(loc, "/media/")
				w.Header().Set("Location", "http://"+r.Host+loc[i:])
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		case strings.HasPrefix(r.URL.Path, "/media/"):
			next.ServeHTTP(noLength{w}, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// noLength drops Content-Length, so the answer is sent chunked.
type noLength struct{ http.ResponseWriter }

func (w noLength) WriteHeader(code int) {
	w.Header().Del("Content-Length")
	w.ResponseWriter.WriteHeader(code)
}

func (w noLength) Write(p []byte) (int, error) {
	if w.Header().Get("Content-Length") != "" {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(p)
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	return n, err
}

// A file whose size nobody reports is sent chunked; past the cap the transfer is cut: the client
// gets at most the cap's bytes and an error, never what looks like a whole file. One under the
// cap arrives whole.
func TestDownloadOfUnknownSizeIsCutVisibly(t *testing.T) {
	s := newStack(t, stackOptions{front: sizeless, server: server.Config{MaxAttachmentBytes: 1000}})
	big := confluencetest.Attachment{ID: "att397002", PageID: "100031", Title: "lag.log", MediaType: "text/plain", Content: bytes.Repeat([]byte("lag 1200ms\n"), 500)}
	small := confluencetest.Attachment{ID: "att397003", PageID: "100031", Title: "ok.log", MediaType: "text/plain", Content: []byte("lag 10ms\n")}
	if err := s.sim.Seed(confluencetest.Dataset{Attachments: []confluencetest.Attachment{big, small}}); err != nil {
		t.Fatal(err)
	}
	s.connect("tenant-a", "classic")
	key := s.key("tenant-a", settings.RoleReader)

	var got bytes.Buffer
	resp, n, err := getFile(t, s.http.URL+"/attachments/"+big.ID+"/download", key, &got)

	if resp.StatusCode != http.StatusOK || resp.ContentLength != -1 || !errors.Is(err, io.ErrUnexpectedEOF) || n > 1000 {
		t.Errorf("over the cap: %d (length %d), %d bytes, %v; want 200 chunked, at most 1000 bytes, io.ErrUnexpectedEOF", resp.StatusCode, resp.ContentLength, n, err)
	}
	if !bytes.HasPrefix(big.Content, got.Bytes()) {
		t.Errorf("the bytes sent are not the file's start")
	}
	if logs := s.logs.String(); !strings.Contains(logs, "download cut at the size cap") || !strings.Contains(logs, big.ID) {
		t.Errorf("no log of the cut download:\n%s", logs)
	}

	got.Reset()
	resp, n, err = getFile(t, s.http.URL+"/attachments/"+small.ID+"/download", key, &got)
	if err != nil || resp.StatusCode != http.StatusOK || resp.ContentLength != -1 || got.String() != "lag 10ms\n" || n != 9 {
		t.Errorf("under the cap: %d (length %d) %q, %v; want 200 chunked with the file", resp.StatusCode, resp.ContentLength, got.String(), err)
	}
}

// Attachment.text of a text file over the cap is the text of its first part, truncated, with the
// cut marker; a PDF over the cap is BAD_USER_INPUT naming the cap, refused without a download.
func TestAttachmentTextOverTheCap(t *testing.T) {
	s := newStack(t, stackOptions{server: server.Config{MaxAttachmentBytes: 500}})
	log := confluencetest.Attachment{ID: "att397004", PageID: "100031", Title: "failover.log", MediaType: "text/plain",
		Content: bytes.Repeat([]byte("09:31 failover to orders-db-2\n"), 100)}
	if err := s.sim.Seed(confluencetest.Dataset{Attachments: []confluencetest.Attachment{log}}); err != nil {
		t.Fatal(err)
	}
	s.connect("tenant-a", "classic")
	key := s.key("tenant-a", settings.RoleReader)
	got := s.post(key, `{ page(id: "100031") { attachments(mediaType: "text/plain") { nodes { title text { text truncated incomplete totalChars format } } } } }`, nil)
	var txt map[string]any
	page, _ := got.Data["page"].(map[string]any)
	atts, _ := page["attachments"].(map[string]any)
	nodes, _ := atts["nodes"].([]any)
	for _, n := range nodes {
		if m := n.(map[string]any); m["title"] == log.Title {
			txt, _ = m["text"].(map[string]any)
		}
	}
	text, _ := txt["text"].(string)
	marker := attachtext.CutMarker(500)
	if len(got.Errors) != 0 || txt["truncated"] != true || txt["incomplete"] != true || !strings.HasSuffix(text, marker) ||
		strings.TrimSuffix(text, marker) != string(log.Content[:500]) {
		t.Errorf("text over the cap = %s, want the first 500 bytes, the marker, truncated and incomplete", got.Raw)
	}

	s.sim.ResetStats()
	got = s.post(key, `{ page(id: "100031") { attachments(mediaType: "application/pdf") { nodes { title text { text } } } } }`, nil)
	if got.code() != "BAD_USER_INPUT" || !strings.Contains(got.message(), "500-byte") || !strings.Contains(got.message(), "PDF") {
		t.Errorf("PDF over the cap: %s, want BAD_USER_INPUT naming the 500-byte limit", got.Raw)
	}
	if n := s.sim.Count("GET /wiki/rest/api/content/{id}/child/attachment/{att}/download"); n != 0 {
		t.Errorf("PDF over the cap: %d downloads, want 0", n)
	}
}
