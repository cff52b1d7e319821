package confluence

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// ExpandedArray is an expanded v1 collection: at most Limit items, with
// Complete reporting whether Results is the whole collection.
type ExpandedArray[T any] struct {
	Results []T        `json:"results"`
	Start   int        `json:"start"`
	Limit   int        `json:"limit"`
	Size    int        `json:"size"`
	Links   ArrayLinks `json:"_links"`
}

// Complete reports whether Results holds every item of the collection: there is no next link
// and the collection is not full (a collection of exactly Limit items may have been cut without
// a next link, so it counts as incomplete). A nil array is not complete.
func (a *ExpandedArray[T]) Complete() bool {
	if a == nil || a.Links.Next != "" {
		return false
	}
	return a.Limit <= 0 || max(a.Size, len(a.Results)) < a.Limit
}

// ContentArray is an expanded v1 collection of content, such as the children.comment or
// children.attachment expansion of a content search row (at most 25 items for children).
type ContentArray = ExpandedArray[Content]

// LabelArray is the metadata.labels expansion of v1 content (at most 200 labels on Cloud).
type LabelArray = ExpandedArray[Label]

// ArrayLinks are the _links of an expanded v1 collection. Next is set when the collection
// continues past the expansion, relative to the wiki base.
type ArrayLinks struct {
	Next string `json:"next,omitempty"`
	Self string `json:"self,omitempty"`
	Base string `json:"base,omitempty"`
}

// ContentChildren is the children expansion of v1 content: children.page, children.comment
// and children.attachment. A page's children.comment holds its top-level comments only (Cloud
// ignores depth); a comment's holds its direct replies. A member is nil when it was not expanded.
type ContentChildren struct {
	Page       *ContentArray `json:"page,omitempty"`
	Comment    *ContentArray `json:"comment,omitempty"`
	Attachment *ContentArray `json:"attachment,omitempty"`
}

// ContentExtensions are the type-specific extensions of v1 content. Which members are set
// depends on the content type: Position on pages, Location, InlineProperties and Resolution on
// comments, MediaType, FileSize and Comment on attachments.
type ContentExtensions struct {
	// Position is a page's position among its siblings; nil when Confluence reports none
	// (it may send the string "none").
	Position *int `json:"-"`
	// Location is a comment's kind: footer or inline (resolved inline comments may say so).
	Location string `json:"location,omitempty"`
	// InlineProperties locate an inline comment in its page.
	InlineProperties *ContentInlineProperties `json:"inlineProperties,omitempty"`
	// Resolution is an inline comment's resolution.
	Resolution *CommentResolution `json:"resolution,omitempty"`
	// MediaType is an attachment's media type, e.g. image/png.
	MediaType            string `json:"mediaType,omitempty"`
	MediaTypeDescription string `json:"mediaTypeDescription,omitempty"`
	// FileSize is an attachment's size in bytes; nil when not reported.
	FileSize *int64 `json:"fileSize,omitempty"`
	// Comment is an attachment's comment.
	Comment string `json:"comment,omitempty"`
	FileID  string `json:"fileId,omitempty"`
}

// UnmarshalJSON accepts a numeric or string position; a non-numeric one ("none") is nil.
func (e *ContentExtensions) UnmarshalJSON(b []byte) error {
	type plain ContentExtensions
	aux := struct {
		*plain
		Position json.RawMessage `json:"position"`
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	e.Position = nil
	if p := bytes.Trim(bytes.TrimSpace(aux.Position), `"`); len(p) > 0 {
		if n, err := strconv.Atoi(string(p)); err == nil {
			e.Position = &n
		}
	}
	return nil
}

// ContentInlineProperties are the v1 inline properties of an inline comment.
type ContentInlineProperties struct {
	// OriginalSelection is the page text the comment was made on.
	OriginalSelection string `json:"originalSelection,omitempty"`
	MarkerRef         string `json:"markerRef,omitempty"`
}

// CommentResolution is the v1 resolution of an inline comment.
type CommentResolution struct {
	// Status is open, reopened, resolved or dangling.
	Status           string    `json:"status"`
	LastModifier     *User     `json:"lastModifier,omitempty"`
	LastModifiedDate time.Time `json:"lastModifiedDate"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (r *CommentResolution) UnmarshalJSON(b []byte) error { return decodeLenient(b, r) }
