package graph

import (
	"context"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// Correlation limits: related returns at most maxRelated items; each query asks for up to
// its own number of hits, and the union is re-ranked locally.
const (
	maxRelated     = 50
	broadHits      = 50 // the any-word text query
	narrowHits     = 25 // alert name verbatim, titles, kind labels, recent reviews
	maxTitleTerms  = 8
	reviewsWindow  = 365 // days of post-incident reviews the recent-reviews query looks at
	maxQueryPhrase = 6   // alert name, error codes and hosts sent verbatim
)

// kindLabels are the labels that mark operational documentation, by kind.
var kindLabels = map[model.ContentKind][]string{
	model.ContentKindRunbook:      {"runbook", "runbooks"},
	model.ContentKindPostmortem:   {"postmortem", "post-mortem", "pir", "post-incident-review", "incident-review"},
	model.ContentKindKnownIssue:   {"known-issue", "known-issues", "knownissue", "known_issue"},
	model.ContentKindPlaybook:     {"playbook", "playbooks"},
	model.ContentKindArchitecture: {"architecture", "adr", "design"},
}

// related answers Query.related: it extracts the incident's signals, sends at most four CQL
// searches in parallel (built with the cql builder, so no field of the incident can change a
// query's structure), and ranks their union locally with reasons.
func related(ctx context.Context, in model.IncidentInput, first *int, kinds []model.ContentKind, spaces []string) (*model.RelatedConnection, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	n := 10
	if first != nil {
		n = *first
	}
	if n < 1 || n > maxRelated {
		return nil, inputErrorf("first", "first must be between 1 and %d, got %d", maxRelated, n)
	}
	if err := validateIncident(in); err != nil {
		return nil, err
	}
	for _, k := range spaces {
		if strings.TrimSpace(k) == "" {
			return nil, inputErrorf("spaces", "a space key is empty")
		}
	}
	sig := extractSignals(in)
	if sig.empty() {
		return nil, inputErrorf("incident", "the incident has no word to search for: the title, alert name and description hold only stop words or punctuation")
	}
	qs, err := correlationQueries(sig, spaces, kinds)
	if err != nil {
		return nil, err
	}
	hits := make([][]loaders.SearchHit, len(qs))
	// Bodies asked of the answer ride on the searches (and prime the body loader), so reading
	// the top hits costs no bulk page read of its own.
	withBodies := false
	for _, typ := range []string{"Page", "BlogPost"} {
		withBodies = withBodies || selects(ctx, "RelatedConnection", "nodes", "RelatedContent", "content", typ, "body") ||
			selects(ctx, "RelatedConnection", "edges", "RelatedEdge", "node", "RelatedContent", "content", typ, "body")
	}
	g, gctx := errgroup.WithContext(ctx)
	for i, q := range qs {
		g.Go(func() error {
			sp, _, err := loaders.For(gctx).Search(gctx, loaders.SearchRequest{
				SearchQuery: loaders.SearchQuery{CQL: q.cql, WithDetails: true, WithBodies: withBodies}, First: q.limit})
			hits[i] = sp.Hits
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	now := time.Now()
	if in.StartedAt != nil {
		now = *in.StartedAt
	}
	var ranked []*candidate
	for _, c := range rank(sig, qs, hits, now) {
		if len(kinds) == 0 || slices.Contains(kinds, c.kind) {
			ranked = append(ranked, c)
		}
	}
	out := &model.RelatedConnection{Signals: sig.describe()}
	for _, q := range qs {
		out.Queries = append(out.Queries, q.cql)
	}
	out.Nodes, out.Edges, out.PageInfo = edgesOf(loaders.List[*candidate]{Items: ranked}, window{First: n}, (*candidate).toModel,
		func(c string, n *model.RelatedContent) *model.RelatedEdge {
			return &model.RelatedEdge{Cursor: c, Node: n}
		})
	return out, nil
}

// query is one correlation search: its CQL, how many hits to read, and what a hit of it
// proves (the phrases it looked for verbatim, for the reasons).
type query struct {
	role    queryRole
	cql     string
	limit   int
	phrases []string // for roleVerbatim: the alert name, error codes and hosts searched as phrases
}

type queryRole int

const (
	roleAnyWord queryRole = iota
	roleVerbatim
	roleTitleOrKind
	roleRecentReviews
)

// correlationQueries writes the (at most four) searches for an incident.
func correlationQueries(s signals, spaces []string, kinds []model.ContentKind) ([]query, error) {
	// Blog posts too: many teams publish their post-incident reviews as blog posts.
	scope := []cql.Expr{cql.Field("type").In(cql.String("page"), cql.String("blogpost"))}
	if len(spaces) > 0 {
		scope = append(scope, cql.Field("space").In(cql.Strings(spaces...)...))
	}
	within := func(x cql.Expr) cql.Expr { return cql.And(append(slices.Clone(scope), x)...) }
	anyOf := func(field string, ws []string) cql.Expr {
		var xs []cql.Expr
		for _, w := range ws {
			xs = append(xs, cql.Field(field).Contains(cql.Terms(w)))
		}
		return cql.Or(xs...)
	}
	var out []query
	add := func(role queryRole, x cql.Expr, limit int, phrases []string) error {
		if x == nil {
			return nil
		}
		q, err := cql.Build(within(x))
		if err != nil {
			return err
		}
		out = append(out, query{role: role, cql: q.String(), limit: limit, phrases: phrases})
		return nil
	}
	terms := s.terms[:min(len(s.terms), maxTerms)]
	if err := add(roleAnyWord, anyOf("text", terms), broadHits, nil); err != nil {
		return nil, err
	}
	var phrases []string
	if s.alert != "" {
		phrases = append(phrases, s.alert)
	}
	phrases = append(phrases, s.errors...)
	phrases = append(phrases, s.hosts...)
	phrases = phrases[:min(len(phrases), maxQueryPhrase)]
	var verbatim []cql.Expr
	for _, p := range phrases {
		verbatim = append(verbatim, cql.Field("text").Contains(cql.Phrase(p)))
	}
	if err := add(roleVerbatim, cql.Or(verbatim...), narrowHits, phrases); err != nil {
		return nil, err
	}
	// Titles naming the incident's words, or documentation labels on pages naming the service
	// (the alert's words when no service is given).
	titleWords := slices.Concat(s.alertParts, s.svcWords, s.title)
	titleWords = contentWords(titleWords)[:min(len(contentWords(titleWords)), maxTitleTerms)]
	subject := s.svcWords
	if len(subject) == 0 {
		subject = s.alertParts
	}
	if len(subject) == 0 {
		subject = s.title[:min(len(s.title), 3)]
	}
	var labels []string
	for _, k := range []model.ContentKind{model.ContentKindRunbook, model.ContentKindPostmortem, model.ContentKindKnownIssue, model.ContentKindPlaybook} {
		if len(kinds) == 0 || slices.Contains(kinds, k) {
			labels = append(labels, kindLabels[k]...)
		}
	}
	var kindX cql.Expr
	if len(labels) > 0 && len(subject) > 0 {
		kindX = cql.And(cql.Field("label").In(cql.Strings(labels...)...), anyOf("text", subject))
	}
	if err := add(roleTitleOrKind, cql.Or(anyOf("title", titleWords), kindX), narrowHits, nil); err != nil {
		return nil, err
	}
	if len(kinds) == 0 || slices.Contains(kinds, model.ContentKindPostmortem) {
		x := cql.And(cql.Field("label").In(cql.Strings(kindLabels[model.ContentKindPostmortem]...)...),
			cql.Field("created").Ge(cql.Now(cql.Days(-reviewsWindow))), anyOf("text", terms[:min(len(terms), 6)]))
		if err := add(roleRecentReviews, x, narrowHits, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// describe lists the signals for RelatedConnection.signals.
func (s signals) describe() []string {
	out := []string{}
	if s.alert != "" {
		out = append(out, "alert "+s.alert+" ("+strings.Join(s.alertParts, " ")+")")
	}
	if s.service != "" {
		out = append(out, "service "+s.service)
	}
	for _, h := range s.hosts {
		out = append(out, "host "+h)
	}
	for _, e := range s.errors {
		out = append(out, "error "+e)
	}
	for _, l := range s.labels {
		out = append(out, "label "+l)
	}
	if len(s.terms) > 0 {
		out = append(out, "words "+strings.Join(s.terms, " "))
	}
	return out
}
