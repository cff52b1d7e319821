package settings

import (
	"context"
	"slices"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// Capabilities of the route families the read path uses beyond the first
// seven, matching the GraphQL CapabilityName enum.
const (
	CapReadVersions  = "READ_VERSIONS"
	CapReadHierarchy = "READ_HIERARCHY"
	CapReadAncestors = "READ_ANCESTORS"
	CapReadFolders   = "READ_FOLDERS"
	CapReadUsers     = "READ_USERS"
)

// Scopes of those capabilities (x-atlassian-oauth2-scopes of the v2
// specification). read:hierarchical-content:confluence and
// read:folder:confluence could not be selected when creating a scoped token
// (CONFCLOUD-82041, CONFCLOUD-83234).
const (
	ScopeReadHierarchy = confluence.ScopeReadHierarchy
	ScopeReadMetadata  = confluence.ScopeReadMetadata
	ScopeReadFolder    = confluence.ScopeReadFolder
	ScopeReadUsers     = confluence.ScopeReadUser
)

// CodeDegraded: the connection works, but the token lost scopes since it was
// last validated; the capabilities' AffectedFields name what is degraded or
// unavailable. Test reports it; the status stays CONNECTED.
const CodeDegraded ErrorCode = "DEGRADED"

// morePageProbes need a visible page id, as pageProbes do.
var morePageProbes = []probe{
	{name: CapReadVersions, scope: ScopeReadPage, what: "read versions",
		run: func(ctx context.Context, c *confluence.Client, id string) error {
			return callErr(c.Versions.List(ctx, id, &confluence.VersionListOptions{ListOptions: confluence.ListOptions{Limit: 1}}))
		}},
	{name: CapReadHierarchy, scope: ScopeReadHierarchy, what: "read the page tree",
		run: func(ctx context.Context, c *confluence.Client, id string) error {
			return callErr(c.Pages.ListDirectChildren(ctx, id, &confluence.ChildrenOptions{ListOptions: confluence.ListOptions{Limit: 1}}))
		}},
	{name: CapReadAncestors, scope: ScopeReadMetadata, what: "read ancestors",
		run: func(ctx context.Context, c *confluence.Client, id string) error {
			return callErr(c.Pages.ListAncestors(ctx, id, 1))
		}},
}

// siteProbes need no page: folders (an id that is no folder, whose 404
// shows the scope passed) and users (the token's own account, id).
var siteProbes = []probe{
	{name: CapReadFolders, scope: ScopeReadFolder, what: "read folders",
		run: func(ctx context.Context, c *confluence.Client, _ string) error {
			return c.CheckFolderScope(ctx)
		}},
	{name: CapReadUsers, scope: ScopeReadUsers, what: "read users",
		run: func(ctx context.Context, c *confluence.Client, accountID string) error {
			if accountID == "" {
				return nil // nothing to ask for; counted as OK
			}
			_, err := c.Users.GetMany(ctx, []string{accountID})
			return err
		}},
}

// degradation says what a failed capability costs: the GraphQL fields it
// serves and, when they have a fallback route, the capability that route
// needs (the fields are then degraded, not unavailable).
var degradation = map[string]struct {
	fallback string
	fields   []string
}{
	CapReadMe:          {fields: []string{"ConfluenceIntegration.account"}},
	CapReadComments:    {fields: []string{"Page.comments", "Comment.replies"}},
	CapReadAttachments: {fields: []string{"Page.attachments", "Attachment.text"}},
	CapReadLabels:      {fields: []string{"Page.labels"}},
	CapReadVersions:    {fields: []string{"Page.versions", "Page.version", "Page.diff"}},
	CapReadHierarchy:   {fallback: CapSearch, fields: []string{"Page.children", "Page.descendants", "Space.pageTree"}},
	CapReadAncestors:   {fallback: CapSearch, fields: []string{"Page.ancestors"}},
	CapReadFolders:     {fields: []string{"Page.parent", "Page.ancestors", "Page.children", "Page.descendants", "Space.pageTree"}},
	CapReadUsers:       {fields: []string{"Page.author", "Comment.author", "Version.author", "Attachment.author"}},
}

// runMoreProbes runs the per-page and site probes after the first seven,
// appending their capabilities; it stops as validate does when a probe
// fails for a reason that is not about the capability (v.errs set).
func (v *validation) runMoreProbes(ctx context.Context, c *confluence.Client, pageID string) error {
	run := func(ps []probe, arg string) (bool, error) {
		for _, p := range ps {
			cp := Capability{Name: p.name, RequiredScope: p.scope}
			ok, err := v.record(ctx, &cp, false, p.run(ctx, c, arg))
			if err != nil {
				return false, err
			}
			if !ok && len(v.errs) > 0 {
				return false, nil
			}
			v.caps = append(v.caps, cp)
		}
		return true, nil
	}
	if pageID != "" {
		if ok, err := run(morePageProbes, pageID); !ok || err != nil {
			return err
		}
	}
	for _, p := range siteProbes {
		arg := ""
		if p.name == CapReadUsers {
			arg = v.accountID
		}
		if ok, err := run([]probe{p}, arg); !ok || err != nil {
			return err
		}
	}
	v.grade()
	return nil
}

// grade fills Degraded and AffectedFields of every failed capability.
func (v *validation) grade() {
	ok := map[string]bool{}
	for _, c := range v.caps {
		ok[c.Name] = c.OK
	}
	for i := range v.caps {
		c := &v.caps[i]
		d, known := degradation[c.Name]
		if c.OK || !known {
			continue
		}
		c.AffectedFields = slices.Clone(d.fields)
		c.Degraded = d.fallback != "" && ok[d.fallback]
		if c.Degraded {
			c.Detail += "; served through CQL search instead"
		}
	}
}

// lostSince returns the degradation error for the capabilities that worked
// in before and fail for a missing scope in v (nil when none).
func (v *validation) lostSince(before []Capability) *UserError {
	was := map[string]bool{}
	for _, c := range before {
		was[c.Name] = c.OK
	}
	var scopes, fields []string
	for _, c := range v.caps {
		if !c.lacksScope() || !was[c.Name] {
			continue
		}
		if c.RequiredScope != "" && !slices.Contains(scopes, c.RequiredScope) {
			scopes = append(scopes, c.RequiredScope)
		}
		for _, f := range c.AffectedFields {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
	}
	if len(scopes) == 0 {
		return nil
	}
	msg := "The token lost scopes since it was connected: " + strings.Join(scopes, ", ") + "."
	if len(fields) > 0 {
		msg += " Affected fields (degraded or unavailable): " + strings.Join(fields, ", ") + "."
	}
	return &UserError{Code: CodeDegraded, Message: msg, Hints: []string{
		"Scopes are fixed when a token is created: create a new scoped API token with these scopes, then update the connection.",
	}}
}
