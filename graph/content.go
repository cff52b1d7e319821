package graph

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// upstreamFormat is the representation fetched from Confluence for a BodyFormat.
func upstreamFormat(f model.BodyFormat) string {
	switch f {
	case model.BodyFormatView:
		return "view"
	case model.BodyFormatAtlasDocFormat:
		return "atlas_doc_format"
	}
	return "storage"
}

func bodyFormatArg(format *model.BodyFormat) model.BodyFormat {
	if format == nil {
		return model.BodyFormatMarkdown
	}
	return *format
}

// convertBody turns a fetched body into the asked format, resolving @mentions to display names
// through the user loader (one batched call for all mentions). With a holder (the content the
// body belongs to), MARKDOWN links and images get absolute URLs on the tenant's site through
// the link loader (one batch for every body of the request); a failed lookup leaves them
// unresolved rather than failing the body. Without one (diffs, heading lists) links render as
// their text and no lookup is made.
func convertBody(ctx context.Context, raw string, f model.BodyFormat, holder *loaders.LinkHolder) (string, error) {
	if f != model.BodyFormatMarkdown && f != model.BodyFormatText {
		return raw, nil
	}
	l := loaders.For(ctx)
	opts := storage.Options{}
	if site, err := l.SiteURL(ctx); err == nil {
		opts.BaseURL, opts.JiraBaseURL = site, site
	}
	// Names and link targets are looked up at once, so every body of the request joins the
	// same user batch and the same link batch.
	var (
		names map[string]string
		urls  map[storage.LinkTarget]string
		wg    sync.WaitGroup
	)
	mentions := storage.Mentions
	if l.DataCenter(ctx) {
		mentions = storage.UserKeyMentions // Data Center mentions users by user key
	}
	if ids := mentions(raw); len(ids) > 0 {
		wg.Go(func() { names = displayNames(ctx, l, ids) })
	}
	if holder != nil && f == model.BodyFormatMarkdown {
		if ts := storage.Links(raw); len(ts) > 0 {
			wg.Go(func() {
				if m, err := l.ResolveLinks(ctx, *holder, ts); err == nil {
					urls = m
				}
			})
		}
	}
	wg.Wait()
	if names != nil {
		opts.ResolveUser = func(id string) (string, bool) { n, ok := names[id]; return n, ok }
	}
	if urls != nil {
		opts.ResolveLink = func(t storage.LinkTarget) (string, bool) { u, ok := urls[t]; return u, ok }
	}
	if f == model.BodyFormatText {
		return storage.ToText(raw, opts)
	}
	return storage.ToMarkdown(raw, opts)
}

// displayNames returns the display names of the accounts among ids that have one.
func displayNames(ctx context.Context, l *loaders.Loaders, ids []string) map[string]string {
	names := map[string]string{}
	us, errs := l.Users(ctx, ids)
	for i, u := range us {
		if errs[i] == nil && u != nil && u.DisplayName != nil && *u.DisplayName != "" {
			names[ids[i]] = *u.DisplayName
		}
	}
	return names
}

// makeBody applies section and maxChars to a converted value: MARKDOWN and TEXT are cut at a
// character, STORAGE and VIEW with storage.Cut and ATLAS_DOC_FORMAT with storage.CutADF, which
// keep them well-formed.
func makeBody(ctx context.Context, raw string, f model.BodyFormat, maxChars *int, section *string, holder *loaders.LinkHolder) (*model.Body, error) {
	if maxChars != nil && *maxChars < 1 {
		return nil, inputErrorf("maxChars", "maxChars must be at least 1, got %d", *maxChars)
	}
	value, err := convertBody(ctx, raw, f, holder)
	if err != nil {
		return nil, fmt.Errorf("graph: converting body: %w", err)
	}
	if section != nil && strings.TrimSpace(*section) != "" {
		switch f {
		case model.BodyFormatMarkdown:
			s, ok := markdownSection(value, *section)
			if !ok {
				return nil, notFoundf("no heading %q in this body (headings: %s)", *section, strings.Join(markdownHeadings(value), "; "))
			}
			value = s
		case model.BodyFormatText:
			md, err := convertBody(ctx, raw, model.BodyFormatMarkdown, nil)
			if err != nil {
				return nil, fmt.Errorf("graph: converting body: %w", err)
			}
			heads := markdownHeadings(md)
			s, ok := textSection(value, *section, heads)
			if !ok {
				return nil, notFoundf("no heading %q in this body (headings: %s)", *section, strings.Join(heads, "; "))
			}
			value = s
		default:
			return nil, inputErrorf("section", "section works with the MARKDOWN and TEXT formats only")
		}
	}
	limit := 0
	if maxChars != nil {
		limit = *maxChars
	}
	v, total, cut, err := cutBody(value, f, limit)
	if err != nil {
		return nil, err
	}
	return &model.Body{Format: f, Value: v, Truncated: cut, TotalChars: total}, nil
}

