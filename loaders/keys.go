package loaders

// The loader keys: one comparable struct per kind of lookup, so a key says what it names and two
// requests for the same thing collapse into one key within a batch.

// BodyRequest names a page body: the page, the version (0: the current one) and the format
// (storage, atlas_doc_format or view).
type BodyRequest struct {
	PageID string
	// Content is the kind of content PageID names (KindPage or KindBlogPost).
	Content ContentKind
	Version int // 0: the current version
	// IsCurrent says Version is known to be the current version, so the body may come from the
	// bulk current-body read. It is implied when Version is 0.
	IsCurrent bool
	Format    string
}

// normalized sets IsCurrent for version 0, so equal requests make equal keys.
func (r BodyRequest) normalized() BodyRequest {
	if r.Version == 0 {
		r.IsCurrent = true
	}
	return r
}

// versionKey names one version of a page.
type versionKey struct {
	PageID  string
	Content ContentKind
	Number  int
}

// childrenKey names the first N children (of every kind) of the tree content PageID of Kind
// ("" : a page) (N <= 0: all) from From.
type childrenKey struct {
	PageID string
	Kind   string
	N      int
	From   ListFrom
}

// descendantsKey names the first N items below the tree content PageID of Kind, down to Depth
// levels.
type descendantsKey struct {
	PageID string
	Kind   string
	Depth  int
	N      int
	From   ListFrom
}

// spacePagesKey names the first N pages of a space.
type spacePagesKey struct {
	SpacePagesQuery
	N    int
	From ListFrom
}

// commentsKey names the first N top-level comments of a page of Kind ("" for both kinds).
type commentsKey struct {
	PageID  string
	Content ContentKind // the kind of content PageID names
	Kind    CommentKind
	N       int
	From    ListFrom
}

// repliesKey names the first N replies to a comment of Kind.
type repliesKey struct {
	CommentID string
	Kind      CommentKind
	N         int
	From      ListFrom
}

// versionsKey names the first N versions of a page whose current version is Current (0:
// unknown).
type versionsKey struct {
	VersionsQuery
	N       int
	Current int
	From    ListFrom
}

// attachmentsKey names the first N attachments of a page, of MediaType when set.
type attachmentsKey struct {
	PageID    string
	Content   ContentKind // the kind of content PageID names
	MediaType string
	N         int
	From      ListFrom
}

// contentKey names a page or blog post by id (the labels loader's key).
type contentKey struct {
	ID      string
	Content ContentKind
}

// pageID returns the page a per-page list key names; the batched (CQL) readers group by it.
func (k contentKey) pageID() string     { return k.ID }
func (k commentsKey) pageID() string    { return k.PageID }
func (k attachmentsKey) pageID() string { return k.PageID }
func (k childrenKey) pageID() string    { return k.PageID }

// from returns where a list key's read starts; resumed keys skip the batched readers.
func (k commentsKey) from() ListFrom    { return k.From }
func (k attachmentsKey) from() ListFrom { return k.From }
func (k childrenKey) from() ListFrom    { return k.From }
