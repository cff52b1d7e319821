package storage

import (
	"net/url"
	"strings"
)

// link renders link text and an optional URL. Without a URL the text stays,
// followed by the target's name in parentheses when the two differ, so the
// target is not lost. Plain text shows the text only. Spaces at the edges of
// the text stay outside the link, so the words around it stay apart.
func (r *renderer) link(text, url, target string) string {
	lead, core, trail := splitEdges(text)
	return lead + r.linkCore(core, url, target) + trail
}

// splitEdges splits s into its leading spaces, its core and its trailing
// spaces.
func splitEdges(s string) (lead, core, trail string) {
	core = strings.TrimSpace(s)
	if core == "" {
		return s, "", ""
	}
	i := strings.Index(s, core)
	return s[:i], core, s[i+len(core):]
}

func (r *renderer) linkCore(text, url, target string) string {
	if !safeURL(url) {
		url, target = "", ""
	}
	if r.text {
		if text == "" {
			if target != "" {
				return target
			}
			return url
		}
		return text
	}
	if url == "" {
		switch {
		case text == "":
			return escapeMarkdown(target)
		case target == "" || strings.TrimSpace(stripMarkup(text)) == target:
			return text
		}
		return text + " (" + escapeMarkdown(target) + ")"
	}
	if text == "" {
		text = escapeMarkdown(target)
	}
	if text == "" {
		text = escapeMarkdown(url)
	}
	return "[" + text + "](" + escapeURL(url) + ")"
}

// missing renders a link whose target ResolveLink reported as not existing:
// its text and a marker naming the target, and no URL.
func (r *renderer) missing(text string, t LinkTarget) string {
	lead, core, trail := splitEdges(text)
	name := t.name()
	marker := t.Kind.String() + " not found"
	if t.Kind == LinkContent {
		marker = "page not found"
	}
	if core == "" || strings.TrimSpace(stripMarkup(core)) == name {
		if r.text {
			return lead + name + " (" + marker + ")" + trail
		}
		return lead + escapeMarkdown(name) + " (" + marker + ")" + trail
	}
	if r.text {
		return lead + core + " (" + marker + ": " + name + ")" + trail
	}
	return lead + core + " (" + marker + ": " + escapeMarkdown(name) + ")" + trail
}

