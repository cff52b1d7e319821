package loaders

import "context"

// Search: one call per result page; with the page hits' current storage bodies when asked, which
// prime the body loader.

// SearchRequest asks for the first First hits of a CQL search.
type SearchRequest struct {
	SearchQuery
	First int
	From  ListFrom // where the hits start; Resume has no other effect here
}

// searchBodyCap is the most rows v1 search returns per call with a body expansion.
const searchBodyCap = 50

// Search runs a CQL query from r.From (its first result by default); the bool reports more hits
// after these, and SearchPage.Next is the cursor right after them when the read ended there.
//
// With WithBodies (and First <= 50, Confluence's row cap when bodies are expanded) the search
// also brings the current storage body of every page hit and primes the body loader with it, so
// `page { body }` on the hits costs no further call.
func (l *Loaders) Search(ctx context.Context, r SearchRequest) (SearchPage, bool, error) {
	if l == nil {
		return SearchPage{}, false, ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return SearchPage{}, false, err
	}
	q := r.SearchQuery
	q.WithBodies = q.WithBodies && r.First <= searchBodyCap
	cqlText, policy, err := l.policyCQL(ctx, q.CQL)
	if err != nil {
		return SearchPage{}, false, err
	}
	q.CQL, q.WithContainers = cqlText, q.WithContainers || policy.RestrictsLabels()
	var total int
	var ran string
	list, err := collectFrom(ctx, r.From.Cursor, r.First, func(opt ListOptions) ([]SearchHit, string, error) {
		sp, err := up.Search(ctx, q, opt)
		if ran == "" {
			total, ran = sp.Total, sp.CQL
		}
		return sp.Hits, sp.Next, err
	})
	if err != nil {
		return SearchPage{}, false, err
	}
	if ran == "" {
		ran = q.CQL
	}
	if list.Items, err = l.filterHits(ctx, policy, list.Items); err != nil {
		return SearchPage{}, false, err
	}
	for _, h := range list.Items {
		if !h.HasBody || h.ContentID == "" {
			continue
		}
		p := Page{ID: h.ContentID, Title: h.Title, Partial: true, Body: h.Body, Current: Version{PageID: h.ContentID, Number: h.Version}}
		if h.Type == "blogpost" {
			p.Content, p.Current.Kind = KindBlogPost, KindBlogPost
		}
		l.primeBody(ctx, p, "storage", true)
		l.cacheBody(p, "storage")
	}
	return SearchPage{Hits: list.Items, Next: list.Next, Total: total, CQL: ran}, list.More, nil
}
