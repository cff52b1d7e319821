package storage

// Options supplies the lookups the converter cannot do itself. The zero value
// is valid: mentions render as "@accountId" and links without a known URL
// render as their text.
//
// The functions are called synchronously during a conversion, possibly many
// times; they must be safe for concurrent use if the same Options value is
// shared between concurrent conversions. Callers that resolve users through a
// remote API should collect the ids with Mentions first, resolve them in one
// batch, and pass a map lookup here.
type Options struct {
	// ResolveUser returns the display name of a user mentioned by account id
	// (ri:user ri:account-id). When it is nil or reports !ok the mention
	// renders as "@" followed by the id. Mentions by the older ri:userkey or
	// ri:username render as "@" followed by that value without a lookup.
	ResolveUser func(accountID string) (displayName string, ok bool)

	// PageURL returns the URL of the page (or blog post) with the given title
	// in the given space. spaceKey is "" when the link omits it, meaning the
	// current space.
	// When it is nil or reports !ok the link renders as text only (with the
	// target title in parentheses if the link text differs from it).
	// For links to an anchor on another page, "#" and the anchor name are
	// appended to the returned URL.
	PageURL func(spaceKey, title string) (url string, ok bool)

	// AttachmentURL returns the URL of an attachment of the current page by file
	// name. When it is nil or reports !ok, images use the file name as their
	// URL and attachment links render as text.
	AttachmentURL func(filename string) (url string, ok bool)

	// Section, when not empty, limits the output to one section of the page:
	// the first heading whose text equals Section (compared without case and
	// surrounding space) and everything after it up to the next heading of
	// the same or a higher level. ToMarkdown and ToText return
	// ErrSectionNotFound when no heading matches.
	Section string
}
