package cql

import "time"

// Document is one piece of content the evaluator can match (the simulator
// implements it). All methods must be safe to call repeatedly; the evaluator
// never mutates returned slices.
type Document interface {
	ID() string             // content id, decimal string
	Type() string           // page, blogpost, comment, attachment, ...
	SpaceKey() string       // key of the containing space
	Title() string          // content title
	Text() string           // searchable body text (plain text of the body); text ~ also searches Title() and Labels()
	Labels() []string       // label names without prefix
	ParentID() string       // "" at a space root
	AncestorIDs() []string  // root first
	Creator() string        // accountId
	Contributors() []string // accountIds that created or edited
	Mentions() []string     // accountIds mentioned
	Watchers() []string     // accountIds watching
	Favourites() []string   // accountIds that favourited it
	Macros() []string       // macro names used in the body
	Created() time.Time     // creation instant
	LastModified() time.Time
}

// Env is what a query is evaluated against besides the document. The zero
// Env is usable: the clock is time.Now, the zone is UTC, currentUser()
// matches nothing and the list functions are empty.
type Env struct {
	Now                   func() time.Time // nil means time.Now
	Location              *time.Location   // site/user time zone for date literals and startOf*; nil means UTC
	CurrentUser           string           // accountId bound to currentUser(); "" makes currentUser() match nothing
	FavouriteSpaces       []string         // space keys returned by favouriteSpaces()
	RecentlyViewedContent []string         // content ids, most recent first, for recentlyViewedContent(limit[, offset])
	RecentlyViewedSpaces  []string         // space keys, most recent first, for recentlyViewedSpaces(limit)
	CurrentSpace          string           // space key bound to currentSpace(); "" makes it match nothing
}
