package confluencetest

import (
	"fmt"
	"strings"
)

// Builders for storage-format constructs used by the datasets.

func codeMacro(lang, body string) string {
	return `<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">` + lang +
		`</ac:parameter><ac:plain-text-body><![CDATA[` + body + `]]></ac:plain-text-body></ac:structured-macro>`
}

func panelMacro(name, title, body string) string {
	t := ""
	if title != "" {
		t = `<ac:parameter ac:name="title">` + htmlEscape(title) + `</ac:parameter>`
	}
	return `<ac:structured-macro ac:name="` + name + `" ac:schema-version="1">` + t + `<ac:rich-text-body>` + body + `</ac:rich-text-body></ac:structured-macro>`
}

func expandMacro(title, body string) string { return panelMacro("expand", title, body) }

func statusMacro(colour, title string) string {
	return `<ac:structured-macro ac:name="status" ac:schema-version="1"><ac:parameter ac:name="colour">` + colour +
		`</ac:parameter><ac:parameter ac:name="title">` + title + `</ac:parameter></ac:structured-macro>`
}

func jiraMacro(key string) string {
	return `<ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="server">https://example.atlassian.net</ac:parameter><ac:parameter ac:name="key">` + key + `</ac:parameter></ac:structured-macro>`
}

func mention(accountID string) string {
	return `<ac:link><ri:user ri:account-id="` + accountID + `" /></ac:link>`
}

func pageLink(spaceKey, title string) string {
	sk := ""
	if spaceKey != "" {
		sk = ` ri:space-key="` + spaceKey + `"`
	}
	return `<ac:link><ri:page` + sk + ` ri:content-title="` + htmlEscape(title) + `" /></ac:link>`
}

func imageAttachment(filename string) string {
	return `<ac:image ac:alt="` + htmlEscape(filename) + `"><ri:attachment ri:filename="` + htmlEscape(filename) + `" /></ac:image>`
}

func taskList(items ...string) string {
	var b strings.Builder
	b.WriteString("<ac:task-list>")
	for i, it := range items {
		st := "incomplete"
		if t, ok := strings.CutPrefix(it, "[x] "); ok {
			st, it = "complete", t
		}
		fmt.Fprintf(&b, "<ac:task><ac:task-id>%d</ac:task-id><ac:task-status>%s</ac:task-status><ac:task-body>%s</ac:task-body></ac:task>", i+1, st, it)
	}
	b.WriteString("</ac:task-list>")
	return b.String()
}

func table(header []string, rows ...[]string) string {
	var b strings.Builder
	b.WriteString("<table><tbody><tr>")
	for _, h := range header {
		b.WriteString("<th>" + h + "</th>")
	}
	b.WriteString("</tr>")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			b.WriteString("<td>" + c + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

func tocMacro() string { return `<ac:structured-macro ac:name="toc" ac:schema-version="1" />` }
