package loaders

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/confluence-graph/confluence-graph/attachtext"
	"github.com/confluence-graph/confluence-graph/confluence"
)

// Attachment files: one attachment by id, its bytes, and its extracted text. Downloads are
// capped at Config.MaxAttachmentBytes; extracted text is kept across requests by attachment id
// and version (a version's file never changes).

// File is a downloaded attachment.
type File struct {
	ContentType string // as the download answered it
	Data        []byte
}

// FileTooLargeError is returned for an attachment larger than Config.MaxAttachmentBytes.
type FileTooLargeError struct {
	ID    string
	Title string
	Size  int64 // the file's size; 0 when Confluence did not report it
	Limit int64
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
// does not have (or does not show the connected account) gives an error matching
// confluence.ErrNotFound.
func (l *Loaders) AttachmentByID(ctx context.Context, id string) (*Attachment, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	a, err := up.Attachment(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := l.checkContainer(ctx, a.PageID, id); err != nil {
		return nil, err
	}
	return &a, nil
}

// Download returns the bytes of a: one download (Confluence redirects it to its media host).
// A file known to be larger than MaxAttachmentBytes is refused before downloading, one that
// turns out larger while downloading when the cap is reached; both with *FileTooLargeError.
func (l *Loaders) Download(ctx context.Context, a *Attachment) (*File, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	limit := l.MaxAttachmentBytes()
	tooLarge := &FileTooLargeError{ID: a.ID, Title: a.Title, Limit: limit}
	if a.FileSize != nil && int64(*a.FileSize) > limit {
		tooLarge.Size = int64(*a.FileSize)
		return nil, tooLarge
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	f, err := up.Download(ctx, a.PageID, a.ID)
	if errors.Is(err, confluence.ErrResponseTooLarge) {
		return nil, tooLarge
	}
	if err != nil {
		return nil, err
	}
	if int64(len(f.Data)) > limit {
		tooLarge.Size = int64(len(f.Data))
		return nil, tooLarge
	}
	return &f, nil
}

// AttachmentText returns the whole extracted text of a (attachtext.Extract with no window;
// callers cut it with Text.Window). A type no extractor reads gives *attachtext.UnsupportedError
// before anything is downloaded; see Download and attachtext.Extract for the other errors. The
// text is cached across requests by the tenant, the attachment id and its version.
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
	f, err := l.Download(ctx, a)
	if err != nil {
		return attachtext.Text{}, err
	}
	mt := a.MediaType
	if mt == "" {
		mt = f.ContentType
	}
	txt, err := attachtext.Extract(ctx, bytes.NewReader(f.Data), mt, a.Title, attachtext.Options{MaxBytes: l.MaxAttachmentBytes()})
	if err != nil {
		return attachtext.Text{}, err
	}
	if a.Version > 0 && len(txt.Text) <= maxCachedText {
		l.putImmutable(key, txt)
	}
	return txt, nil
}
