package storage

import (
	"strings"
)

// link renders link text and an optional URL. Without a URL the text stays,
// followed by the target's name in parentheses when the two differ, so the
// target is not lost. Plain text shows the text only.
func (r *renderer) link(text, url, target string) string {
	text = strings.TrimSpace(text)
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

// stripMarkup approximates the plain text of rendered Markdown link text, to
// compare it with a target name.
func stripMarkup(s string) string {
	return strings.NewReplacer(`\`, "", "**", "", "*", "", "~~", "").Replace(s)
}

// anchorLink renders an HTML <a>: a link with href, or an anchor target.
func (r *renderer) anchorLink(n *node) string {
	text := r.inlines(n.children)
	href := strings.TrimSpace(n.attr("href"))
	if !safeURL(href) {
		href = ""
	}
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
		case "ri:page", "ri:blog-post":
			title := c.attr("ri:content-title")
			space := c.attr("ri:space-key")
			url := ""
			if title != "" && r.opts.PageURL != nil {
				if u, ok := r.opts.PageURL(space, title); ok {
					url = u
					if anchor != "" {
						url += "#" + anchor
					}
				}
			}
			if title == "" && anchor != "" {
				return r.link(text, "#"+anchor, anchor)
			}
			target := title
			if anchor != "" {
				target += "#" + anchor
			}
			return r.link(text, url, target)
		case "ri:attachment":
			name := c.attr("ri:filename")
			url := ""
			if c.child("ri:page") == nil && c.child("ri:blog-post") == nil && r.opts.AttachmentURL != nil {
				if u, ok := r.opts.AttachmentURL(name); ok {
					url = u
				}
			}
			return r.link(text, url, name)
		case "ri:url":
			u := c.attr("ri:value")
			return r.link(text, u, u)
		case "ri:space", "ri:content-entity", "ri:shortcut":
			return r.link(text, "", resourceName(c))
		}
	}
	if anchor != "" {
		return r.link(text, "#"+anchor, anchor)
	}
	return text
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
	if acc := n.attr("ri:account-id"); acc != "" && r.opts.ResolveUser != nil {
		if dn, ok := r.opts.ResolveUser(acc); ok && strings.TrimSpace(dn) != "" {
			name = strings.TrimSpace(dn)
		}
	}
	if r.text {
		return "@" + name
	}
	return "@" + escapeMarkdown(name)
}

// image renders ac:image as ![alt](url "title"); the URL is the attachment's
// when known, else its file name, or the ri:url value.
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
			name = c.attr("ri:filename")
			src = name
			if alt == "" && caption == "" {
				alt = name
			}
			if c.child("ri:page") == nil && r.opts.AttachmentURL != nil {
				if u, ok := r.opts.AttachmentURL(name); ok {
					src = u
				}
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
	src := n.attr("src")
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
