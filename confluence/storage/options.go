package storage

// Options supplies the lookups the converter cannot do itself. The zero value
// is valid: mentions render as "@accountId" and links to pages, blog posts,
// spaces and attachments render as their text.
//
// The functions are called synchronously during a conversion, possibly many
// times; they must be safe for concurrent use if the same Options value is
// shared between concurrent conversions. Callers that resolve through a remote
// API should collect what a body refers to first (Mentions for users, Links
// for link targets), resolve it in one batch, and pass map lookups here.
type Options struct {
	// ResolveUser returns the display name of a mentioned user by the id
	// Mentions reports (ri:account-id, else ri:userkey, else ri:username:
	// Data Center's mentions). When it is nil or reports !ok the mention
	// renders as "@" followed by the id.
	ResolveUser func(accountID string) (displayName string, ok bool)

	// ResolveLink returns the absolute URL of a link target: a page, blog
	// post, space or attachment, exactly as Links reports it (LinkTarget is
	// comparable, so a map filled from one batched lookup serves). For a link
	// to an anchor on another page the converter appends "#" and the anchor.
	//
	// When ResolveLink is nil nothing is resolved: links render as their text
	// (followed by the target's name in parentheses when the text differs) and
	// images use the file name as their URL. When it is set and reports !ok,
	// the target is taken not to exist: the link keeps its text and is marked
	// "(page not found: …)" or "(attachment not found: …)", an image renders
	// as "[image: name (attachment not found)]", and no URL is emitted.
	ResolveLink func(t LinkTarget) (url string, ok bool)

	// BaseURL is the tenant's site ("https://example.atlassian.net"). When
	// set, relative URLs of HTML links and images ("/wiki/spaces/ENG/...")
	// are made absolute against it; without it they stay as written.
	BaseURL string

	// JiraBaseURL is the Jira site that jira macros refer to, usually the
	// tenant's own site ("https://example.atlassian.net"). When set, an issue
	// key renders as a link to JiraBaseURL + "/browse/" + key.
	JiraBaseURL string

	// Section, when not empty, limits the output to one section of the page:
	// the first heading whose text equals Section (compared without case and
	// surrounding space) and everything after it up to the next heading of
	// the same or a higher level. ToMarkdown and ToText return
	// ErrSectionNotFound when no heading matches.
	Section string
}
