package storage

import "strings"

// adfPanels maps the panel types of ac:adf-extension panels to the label a
// reader sees; other types render as "Note".
var adfPanels = map[string]string{
	"info": "Info", "note": "Note", "warning": "Warning", "error": "Error",
	"success": "Success", "tip": "Tip", "custom": "",
}

// adfAttr returns the value of an ADF node's ac:adf-attribute with the key.
func adfAttr(n *node, key string) string {
	for _, c := range n.children {
		if c.name == "ac:adf-attribute" && strings.EqualFold(c.attr("key"), key) {
			return strings.TrimSpace(c.textContent())
		}
	}
	return ""
}

// adfExtension renders ac:adf-extension, the storage form of editor nodes
// that storage format has no element for. Panels render as callouts with
// their type, decision lists as "Decision:" items and status as "[TEXT]";
// other nodes render their fallback, or else their content.
func (r *renderer) adfExtension(n *node) []block {
	if nd := n.child("ac:adf-node"); nd != nil {
		if bs, ok := r.adfNode(nd); ok {
			return bs
		}
	}
	if fb := n.child("ac:adf-fallback"); fb != nil {
		return r.blocks(fb.children)
	}
	return r.blocks(adfContent(n))
}

// adfNode renders the ADF node types the converter knows; ok is false for
// the others.
func (r *renderer) adfNode(n *node) ([]block, bool) {
	switch strings.ToLower(n.attr("type")) {
	case "panel":
		label, ok := adfPanels[strings.ToLower(adfAttr(n, "panel-type"))]
		if !ok {
			label = "Note"
		}
		body := r.quotedBlocks(adfContent(n))
		if label == "" {
			return r.quote("", body), true
		}
		lead := r.label(label+":", "").s
		if len(body) > 0 && body[0].kind == kindPara {
			body[0].s = lead + " " + body[0].s
			return r.quote("", body), true
		}
		return r.quote(lead, body), true
	case "decision-list":
		r.lists++
		defer func() { r.lists-- }()
		var items []string
		for _, c := range n.children {
			if c.name != "ac:adf-node" || !strings.EqualFold(c.attr("type"), "decision-item") {
				continue
			}
			label := "Decision:"
			if !strings.EqualFold(adfAttr(c, "state"), "DECIDED") {
				label = "Undecided:"
			}
			body := r.itemBody(adfContent(c))
			if !r.text {
				label = "**" + label + "**"
			}
			items = append(items, r.indentItem("- ", strings.TrimSpace(label+" "+body)))
		}
		if len(items) == 0 {
			return nil, false
		}
		return []block{{s: strings.Join(items, "\n"), kind: kindList}}, true
	case "status":
		text := adfAttr(n, "text")
		if text == "" {
			return nil, false
		}
		return []block{{s: r.bracket(strings.ToUpper(text)), kind: kindPara}}, true
	}
	return nil, false
}
