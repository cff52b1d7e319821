package cql_test

import (
	"time"

	"github.com/confluence-graph/confluence-graph/cql"
)

// doc is a plain in-memory cql.Document.
type doc struct {
	id, typ, space, title, text string
	labels                      []string
	parent                      string
	ancestors                   []string
	creator                     string
	contributors                []string
	mentions                    []string
	watchers                    []string
	favourites                  []string
	macros                      []string
	created, modified           time.Time
}

func (d *doc) ID() string              { return d.id }
func (d *doc) Type() string            { return d.typ }
func (d *doc) SpaceKey() string        { return d.space }
func (d *doc) Title() string           { return d.title }
func (d *doc) Text() string            { return d.text }
func (d *doc) Labels() []string        { return d.labels }
func (d *doc) ParentID() string        { return d.parent }
func (d *doc) AncestorIDs() []string   { return d.ancestors }
func (d *doc) Creator() string         { return d.creator }
func (d *doc) Contributors() []string  { return d.contributors }
func (d *doc) Mentions() []string      { return d.mentions }
func (d *doc) Watchers() []string      { return d.watchers }
func (d *doc) Favourites() []string    { return d.favourites }
func (d *doc) Macros() []string        { return d.macros }
func (d *doc) Created() time.Time      { return d.created }
func (d *doc) LastModified() time.Time { return d.modified }

// clock is the fixed "now" of the tests: Wednesday 2026-11-25 12:00 UTC.
var clock = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return clock.AddDate(0, 0, -n) }

const (
	alice = "557058:aaaa-1111"
	bob   = "557058:bbbb-2222"
)

// corpus is a small site: space OPS with a runbook tree, space ENG, a blog
// post and a comment.
func corpus() []*doc {
	return []*doc{
		{id: "100", typ: "page", space: "OPS", title: "Operations Home", text: "Welcome to operations.",
			creator: alice, contributors: []string{alice}, created: daysAgo(400), modified: daysAgo(30)},
		{id: "101", typ: "page", space: "OPS", title: "Deployment Runbook", text: "The deployment procedure: build, tag, roll out. Roll back on alarms.",
			labels: []string{"runbook", "deploy"}, parent: "100", ancestors: []string{"100"}, creator: bob,
			contributors: []string{bob, alice}, mentions: []string{alice}, watchers: []string{alice}, macros: []string{"jira", "toc"},
			created: daysAgo(90), modified: daysAgo(2)},
		{id: "102", typ: "page", space: "OPS", title: "Incident Runbook", text: "Page the on-call. Procedure for deployment rollback is in the deployment runbook.",
			labels: []string{"runbook"}, parent: "101", ancestors: []string{"100", "101"}, creator: alice,
			contributors: []string{alice}, favourites: []string{bob}, created: daysAgo(60), modified: daysAgo(10)},
		{id: "103", typ: "page", space: "OPS", title: "Draft notes", text: "Procedure draft. Deployment soon.",
			labels: []string{"draft"}, parent: "100", ancestors: []string{"100"}, creator: bob,
			contributors: []string{bob}, created: daysAgo(5), modified: daysAgo(1)},
		{id: "200", typ: "page", space: "ENG", title: "Engineering Home", text: "Our deployment procedure lives in OPS.",
			labels: []string{"runbook"}, creator: bob, contributors: []string{bob}, watchers: []string{bob},
			created: daysAgo(300), modified: daysAgo(20)},
		{id: "201", typ: "blogpost", space: "ENG", title: "Release 2.0", text: "We shipped the new deployment procedure.",
			creator: alice, contributors: []string{alice}, created: daysAgo(3), modified: daysAgo(3)},
		{id: "202", typ: "comment", space: "ENG", title: "Re: Release 2.0", text: "Nice!", parent: "201",
			ancestors: []string{"201"}, creator: bob, contributors: []string{bob}, created: daysAgo(3), modified: daysAgo(3)},
	}
}

func env() cql.Env {
	return cql.Env{
		Now:                   func() time.Time { return clock },
		CurrentUser:           alice,
		FavouriteSpaces:       []string{"ENG"},
		RecentlyViewedContent: []string{"102", "200", "101"},
		RecentlyViewedSpaces:  []string{"OPS", "ENG"},
		CurrentSpace:          "OPS",
	}
}