// holderOf is the link holder of a body of page pageID whose web URL (which names its space) is
// pageURL; "" leaves the space to the link loader.
func holderOf(pageID, pageURL string, kind model.ContentType) *loaders.LinkHolder {
	return &loaders.LinkHolder{PageID: pageID, SpaceKey: loaders.SpaceKeyOfURL(pageURL), Content: kind}
}

// checkFormat refuses ATLAS_DOC_FORMAT on Confluence Data Center, which has no ADF (its body
// representations are storage, view, export_view, styled_view, editor and anonymous_export_view).
func checkFormat(ctx context.Context, f model.BodyFormat) error {
	if f == model.BodyFormatAtlasDocFormat && loaders.For(ctx).DataCenter(ctx) {
		return inputErrorf("format", "ATLAS_DOC_FORMAT is Confluence Cloud's format and Confluence Data Center has none; ask for STORAGE, VIEW, MARKDOWN or TEXT")
	}
	return nil
}

func pageBody(ctx context.Context, obj *model.Page, format *model.BodyFormat, maxChars *int, section *string) (*model.Body, error) {
	f := bodyFormatArg(format)
	if err := checkFormat(ctx, f); err != nil {
		return nil, err
	}
	p, err := loaders.For(ctx).Body(ctx, loaders.BodyRequest{PageID: obj.ID, Content: obj.Content, Version: currentNumber(obj), IsCurrent: true, Format: upstreamFormat(f)})
	if err != nil {
		return nil, err
	}
	u := p.URL
	if u == "" {
		u = obj.URL
	}
	return makeBody(ctx, p.Body, f, maxChars, section, holderOf(obj.ID, u, obj.Content))
}

func versionBody(ctx context.Context, obj *model.Version, format *model.BodyFormat, maxChars *int) (*model.Body, error) {
	f := bodyFormatArg(format)
	if err := checkFormat(ctx, f); err != nil {
		return nil, err
	}
	p, err := loaders.For(ctx).Body(ctx, loaders.BodyRequest{PageID: obj.PageID, Content: obj.Kind, Version: obj.Number, Format: upstreamFormat(f)})
	if err != nil {
		return nil, err
	}
	return makeBody(ctx, p.Body, f, maxChars, nil, holderOf(obj.PageID, p.URL, obj.Kind))
}

func commentBody(ctx context.Context, obj *model.Comment, format *model.BodyFormat) (*model.Body, error) {
	f := bodyFormatArg(format)
	if f == model.BodyFormatView || f == model.BodyFormatAtlasDocFormat {
		return nil, inputErrorf("format", "comment bodies are available as MARKDOWN, TEXT or STORAGE")
	}
	return makeBody(ctx, obj.Storage, f, nil, nil, holderOf(obj.PageID, "", ""))
}

// maxDiffContext caps the context lines of a diff.
const maxDiffContext = 20

