package storage

import (
	"strconv"
	"strings"
)

// list renders ul and ol, with nested lists indented under their item.
func (r *renderer) list(n *node) []block {
	r.lists++
	defer func() { r.lists-- }()
	ordered := n.name == "ol"
	num := 1
	if s, err := strconv.Atoi(strings.TrimSpace(n.attr("start"))); err == nil && s >= 0 && s < 1e9 {
		num = s
	}
	var items []string
	for _, c := range n.children {
		switch {
		case c.isText() && strings.TrimSpace(c.text) == "":
			continue
		case c.name == "li":
			marker := "- "
			if ordered {
				marker = strconv.Itoa(num) + ". "
				num++
			}
			items = append(items, r.indentItem(marker, r.itemBody(c.children)))
		case c.name == "ul" || c.name == "ol" || c.name == "ac:task-list":
			// A list directly inside a list belongs to the previous item.
			nested := joinBlocks(r.block(c), "\n")
			if len(items) == 0 {
				items = append(items, nested)
			} else if nested != "" {
				items[len(items)-1] += "\n" + r.indentItem("  ", nested)
			}
		default:
			// Stray content between items: keep it as an item of its own.
			if s := joinBlocks(r.blocks([]*node{c}), "\n\n"); s != "" {
				items = append(items, r.indentItem("- ", s))
			}
		}
	}
	if len(items) == 0 {
		return nil
	}
	return []block{{s: strings.Join(items, "\n"), kind: kindList}}
}

// taskList renders ac:task-list as GFM task items ("- [x] ") in Markdown and
// "[x] " items in plain text.
func (r *renderer) taskList(n *node) []block {
	r.lists++
	defer func() { r.lists-- }()
	var items []string
	for _, c := range n.children {
		switch c.name {
		case "ac:task":
			done := false
			if st := c.child("ac:task-status"); st != nil {
				done = strings.EqualFold(strings.TrimSpace(st.textContent()), "complete")
			}
			marker := "- [ ] "
			if done {
				marker = "- [x] "
			}
			if r.text {
				marker = marker[2:]
			}
			var body []*node
			if b := c.child("ac:task-body"); b != nil {
				body = b.children
			}
			// Nested content aligns with the text after "- ", not after the
			// checkbox, or Markdown would read it as continuation text.
			items = append(items, r.indentItemPad(marker, r.itemBody(body), "  "))
		case "ac:task-list", "ul", "ol":
			nested := joinBlocks(r.block(c), "\n")
			if len(items) == 0 {
				items = append(items, nested)
			} else if nested != "" {
				items[len(items)-1] += "\n" + r.indentItem("  ", nested)
			}
		}
	}
	if len(items) == 0 {
		return nil
	}
	return []block{{s: strings.Join(items, "\n"), kind: kindList}}
}

// itemBody renders the content of a list item: blocks separated by a blank
// line, except that a nested list follows its text directly.
func (r *renderer) itemBody(nodes []*node) string {
	var b strings.Builder
	for _, bl := range r.blocks(nodes) {
		if bl.s == "" {
			continue
		}
		if b.Len() > 0 {
			if bl.kind == kindList {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(bl.s)
	}
	return b.String()
}

// indentItem puts marker before the first line and indents the others to the
// marker's width.
func (r *renderer) indentItem(marker, body string) string {
	return r.indentItemPad(marker, body, strings.Repeat(" ", len(marker)))
}

// indentItemPad is indentItem with an explicit indentation.
func (r *renderer) indentItemPad(marker, body, pad string) string {
	if body == "" {
		return strings.TrimRight(marker, " ")
	}
	if r.lists > maxListNesting {
		pad = ""
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		switch {
		case i == 0:
			lines[i] = marker + l
		case l != "":
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}
