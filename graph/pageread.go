package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// bulkBodyFormat is the body format pages returned by the field being resolved are read with,
// so that one bulk call (GET /pages?id=...&body-format=...) brings their metadata and their
// current body: "storage" when the selection below the field asks a storage-derived body
// (MARKDOWN, TEXT, STORAGE) or a diff, else "atlas_doc_format" when it asks an ADF body, else
// "view" when it asks a VIEW body (no bulk form: one call per page, which also brings the
// metadata), else "" (metadata only).
// Fragments on Page and _Entity count; a format given by a variable is read from the variables.
func bulkBodyFormat(ctx context.Context) string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return ""
	}
	op := graphql.GetOperationContext(ctx)
	adf, view := false, false
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, contentImplementors) {
		switch f.Name {
		case "diff":
			return "storage"
		case "body":
			format := model.BodyFormatMarkdown
			if v, ok := f.ArgumentMap(op.Variables)["format"]; ok && v != nil {
				format = model.BodyFormat(fmt.Sprint(v))
			}
			switch upstreamFormat(format) {
			case "storage":
				return "storage"
			case "atlas_doc_format":
				adf = true
			case "view":
				view = true
			}
		}
	}
	switch {
	case adf:
		return "atlas_doc_format"
	case view:
		return "view"
	}
	return ""
}

// readPages reads pages by id for the field being resolved: with their current body in the
// same bulk call when the selection needs it (bulkBodyFormat), metadata only otherwise. Results
// and errors are aligned to ids; a missing id gets a not-found error.
func readPages(ctx context.Context, ids []string) ([]*loaders.Page, []error) {
	return readContent(ctx, loaders.KindPage, ids)
}

// readContent is readPages for content of kind (KindBlogPost: blog posts).
func readContent(ctx context.Context, kind loaders.ContentKind, ids []string) ([]*loaders.Page, []error) {
	l := loaders.For(ctx)
	if format := bulkBodyFormat(ctx); format != "" {
		return l.ContentWithBody(ctx, kind, ids, format)
	}
	if kind == loaders.KindBlogPost {
		return l.BlogPosts(ctx, ids)
	}
	return l.Pages(ctx, ids)
}
