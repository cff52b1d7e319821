package graph

import (
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// The entities (pages, spaces, versions, comments, attachments, users, labels) need no
// conversion here: the loaders return graph/model's types, mapped once from the confluence
// client's answers in loaders/client_map.go. What remains are search hits and arguments.

// ptrTo returns a pointer to a copy of v; connections use it to turn list items into nodes.
func ptrTo[T any](v T) *T { return &v }

// fromSpaceType is the upstream filter value of a SpaceType ("" for OTHER: no filter).
func fromSpaceType(t model.SpaceType) string {
	if t == model.SpaceTypeOther {
		return ""
	}
	return strings.ToLower(string(t))
}

func toSearchResult(h loaders.SearchHit) *model.SearchResult {
	return &model.SearchResult{
		Type:         toContentType(h.Type),
		Title:        h.Title,
		Excerpt:      strPtr(h.Excerpt),
		URL:          h.URL,
		ContentID:    h.ContentID,
		SpaceKey:     h.SpaceKey,
		LastModified: timeOrNil(h.LastModified),
	}
}

func toContentType(t string) model.ContentType {
	ct := model.ContentType(strings.ToUpper(t))
	if ct.IsValid() {
		return ct
	}
	return model.ContentTypeOther
}

// timePtr returns &t.
func timePtr(t time.Time) *time.Time { return &t }

// timeOrNil returns nil for the zero time and &t otherwise (as strPtr does for "").
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
