package confluence

import (
	"context"
	"iter"
)

// LabelsService reads labels (v2).
type LabelsService service

// Label is a content or space label.
type Label struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Prefix string `json:"prefix"` // global, my, team, system
}

// EmbeddedLabels is a label list embedded in a single object (at most 50).
type EmbeddedLabels struct {
	Results []Label `json:"results"`
	Meta    struct {
		HasMore bool   `json:"hasMore"`
		Cursor  string `json:"cursor"`
	} `json:"meta"`
}

// LabelListOptions are the parameters of the label lists.
type LabelListOptions struct {
	Prefix string // global, my, team, system
	Sort   string // created-date, id, name (optional -)
	ListOptions
}

func labelsRequest(kind, id string, o *LabelListOptions) *request {
	q := query{}
	if o != nil {
		q.str("prefix", o.Prefix)
		q.str("sort", o.Sort)
		o.ListOptions.apply(q)
	}
	return getRoute("/wiki/api/v2/"+kind+"/{id}/labels", q, id)
}

// ListForPage returns one page of a page's labels.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/labels
func (s *LabelsService) ListForPage(ctx context.Context, pageID string, opts *LabelListOptions) ([]Label, *Response, error) {
	return list[Label](ctx, s.client, labelsRequest("pages", pageID, opts))
}

// ListForPageIter yields every label of a page.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/labels
func (s *LabelsService) ListForPageIter(ctx context.Context, pageID string, opts *LabelListOptions) iter.Seq2[Label, error] {
	return iterate[Label](ctx, s.client, labelsRequest("pages", pageID, opts))
}