func pageDiff(ctx context.Context, obj *model.Page, from, to, context *int) (*model.PageDiff, error) {
	ctxLines := 3
	if context != nil {
		ctxLines = *context
	}
	if ctxLines < 0 || ctxLines > maxDiffContext {
		return nil, inputErrorf("context", "context must be between 0 and %d, got %d", maxDiffContext, ctxLines)
	}
	l := loaders.For(ctx)
	// The current version number comes with the page; a partial page learns it from the
	// current body, which the diff then reuses.
	current := currentNumber(obj)
	var curBody *loaders.Page
	if obj.Partial {
		p, err := l.Body(ctx, loaders.BodyRequest{PageID: obj.ID, Content: obj.Content, Format: "storage"})
		if err != nil {
			return nil, err
		}
		curBody, current = p, p.Current.Number
	}
	toN := current
	if to != nil {
		toN = *to
	}
	if toN < 1 || toN > current {
		return nil, notFoundf("version %d of page %s does not exist (versions 1 to %d do)", toN, obj.ID, current)
	}
	fromN := toN - 1
	if from != nil {
		fromN = *from
	}
	if fromN < 1 || fromN > current {
		if from == nil {
			return nil, notFoundf("page %s has no version before %d, so there is nothing to compare; pass from and to", obj.ID, toN)
		}
		return nil, notFoundf("version %d of page %s does not exist (versions 1 to %d do)", fromN, obj.ID, current)
	}
	if fromN > toN {
		return nil, inputErrorf("from", "from (%d) must not be greater than to (%d)", fromN, toN)
	}
	// Both bodies at once: one round trip. The diff compares text, so links are not resolved.
	var (
		bodies [2]*loaders.Page
		errs   [2]error
		wg     sync.WaitGroup
	)
	for i, n := range [2]int{fromN, toN} {
		if n == current && curBody != nil {
			bodies[i] = curBody
			continue
		}
		wg.Go(func() {
			bodies[i], errs[i] = l.Body(ctx, loaders.BodyRequest{PageID: obj.ID, Content: obj.Content, Version: n, IsCurrent: n == current, Format: "storage"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if isNotFound(err) {
			return nil, notFoundf("a version of page %s between %d and %d is not available", obj.ID, fromN, toN)
		}
		if err != nil {
			return nil, err
		}
	}
	oldP, newP := bodies[0], bodies[1]
	oldMD, err := convertBody(ctx, oldP.Body, model.BodyFormatMarkdown, nil)
	if err != nil {
		return nil, fmt.Errorf("graph: converting body: %w", err)
	}
	newMD, err := convertBody(ctx, newP.Body, model.BodyFormatMarkdown, nil)
	if err != nil {
		return nil, fmt.Errorf("graph: converting body: %w", err)
	}
	d := unifiedDiff(fmt.Sprintf("%s (version %d)", oldP.Title, fromN), fmt.Sprintf("%s (version %d)", newP.Title, toN), oldMD, newMD, ctxLines)
	fromV, toV := versionAt(obj.ID, oldP.Current, fromN), versionAt(obj.ID, newP.Current, toN)
	fromV.Kind, toV.Kind = obj.Content, obj.Content
	out := &model.PageDiff{
		From:         fromV,
		To:           toV,
		Unified:      d.unified,
		LinesAdded:   d.added,
		LinesRemoved: d.removed,
		TitleChanged: oldP.Title != newP.Title,
		FromTitle:    oldP.Title,
		ToTitle:      newP.Title,
		Hunks:        []*model.DiffHunk{},
	}
	for _, h := range d.hunks {
		out.Hunks = append(out.Hunks, &model.DiffHunk{OldStart: h.oldStart, OldLines: h.oldLines, NewStart: h.newStart, NewLines: h.newLines, Lines: h.lines})
	}
	return out, nil
}

// currentNumber is the page's current version number as far as obj knows it; 0 on a partial
// record, which does not carry it.
func currentNumber(obj *model.Page) int {
	if obj.Partial {
		return 0
	}
	return obj.Current.Number
}

// versionAt is a copy of v (the page's version a body came with) numbered n, for a diff end.
func versionAt(pageID string, v model.Version, n int) *model.Version {
	v.PageID, v.Number = pageID, n
	v.HasBody, v.Title, v.Body = false, "", ""
	return &v
}
