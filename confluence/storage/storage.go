package storage

import (
	"errors"
	"strings"
)

// ErrUnreadable is returned when the input is not empty but nothing readable
// could be recovered from it.
var ErrUnreadable = errors.New("storage: no readable content")

// ErrSectionNotFound is returned when Options.Section names no heading of the
// page.
var ErrSectionNotFound = errors.New("storage: section not found")

// ToMarkdown converts a storage-format body to GitHub Flavored Markdown. The
// result is empty for an empty body and otherwise ends with one newline.
//
// It returns ErrUnreadable only when the input is malformed and not a single
// readable character could be recovered; any other malformed input is
// converted on a best-effort basis without an error.
func ToMarkdown(storage string, opts Options) (string, error) {
	return convert(storage, opts, false)
}

// ToText converts a storage-format body to plain text for display and search
// indexing: the words of the page with its structure as line breaks and no
// markup (see the package documentation). Errors are as for ToMarkdown.
func ToText(storage string, opts Options) (string, error) {
	return convert(storage, opts, true)
}

func convert(storage string, opts Options, text bool) (string, error) {
	root, recovered := parse(storage)
	if opts.Section != "" {
		sec, ok := findSection(root, opts.Section)
		if !ok {
			return "", ErrSectionNotFound
		}
		root = sec
	}
	r := &renderer{opts: opts, text: text}
	out := r.document(root)
	if out == "" && recovered && strings.TrimSpace(storage) != "" {
		return "", ErrUnreadable
	}
	return out, nil
}

// findSection returns a root holding the first heading whose text is title
// and its following siblings up to the next heading of the same or a higher
// level.
func findSection(root *node, title string) (*node, bool) {
	want := strings.ToLower(strings.TrimSpace(collapseSpace(title)))
	plain := &renderer{text: true}
	var found *node
	var walk func(*node) bool
	walk = func(n *node) bool {
		for i, c := range n.children {
			level := headingLevel(c)
			if level > 0 && strings.ToLower(strings.TrimSpace(collapseRuns(collapseSpace(plain.inlines(c.children))))) == want {
				found = &node{name: "#root", children: []*node{c}}
				for _, next := range n.children[i+1:] {
					if l := headingLevel(next); l > 0 && l <= level {
						break
					}
					found.children = append(found.children, next)
				}
				return true
			}
			if !c.isText() && walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	return found, found != nil
}

// headingLevel returns 1 to 6 for h1 to h6, else 0.
func headingLevel(n *node) int {
	if len(n.name) == 2 && n.name[0] == 'h' && n.name[1] >= '1' && n.name[1] <= '6' {
		return int(n.name[1] - '0')
	}
	return 0
}

// Mentions returns the account ids of the users mentioned in a storage-format
// body (ri:user elements with ri:account-id, in links and macro parameters),
// each once, in order of first appearance. Callers resolve them in one batch
// and pass the result as Options.ResolveUser. Malformed input yields the ids
// that could be read; the result is nil when there are none.
func Mentions(storage string) []string { return mentions(storage, "ri:account-id") }

// UserKeyMentions is Mentions for Confluence Data Center, whose bodies mention
// users by user key (ri:user ri:userkey): the user keys, each once, in order.
func UserKeyMentions(storage string) []string { return mentions(storage, "ri:userkey") }

func mentions(storage, attr string) []string {
	root, _ := parse(storage)
	var ids []string
	seen := map[string]bool{}
	var walk func(*node)
	walk = func(n *node) {
		if n.name == "ri:user" {
			if id := n.attr(attr); id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	return ids
}
