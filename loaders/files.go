package loaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/confluence-graph/confluence-graph/attachtext"
	"github.com/confluence-graph/confluence-graph/confluence"
)

// Attachment files: one attachment by id, its bytes as a stream, and its extracted text.
// Downloads are capped at Config.MaxAttachmentBytes and never held whole in memory; extracted
// text is kept across requests by attachment id and version (a version's file never changes).

// FileStream is an attachment download in progress; the caller must close Body.
type FileStream struct {
	ContentType string // as the download answered it
	// Size is the file's length: what the media host announced, else the attachment's
	// fileSize; -1 when neither is known.
	Size int64
	Body io.ReadCloser
}

// FileTooLargeError is returned for an attachment larger than Config.MaxAttachmentBytes.
type FileTooLargeError struct {
	ID    string
	Title string
	Size  int64 // the file's size; 0 when Confluence did not report it
	Limit int64
	// WholeFile reports a refusal of text extraction, whose format (PDF, DOCX) needs the
	// whole file where other formats' text is read from the first Limit bytes.
	WholeFile bool
}

func (e *FileTooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("loaders: attachment %s (%s) has %d bytes, over the %d-byte download limit", e.ID, e.Title, e.Size, e.Limit)
	}
	return fmt.Sprintf("loaders: attachment %s (%s) is over the %d-byte download limit", e.ID, e.Title, e.Limit)
}

// maxCachedText is the largest extracted text (in bytes) kept across requests; larger texts are
// extracted again when asked for.
const maxCachedText = 4 << 20

// MaxAttachmentBytes is the download cap of these loaders (Config.MaxAttachmentBytes, or
// attachtext.DefaultMaxBytes when unset).
func (l *Loaders) MaxAttachmentBytes() int64 {
	if l.cfg.MaxAttachmentBytes > 0 {
		return l.cfg.MaxAttachmentBytes
	}
	return attachtext.DefaultMaxBytes
}

// SiteURL returns the tenant's site ("https://acme.atlassian.net"), binding the request to its
// Confluence if it is not yet; no upstream call.
func (l *Loaders) SiteURL(ctx context.Context) (string, error) {
	if l == nil {
		return "", ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return "", err
	}
	return up.SiteURL(), nil
}

// AttachmentByID returns one attachment by id: one call. An attachment the tenant's Confluence
// does not have (or does not show the connected account), or one on content the read policy
// hides, gives the same *NotFoundError (Kind "attachment"), which matches confluence.ErrNotFound.
func (l *Loaders) AttachmentByID(ctx context.Context, id string) (*Attachment, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	a, err := up.Attachment(ctx, id)
	if ce, ok := errors.AsType[*confluence.Error](err); ok && ce.Status == http.StatusNotFound {
		// The same error as one the read policy hides, so the two cannot be told apart.
		return nil, &NotFoundError{Kind: "attachment", Key: id}
	}
	if err != nil {
		return nil, err
	}
	if err := l.checkContainer(ctx, a.PageID, id); err != nil {
		return nil, err
	}
	return &a, nil
}

// OpenFile starts the download of a (one download; Confluence redirects it to its media host)
// and returns its body unread, for the caller to pass on and close. A file larger than
// MaxAttachmentBytes is refused with *FileTooLargeError before any byte is read when its size
// is known (the attachment's fileSize, else the media host's Content-Length); otherwise Body
// fails with *FileTooLargeError once the cap is passed, after yielding the cap's bytes.
func (l *Loaders) OpenFile(ctx context.Context, a *Attachment) (*FileStream, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	limit := l.MaxAttachmentBytes()
	tooLarge := &FileTooLargeError{ID: a.ID, Title: a.Title, Limit: limit}
	if a.FileSize != nil && int64(*a.FileSize) > limit {
		tooLarge.Size = int64(*a.FileSize)
		return nil, tooLarge
	}
	fs, err := l.download(ctx, a)
	if err != nil {
		return nil, err
	}
	if fs.Size > limit {
		_ = fs.Body.Close()
		tooLarge.Size = fs.Size
		return nil, tooLarge
	}
	fs.Body = &cappedBody{rc: fs.Body, left: limit, tooLarge: tooLarge}
	return fs, nil
}

// download opens a's file with no cap of the loaders' own (the upstream's applies).
func (l *Loaders) download(ctx context.Context, a *Attachment) (*FileStream, error) {
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	fs, err := up.Download(ctx, a.PageID, a.ID)
	if err != nil {
		return nil, err
	}
	if fs.Size < 0 && a.FileSize != nil && *a.FileSize > 0 {
		// 0 is also what a record without fileSize decodes to: not a size to promise.
		fs.Size = int64(*a.FileSize)
	}
	return &fs, nil
}

// AttachmentText returns the whole extracted text of a (attachtext.Extract with no window;
// callers cut it with Text.Window). A type no extractor reads gives *attachtext.UnsupportedError
// before anything is downloaded. A file over MaxAttachmentBytes is read up to the cap only: a
// text, CSV, JSON, YAML, log, Markdown or HTML file gives the text of that first part, marked
// Incomplete and ending with attachtext.CutMarker; a PDF or DOCX, which needs the whole file,
// gives *FileTooLargeError (refused before downloading when its size is known) or
// *attachtext.TooLargeError. The text is cached across requests by the tenant, the attachment
// id and its version.
func (l *Loaders) AttachmentText(ctx context.Context, a *Attachment) (attachtext.Text, error) {
	if l == nil {
		return attachtext.Text{}, ErrNoLoaders
	}
	if err := attachtext.CheckType(a.MediaType, a.Title); err != nil {
		return attachtext.Text{}, err
	}
	key := entryKey{Kind: entryText, ID: a.ID, Version: a.Version}
	if a.Version > 0 {
		if v, ok := l.cached(key); ok {
			return v.(attachtext.Text), nil
		}
	}
	limit := l.MaxAttachmentBytes()
	whole := attachtext.NeedsWholeFile(a.MediaType, a.Title)
	tooLarge := &FileTooLargeError{ID: a.ID, Title: a.Title, Limit: limit, WholeFile: true}
	if whole && a.FileSize != nil && int64(*a.FileSize) > limit {
		tooLarge.Size = int64(*a.FileSize)
		return attachtext.Text{}, tooLarge
	}
	fs, err := l.download(ctx, a)
	if err != nil {
		return attachtext.Text{}, err
	}
	defer func() { _ = fs.Body.Close() }()
	if whole && fs.Size > limit {
		tooLarge.Size = fs.Size
		return attachtext.Text{}, tooLarge
	}
	mt := a.MediaType
	if mt == "" {
		mt = fs.ContentType
	}
	// Extract reads at most limit+1 bytes and stops; closing the body then ends the download.
	txt, err := attachtext.Extract(ctx, &overflowByte{r: fs.Body}, mt, a.Title, attachtext.Options{MaxBytes: limit})
	if err != nil {
		return attachtext.Text{}, err
	}
	if a.Version > 0 && len(txt.Text) <= maxCachedText {
		l.putImmutable(key, txt)
	}
	return txt, nil
}
