package graph

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/confluence-graph/confluence-graph/attachtext"
	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// Attachments: the download link of this service and the extracted text of a file.

type publicURLKey struct{}

// WithPublicURL returns a context carrying the service's public base URL ("https://graph.example.com",
// no trailing slash), which downloadUrl answers are built on. The server sets it per request.
func WithPublicURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, publicURLKey{}, strings.TrimRight(base, "/"))
}

// DownloadPath is the path of this service's download route for attachment id.
func DownloadPath(id string) string {
	return "/attachments/" + url.PathEscape(id) + "/download"
}

// attachmentDownloadURL is the service's download route for obj, absolute when the context
// carries the public base URL (WithPublicURL), else the path alone.
func attachmentDownloadURL(ctx context.Context, obj *model.Attachment) string {
	base, _ := ctx.Value(publicURLKey{}).(string)
	return base + DownloadPath(obj.ID)
}

// attachmentText extracts obj's text (cached by attachment id and version) and returns the
// window offset and maxChars select. A text-like file over the download limit gives the text
// of its first part, ending with attachtext.CutMarker, incomplete and truncated.
func attachmentText(ctx context.Context, obj *model.Attachment, maxChars, offset *int) (*model.AttachmentText, error) {
	limit, off := 0, 0
	if maxChars != nil {
		if *maxChars < 1 {
			return nil, inputErrorf("maxChars", "maxChars must be at least 1, got %d", *maxChars)
		}
		limit = *maxChars
	}
	if offset != nil {
		if *offset < 0 {
			return nil, inputErrorf("offset", "offset must be 0 or more, got %d", *offset)
		}
		off = *offset
	}
	txt, err := loaders.For(ctx).AttachmentText(ctx, obj)
	if err != nil {
		return nil, err
	}
	w := txt.Window(off, limit)
	// Text of a file read only in part (over the download limit) is followed by the rest of
	// the file: truncated, whatever the window.
	return &model.AttachmentText{Text: w.Text, Truncated: w.Truncated || w.Incomplete, TotalChars: w.TotalChars,
		Incomplete: w.Incomplete, Format: w.Format}, nil
}

// attachmentError returns the message of a file that cannot be downloaded or read (the
// presenter shows it as BAD_USER_INPUT), or "" for other errors.
func attachmentError(err error) string {
	var (
		unsupported *attachtext.UnsupportedError
		docTooLarge *attachtext.TooLargeError
		document    *attachtext.DocumentError
		tooLarge    *loaders.FileTooLargeError
	)
	switch {
	case errors.As(err, &unsupported):
		t := unsupported.MediaType
		if t == "" {
			t = "an unknown type"
		}
		return fmt.Sprintf("cannot extract text from %s (%s): text is available for text, Markdown, CSV, JSON, YAML, log, HTML, PDF and DOCX files", unsupported.Filename, t)
	case errors.As(err, &tooLarge) && tooLarge.WholeFile:
		return fmt.Sprintf("attachment %s (%s) is larger than the %d-byte download limit, and the text of a PDF or DOCX file needs the whole file", tooLarge.ID, tooLarge.Title, tooLarge.Limit)
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("attachment %s (%s) is larger than the %d-byte download limit", tooLarge.ID, tooLarge.Title, tooLarge.Limit)
	case errors.As(err, &docTooLarge):
		return fmt.Sprintf("the %s file is larger than the %d-byte download limit, and the text of a PDF or DOCX file needs the whole file", docTooLarge.Format, docTooLarge.Limit)
	case errors.Is(err, attachtext.ErrEncrypted):
		return "the document is encrypted; its text cannot be read"
	case errors.As(err, &document):
		return fmt.Sprintf("the %s file cannot be read: %v", document.Format, document.Err)
	}
	return ""
}
