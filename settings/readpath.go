package settings

import (
	"context"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// ReadPath names the Confluence API the read path uses with a token.
type ReadPath string

// The read paths.
const (
	// ReadPathV2 reads pages, spaces, hierarchy, comments, labels, versions
	// and attachments through the v2 routes (classic tokens, and scoped
	// tokens with granular scopes).
	ReadPathV2 ReadPath = "v2"
	// ReadPathV1 reads everything through the v1 routes and CQL: the path
	// of a scoped token holding the classic read:confluence-* scopes (the
	// integration guide's recipe), which every v2 route refuses.
	ReadPathV1 ReadPath = "v1"
)

// CapV1ReadPath is the capability that reports, with OK true, that the read
// path uses the v1 routes because the v2 routes refuse the token's scopes.
const CapV1ReadPath = "V1_READ_PATH"

// Classic scopes of the v1 read routes (x-atlassian-oauth2-scopes of the v1
// specification, state Current).
const (
	ScopeContentSummary = "read:confluence-content.summary"
	ScopeSpaceSummary   = "read:confluence-space.summary"
)

// probeV1 runs when the v2 page read refused the token's scopes: it probes
// every capability (the route families the v2 probes cover) through the v1
// routes and CQL and, when pages, spaces and search
// all work there, records them with the CapV1ReadPath capability, sets the
// read path to v1 and the status to CONNECTED, and reports true. Otherwise
// it leaves v as it was and reports false, and the v2 probes report what is
// missing. The error is validate's: only the service's own failures.
func (v *validation) probeV1(ctx context.Context, c *confluence.Client) (bool, error) {
	saved := *v
	caps := v.caps
	restore := func() { *v = saved; v.caps = caps }
	probes := []struct {
		name, scope string
		required    bool
		run         func(pageID string) error
	}{
		{CapReadSpaces, ScopeSpaceSummary, true, func(string) error {
			return callErr(c.Content.Spaces(ctx, &confluence.V1SpaceListOptions{V1ListOptions: confluence.V1ListOptions{Limit: 1}}))
		}},
		{CapReadPages, ScopeContentSummary, true, func(id string) error {
			if id == "" {
				return nil
			}
			return callErr(c.Content.Get(ctx, id, &confluence.ContentGetOptions{Expand: []string{"version"}}))
		}},
		{CapSearch, ScopeSearch, true, func(string) error {
			return callErr(c.Search.CQL(ctx, &confluence.SearchOptions{CQL: "type = page", Limit: 1, Excerpt: "none"}))
		}},
		{CapReadComments, ScopeContentSummary, false, func(id string) error {
			return callErr(c.Content.Children(ctx, id, "comment", &confluence.ChildOptions{V1ListOptions: confluence.V1ListOptions{Limit: 1}}))
		}},
		{CapReadAttachments, ScopeContentSummary, false, func(id string) error {
			return callErr(c.Content.Children(ctx, id, "attachment", &confluence.ChildOptions{V1ListOptions: confluence.V1ListOptions{Limit: 1}}))
		}},
		{CapReadLabels, ScopeContentSummary, false, func(id string) error {
			return callErr(c.Content.Labels(ctx, id, &confluence.V1ListOptions{Limit: 1}))
		}},
		{CapReadVersions, ScopeContentSummary, false, func(id string) error {
			return callErr(c.Content.Versions(ctx, id, &confluence.V1ListOptions{Limit: 1}))
		}},
		// The tree of every kind: CQL parent = X (the read NewV1Upstream uses).
		{CapReadHierarchy, ScopeSearch, false, func(id string) error {
			return callErr(c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: "type in (page, folder) AND parent = " + id, Limit: 1}))
		}},
		{CapReadAncestors, ScopeContentSummary, false, func(id string) error {
			return callErr(c.Content.Get(ctx, id, &confluence.ContentGetOptions{Expand: []string{"ancestors"}}))
		}},
		{CapReadFolders, ScopeSearch, false, func(string) error {
			return callErr(c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: "type = folder", Limit: 1}))
		}},
		{CapReadUsers, ScopeReadUser, false, func(string) error {
			if v.accountID == "" {
				return nil
			}
			if c.DataCenter() { // no bulk route: the user by key
				return callErr(c.Users.ByKey(ctx, v.accountID))
			}
			_, err := c.Content.UsersBulk(ctx, []string{v.accountID})
			return err
		}},
	}
	// A page id, through the content search (search:confluence).
	rows, _, err := c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: "type = page", Limit: 1})
	if err != nil {
		return false, nil // the v2 probes report it
	}
	pageID := ""
	if len(rows) > 0 {
		pageID = rows[0].ID
	}
	for _, p := range probes {
		if !p.required && pageID == "" && p.name != CapReadFolders && p.name != CapReadUsers {
			continue
		}
		cp := Capability{Name: p.name, RequiredScope: p.scope}
		ok, err := v.record(ctx, &cp, p.required, p.run(pageID))
		if err != nil {
			restore()
			return false, err
		}
		if !ok && (p.required || len(v.errs) > 0) {
			restore()
			return false, nil
		}
		v.caps = append(v.caps, cp)
	}
	v.grade()
	detail := "the token's scopes are classic ones, which the v2 routes refuse: reads use the v1 routes"
	if c.DataCenter() {
		detail = "Confluence Data Center has only the v1 routes: reads use them"
	}
	v.caps = append(v.caps, Capability{Name: CapV1ReadPath, OK: true, Detail: detail})
	v.readPath, v.status = ReadPathV1, StatusConnected
	return true, nil
}

// spaceKeys returns the keys among keys of the spaces c can see, through the
// read path rp's space list (v1 /space for ReadPathV1, whose tokens v2
// refuses; v2 /spaces otherwise).
func spaceKeys(ctx context.Context, c *confluence.Client, rp ReadPath, keys []string) ([]string, error) {
	var out []string
	if rp == ReadPathV1 {
		opt := &confluence.V1SpaceListOptions{Keys: keys, V1ListOptions: confluence.V1ListOptions{Limit: 250}}
		for {
			spaces, resp, err := c.Content.Spaces(ctx, opt)
			if err != nil {
				return nil, err
			}
			for _, sp := range spaces {
				out = append(out, sp.Key)
			}
			if resp == nil || resp.NextStart() <= 0 {
				return out, nil
			}
			opt.Start = resp.NextStart()
		}
	}
	opt := &confluence.SpaceListOptions{Keys: keys, ListOptions: confluence.ListOptions{Limit: 250}}
	for {
		spaces, resp, err := c.Spaces.List(ctx, opt)
		if err != nil {
			return nil, err
		}
		for _, sp := range spaces {
			out = append(out, sp.Key)
		}
		if resp == nil || resp.NextCursor == "" {
			return out, nil
		}
		opt.Cursor = resp.NextCursor
	}
}
