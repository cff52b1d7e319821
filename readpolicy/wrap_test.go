package readpolicy

import (
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func wrapText(t testing.TB, p Policy, user string) string {
	t.Helper()
	q, err := cql.Parse(user)
	require.NoError(t, err)
	w, err := p.Wrap(q)
	require.NoError(t, err)
	return w.String()
}

func TestWrapKeepsTheRestrictionOutsideTheUsersQuery(t *testing.T) {
	p := Policy{AllowedSpaces: []string{"OPS", "PIR"}, ExcludedLabels: []string{"confidential"}}
	cases := map[string]string{
		`type = page`:               `type = page AND space IN ("OPS", "PIR") AND label NOT IN ("confidential")`,
		`space = HR OR type = page`: `(space = HR OR type = page) AND space IN ("OPS", "PIR") AND label NOT IN ("confidential")`,
		`text ~ "x" OR space = HR ORDER BY lastModified DESC`:  `(text ~ x OR space = HR) AND space IN ("OPS", "PIR") AND label NOT IN ("confidential") ORDER BY lastModified DESC`,
		`title = "a\") OR (space = HR"`:                        `title = "a\") OR (space = HR" AND space IN ("OPS", "PIR") AND label NOT IN ("confidential")`,
		`type = page AND (space = HR OR label = confidential)`: `type = page AND (space = HR OR label = confidential) AND space IN ("OPS", "PIR") AND label NOT IN ("confidential")`,
	}
	for in, want := range cases {
		got := wrapText(t, p, in)
		assert.Equal(t, want, got, "wrapping %s", in)
	}
}

func TestWrapOfEmptyPolicyIsTheQuery(t *testing.T) {
	assert.Equal(t, "space = HR", wrapText(t, Policy{}, "space = HR"))
}

// doc is a piece of content for the evaluator.
type doc struct {
	id, typ, space, title, text string
	labels                      []string
}

func (d doc) ID() string              { return d.id }
func (d doc) Type() string            { return d.typ }
func (d doc) SpaceKey() string        { return d.space }
func (d doc) Title() string           { return d.title }
func (d doc) Text() string            { return d.text }
func (d doc) Labels() []string        { return d.labels }
func (d doc) ParentID() string        { return "" }
func (d doc) AncestorIDs() []string   { return nil }
func (d doc) Creator() string         { return "u1" }
func (d doc) Contributors() []string  { return []string{"u1"} }
func (d doc) Mentions() []string      { return nil }
func (d doc) Watchers() []string      { return nil }
func (d doc) Favourites() []string    { return nil }
func (d doc) Macros() []string        { return nil }
func (d doc) Created() time.Time      { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
func (d doc) LastModified() time.Time { return time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC) }

var hidden = []doc{
	{id: "1", typ: "page", space: "HR", title: "Salaries", text: "salary bands redis", labels: []string{"hr"}},
	{id: "2", typ: "page", space: "OPS", title: "Breach report", text: "incident redis", labels: []string{"confidential", "runbook"}},
	{id: "3", typ: "blogpost", space: "hr", title: "Layoffs", text: "plans"},
}

// FuzzWrap: whatever CQL a user sends, the query as Confluence receives it (the wrapped
// query printed and parsed again) matches no content the policy hides.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{
		`type = page`, `space = HR OR type = page`, `(space = HR) OR (label = confidential)`,
		`text ~ "redis" OR id = 1 ORDER BY created`, `title = "a\") OR (space = HR"`, `NOT space = OPS`,
		`space IN (HR, OPS) OR label IN (confidential)`, `type = page) OR (space = HR`, `label != confidential OR space != OPS`,
	} {
		f.Add(s)
	}
	p := Policy{AllowedSpaces: []string{"OPS", "PIR"}, ExcludedLabels: []string{"confidential"}}
	f.Fuzz(func(t *testing.T, user string) {
		q, err := cql.Parse(user)
		if err != nil {
			return // refused before anything is sent
		}
		w, err := p.Wrap(q)
		require.NoError(t, err)
		sent, err := cql.Parse(w.String())
		require.NoError(t, err, "the wrapped query %q must parse", w.String())
		for _, d := range hidden {
			ok, err := sent.Match(d, cql.Env{})
			if err == nil {
				assert.False(t, ok, "%q (sent as %q) matched hidden content %s", user, w.String(), d.id)
			}
		}
	})
}
