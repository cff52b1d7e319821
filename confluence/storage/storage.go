package storage

import (
	"errors"
	"strings"
)

// ErrUnreadable is returned when the input is not empty but nothing readable
// could be recovered from it.
var ErrUnreadable = errors.New("storage: no readable content")

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
	r := &renderer{opts: opts, text: text}
	out := r.document(root)
	if out == "" && recovered && strings.TrimSpace(storage) != "" {
		return "", ErrUnreadable
	}
	return out, nil
}

// Mentions returns the account ids of the users mentioned in a storage-format
// body (ri:user elements with ri:account-id, in links and macro parameters),
// each once, in order of first appearance. Callers resolve them in one batch
// and pass the result as Options.ResolveUser. Malformed input yields the ids
// that could be read; the result is nil when there are none.
func Mentions(storage string) []string {
	root, _ := parse(storage)
	var ids []string
	seen := map[string]bool{}
	var walk func(*node)
	walk = func(n *node) {
		if n.name == "ri:user" {
			if id := n.attr("ri:account-id"); id != "" && !seen[id] {
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