// stripMarkup approximates the plain text of rendered Markdown link text, to
// compare it with a target name.
func stripMarkup(s string) string {
	return strings.NewReplacer(`\`, "", "**", "", "*", "", "~~", "").Replace(s)
}

// absolute resolves a relative URL against Options.BaseURL; fragments,
// absolute URLs and anything when BaseURL is unset or unusable stay as they are.
func (r *renderer) absolute(u string) string {
	if r.opts.BaseURL == "" || u == "" || strings.HasPrefix(u, "#") || hasScheme(u) {
		return u
	}
	base, err := url.Parse(r.opts.BaseURL)
	if err != nil || !base.IsAbs() {
		return u
	}
	ref, err := url.Parse(u)
	if err != nil {
		return u
	}
	return base.ResolveReference(ref).String()
}

// anchorLink renders an HTML <a>: a link with href, or an anchor target.
func (r *renderer) anchorLink(n *node) string {
	text := r.inlines(n.children)
	href := strings.TrimSpace(n.attr("href"))
	if !safeURL(href) {
		href = ""
	}
	href = r.absolute(href)
	if href == "" {
		if id := n.attr("name") + n.attr("id"); id != "" && !r.text && strings.TrimSpace(text) == "" {
			return `<a id="` + attrEscape(id) + `"></a>`
		}
		return text
	}
	if t := strings.TrimSpace(stripMarkup(text)); !r.text && (t == href || t == "") && hasScheme(href) {
		return "<" + escapeURL(href) + ">"
	}
	return r.link(text, href, href)
}

func hasScheme(u string) bool {
	i := strings.Index(u, ":")
	return i > 0 && !strings.ContainsAny(u[:i], "/?#")
}

func attrEscape(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// confluenceLink renders ac:link: a link to a page, blog post, attachment,
// space, URL or anchor, or a user mention.
func (r *renderer) confluenceLink(n *node) string {
	var text string
	if body := n.child("ac:link-body"); body != nil {
		text = r.inlines(body.children)
	} else if body := n.child("ac:plain-text-link-body"); body != nil {
		text = collapseSpace(body.textContent())
		if !r.text {
			text = escapeMarkdown(text)
		}
	}
	anchor := n.attr("ac:anchor")
	for _, c := range n.children {
		switch c.name {
		case "ri:user":
			return r.mention(c)
		case "ri:page", "ri:blog-post", "ri:content-entity", "ri:space", "ri:attachment":
			t, ok := targetOf(c)
			if !ok {
				if anchor != "" {
					// A page link without a page: an anchor on this page.
					return r.link(text, "#"+anchor, anchor)
				}
				return r.link(text, "", resourceName(c))
			}
			return r.targetLink(text, t, anchor)
		case "ri:url":
			u := c.attr("ri:value")
			return r.link(text, u, u)
		case "ri:shortcut":
			return r.link(text, "", resourceName(c))
		}
	}
	if anchor != "" {
		return r.link(text, "#"+anchor, anchor)
	}
	return text
}

// targetLink renders a link to a resolvable target, with the anchor (if
// any) appended to the resolved URL.
func (r *renderer) targetLink(text string, t LinkTarget, anchor string) string {
	url, ok, tried := r.resolve(t)
	if tried && !ok {
		return r.missing(text, t)
	}
	target := t.Title
	if target == "" || t.Kind == LinkSpace || t.Kind == LinkAttachment {
		target = t.name()
	}
	if anchor != "" && t.Kind != LinkAttachment {
		target += "#" + anchor
		if ok {
			url += "#" + anchor
		}
	}
	return r.link(text, url, target)
}

// resourceName is the readable name of an ri: resource identifier.
func resourceName(n *node) string {
	switch n.name {
	case "ri:page", "ri:blog-post":
		t := n.attr("ri:content-title")
		if k := n.attr("ri:space-key"); k != "" && t != "" {
			return k + ":" + t
		}
		return t
	case "ri:attachment":
		return n.attr("ri:filename")
	case "ri:space":
		return n.attr("ri:space-key")
	case "ri:url":
		return n.attr("ri:value")
	case "ri:content-entity":
		return "content " + n.attr("ri:content-id")
	case "ri:shortcut":
		return n.attr("ri:key") + ":" + n.attr("ri:parameter")
	case "ri:user":
		return "@" + userID(n)
	}
	return ""
}

func userID(n *node) string {
	for _, k := range []string{"ri:account-id", "ri:userkey", "ri:username"} {
		if id := n.attr(k); id != "" {
			return id
		}
	}
	return "unknown-user"
}

// mention renders a user as @displayName, or @accountId when unresolved.
func (r *renderer) mention(n *node) string {
	id := userID(n)
	name := id
	if id != "unknown-user" && r.opts.ResolveUser != nil {
		if dn, ok := r.opts.ResolveUser(id); ok && strings.TrimSpace(dn) != "" {
			name = strings.TrimSpace(dn)
		}
	}
	if r.text {
		return "@" + name
	}
	return "@" + escapeMarkdown(name)
}

// image renders ac:image as ![alt](url "title"); the URL is the attachment's
// as resolved, else its file name (without a resolver), or the ri:url value.
func (r *renderer) image(n *node) string {
	alt := n.attr("ac:alt")
	title := n.attr("ac:title")
	caption := ""
	if c := n.child("ac:caption"); c != nil {
		caption = strings.TrimSpace(collapseSpace(c.textContent()))
	}
	src, name := "", ""
	for _, c := range n.children {
		switch c.name {
		case "ri:attachment":
			t, named := targetOf(c)
			name = t.Filename
			src = name
			if alt == "" && caption == "" {
				alt = name
			}
			if !named {
				break // no file named: nothing to resolve (Links lists none either)
			}
			url, ok, tried := r.resolve(t)
			switch {
			case ok:
				src = url
			case tried:
				label := alt
				if label == "" {
					label = name
				}
				if !r.text {
					label = escapeMarkdown(label)
				}
				return "[image: " + label + " (attachment not found)]"
			}
		case "ri:url":
			src = c.attr("ri:value")
			name = src
		}
	}
	switch {
	case caption == "":
	case alt == "":
		alt = caption
	case title == "":
		title = caption
	default:
		title += " — " + caption
	}
	return r.renderImage(alt, src, title, name)
}

func (r *renderer) htmlImage(n *node) string {
	src := r.absolute(strings.TrimSpace(n.attr("src")))
	return r.renderImage(n.attr("alt"), src, n.attr("title"), src)
}

func (r *renderer) renderImage(alt, src, title, name string) string {
	if !safeURL(src) {
		src = ""
	}
	alt = strings.TrimSpace(collapseSpace(alt))
	title = strings.TrimSpace(collapseSpace(title))
	if r.text || src == "" {
		label := alt
		if label == "" {
			label = name
		}
		if label == "" {
			return "[image]"
		}
		if !r.text {
			label = escapeMarkdown(label)
		}
		return "[image: " + label + "]"
	}
	out := "![" + escapeMarkdown(alt) + "](" + escapeURL(src)
	if title != "" {
		out += ` "` + strings.ReplaceAll(title, `"`, `\"`) + `"`
	}
	return out + ")"
}
