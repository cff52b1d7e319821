package graph

import (
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

func toPage(p *loaders.Page) *model.Page {
	if p == nil {
		return nil
	}
	out := &model.Page{
		ID:       p.ID,
		Title:    p.Title,
		Partial:  p.Partial,
		ParentID: p.ParentID,
		SpaceID:  p.SpaceID,
		Status:   toStatus(p.Status),
		URL:      p.WebURL,
		AuthorID: p.AuthorID,
		Created:  p.Created,
	}
	if !p.Partial {
		out.Current = toVersion(p.ID, p.Version)
	}
	return out
}

func toVersion(pageID string, v loaders.Version) *model.Version {
	return &model.Version{
		PageID:    pageID,
		Number:    v.Number,
		Message:   strPtr(v.Message),
		MinorEdit: v.MinorEdit,
		CreatedAt: v.CreatedAt,
		AuthorID:  v.AuthorID,
	}
}

func toStatus(s string) model.ContentStatus {
	switch strings.ToLower(s) {
	case "current", "":
		return model.ContentStatusCurrent
	case "archived":
		return model.ContentStatusArchived
	case "draft":
		return model.ContentStatusDraft
	case "trashed":
		return model.ContentStatusTrashed
	}
	return model.ContentStatusOther
}

func toSpace(s *loaders.Space) *model.Space {
	if s == nil {
		return nil
	}
	return &model.Space{
		ID:          s.ID,
		Key:         s.Key,
		Name:        s.Name,
		Type:        toSpaceType(s.Type),
		Status:      s.Status,
		URL:         s.WebURL,
		Description: strPtr(s.Description),
		HomepageID:  s.HomepageID,
	}
}

func toSpaceType(t string) model.SpaceType {
	switch strings.ToLower(t) {
	case "global", "":
		return model.SpaceTypeGlobal
	case "personal":
		return model.SpaceTypePersonal
	case "collaboration":
		return model.SpaceTypeCollaboration
	case "knowledge_base":
		return model.SpaceTypeKnowledgeBase
	}
	return model.SpaceTypeOther
}

// fromSpaceType is the upstream filter value of a SpaceType ("" for OTHER: no filter).
func fromSpaceType(t model.SpaceType) string {
	if t == model.SpaceTypeOther {
		return ""
	}
	return strings.ToLower(string(t))
}

func toUser(u *loaders.User) *model.User {
	if u == nil {
		return nil
	}
	return &model.User{AccountID: u.AccountID, DisplayName: strPtr(u.DisplayName), Email: strPtr(u.Email)}
}

func toLabel(l loaders.Label) *model.Label {
	prefix := l.Prefix
	if prefix == "" {
		prefix = "global"
	}
	return &model.Label{ID: l.ID, Name: l.Name, Prefix: prefix}
}

func toComment(c loaders.Comment) *model.Comment {
	kind := model.CommentKindFooter
	if c.Kind == loaders.CommentInline {
		kind = model.CommentKindInline
	}
	out := &model.Comment{
		ID:        c.ID,
		Kind:      kind,
		AuthorID:  c.AuthorID,
		CreatedAt: c.CreatedAt,
		Storage:   c.Storage,
	}
	if kind == model.CommentKindInline {
		out.ResolutionStatus = strPtr(c.ResolutionStatus)
		out.HighlightedText = strPtr(c.Selection)
	}
	return out
}

func toAttachment(a loaders.Attachment) *model.Attachment {
	out := &model.Attachment{
		ID:          a.ID,
		Title:       a.Title,
		MediaType:   a.MediaType,
		Comment:     strPtr(a.Comment),
		CreatedAt:   a.CreatedAt,
		Version:     a.Version,
		AuthorID:    a.AuthorID,
		DownloadURL: a.DownloadURL,
		WebURL:      a.WebURL,
	}
	if a.FileSize >= 0 && a.FileSize <= 1<<31-1 {
		n := int(a.FileSize)
		out.FileSize = &n
	}
	return out
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
