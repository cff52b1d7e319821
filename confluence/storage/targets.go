package storage

import "strings"

// LinkKind says what a LinkTarget names.
type LinkKind int

const (
	// LinkPage is a page, named by title (and space) or by content id.
	LinkPage LinkKind = iota + 1
	// LinkBlogPost is a blog post, named by title, space and posting day.
	LinkBlogPost
	// LinkContent is a page or blog post named by content id only
	// (ri:content-entity).
	LinkContent
	// LinkSpace is a space's home, named by space key.
	LinkSpace
	// LinkAttachment is a file attached to the current page or, when
	// Container is set, to the content the other fields name.
	LinkAttachment
)

// String returns the kind's name as used in the rendered markers.
func (k LinkKind) String() string {
	switch k {
	case LinkPage:
		return "page"
	case LinkBlogPost:
		return "blog post"
	case LinkContent:
		return "content"
	case LinkSpace:
		return "space"
	case LinkAttachment:
		return "attachment"
	}
	return "link"
}

// LinkTarget is what a link, image or diagram of a body points to, as written
// in the body. It is comparable, so callers can key a map by it.
//
// Empty fields were not written: an empty SpaceKey means the current space
// (the space of the content holding the body), and for attachments an empty
// Container means the current page. Anchors are not part of the target: the
// converter appends them to the resolved URL.
type LinkTarget struct {
	Kind LinkKind
	// ContentID, SpaceKey, Title and PostingDay name the page or blog post
	// (for LinkAttachment: the content holding the file). PostingDay is the
	// blog post's day as "yyyy/mm/dd".
	ContentID, SpaceKey, Title, PostingDay string
	// Filename is the attachment's file name (LinkAttachment only).
	Filename string
	// Container is LinkPage, LinkBlogPost or LinkContent when an attachment
	// lives on other content than the current page, else 0.
	Container LinkKind
}

// name is the target's readable name: "SPACE:Title", a file name, a space key.
func (t LinkTarget) name() string {
	switch t.Kind {
	case LinkAttachment:
		return t.Filename
	case LinkSpace:
		return t.SpaceKey
	case LinkContent:
		return "content " + t.ContentID
	}
	if t.SpaceKey != "" && t.Title != "" {
		return t.SpaceKey + ":" + t.Title
	}
	if t.Title == "" && t.ContentID != "" {
		return "content " + t.ContentID
	}
	return t.Title
}

// contentTarget reads an ri:page, ri:blog-post or ri:content-entity element.
func contentTarget(n *node) (LinkTarget, bool) {
	t := LinkTarget{
		ContentID: strings.TrimSpace(n.attr("ri:content-id")),
		SpaceKey:  strings.TrimSpace(n.attr("ri:space-key")),
		Title:     n.attr("ri:content-title"),
	}
	switch n.name {
	case "ri:page":
		t.Kind = LinkPage
	case "ri:blog-post":
		t.Kind = LinkBlogPost
		t.PostingDay = strings.TrimSpace(n.attr("ri:posting-day"))
	case "ri:content-entity":
		t.Kind = LinkContent
		t.SpaceKey, t.Title = "", ""
	default:
		return LinkTarget{}, false
	}
	return t, t.ContentID != "" || t.Title != ""
}

// targetOf reads the link target an ri: element names; ok is false for
// elements that name no resolvable target (URLs, users, shortcuts) or name
// nothing.
func targetOf(n *node) (LinkTarget, bool) {
	switch n.name {
	case "ri:page", "ri:blog-post", "ri:content-entity":
		return contentTarget(n)
	case "ri:space":
		k := strings.TrimSpace(n.attr("ri:space-key"))
		return LinkTarget{Kind: LinkSpace, SpaceKey: k}, k != ""
	case "ri:attachment":
		t := LinkTarget{Kind: LinkAttachment, Filename: n.attr("ri:filename")}
		for _, c := range n.children {
			if ct, ok := contentTarget(c); ok {
				t.Container = ct.Kind
				t.ContentID, t.SpaceKey, t.Title, t.PostingDay = ct.ContentID, ct.SpaceKey, ct.Title, ct.PostingDay
				break
			}
		}
		return t, t.Filename != ""
	}
	return LinkTarget{}, false
}

// linkTarget is the target of an ac:link: the first resource it holds, as
// the renderer links to it; ok is false when that is a user, URL or
// shortcut, or there is none.
func linkTarget(n *node) (LinkTarget, bool) {
	for _, c := range n.children {
		if c.name == "ri:user" || c.name == "ri:url" || c.name == "ri:shortcut" {
			break
		}
		if t, ok := targetOf(c); ok {
			return t, true
		}
	}
	return LinkTarget{}, false
}

// Links returns every link target of a storage-format body that the
// converter asks Options.ResolveLink about: the pages, blog posts, spaces
// and attachments of links, images, diagrams and file macros, each once, in
// order of first appearance. Callers resolve them in one batch before
// converting. Malformed input yields the targets that could be read; the
// result is nil when there are none.
func Links(storage string) []LinkTarget {
	root, _ := parse(storage)
	var out []LinkTarget
	seen := map[LinkTarget]bool{}
	add := func(t LinkTarget, ok bool) {
		if ok && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	var walk func(*node)
	walk = func(n *node) {
		switch {
		case n.name == "ac:link":
			add(linkTarget(n))
		case n.name == "ac:image":
			for _, c := range n.children {
				if c.name == "ri:attachment" {
					add(targetOf(c))
				}
			}
		case isMacro(n):
			add(macroTarget(n))
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	return out
}

// resolve asks Options.ResolveLink for t. tried is false when no resolver is
// set, so the caller renders the link the unresolved way.
func (r *renderer) resolve(t LinkTarget) (url string, ok, tried bool) {
	if r.opts.ResolveLink == nil {
		return "", false, false
	}
	u, ok := r.opts.ResolveLink(t)
	if !ok || !safeURL(u) || strings.TrimSpace(u) == "" {
		return "", false, true
	}
	return u, true, true
}
