// Package storage converts Confluence storage format (the XHTML dialect with
// ac: and ri: elements that Confluence stores page bodies in) to Markdown and
// to plain text, for the API's MARKDOWN and TEXT body formats and for search
// indexing.
//
// The converter parses the input with encoding/xml in non-strict mode, so
// CDATA sections (the bodies of code and noformat macros) survive intact and
// HTML entities such as &nbsp; and &mdash; are decoded. It then walks the
// element tree with its own renderer, which knows the Confluence elements and
// macros and never drops content silently.
//
// Why not an HTML-to-Markdown library (html-to-markdown v2 was weighed):
// those start from an HTML5 parse, which turns CDATA into comments (losing
// code macro bodies) and knows nothing of ac:structured-macro, ac:link,
// ri:page or ac:task-list. Rewriting every macro to HTML first and then
// converting would need the same element walk this package does, plus a
// second pass; the tables with multi-line cells, panels as labelled quotes
// and unknown macros reduced to their body would still need custom rules. One walker over the XML tokens is less code than that adapter.
//
// # Markdown
//
// Output is GitHub Flavored Markdown:
//
//   - Headings, paragraphs, **strong**, *em*, ~~strike~~, `code`, block quotes,
//     "---" rules, hard line breaks as two trailing spaces. Underline,
//     subscript and superscript, which Markdown lacks, stay as <u>, <sub> and
//     <sup>. Text that Markdown would read as markup is backslash-escaped.
//   - Nested lists indented under their item; task lists as "- [x]" / "- [ ]".
//   - Pipe tables. The header is a first row of header cells (th, or cells
//     in thead), or a first row Cloud shows as a header: every cell bold, or
//     every cell highlighted (data-highlight-colour). Otherwise the header
//     row is empty, and header cells elsewhere are bold. A cell's paragraphs,
//     list items and code lines are joined with <br>, code lines become code
//     spans, and pipes are escaped. Merged cells (rowspan, colspan, each
//     capped at 64) are repeated in every row and column they cover, so no
//     value changes row or column. One budget bounds a table's expanded grid
//     (8 times the table's source plus 64 KiB): the rows past it are left
//     out and "[table cut: n of m rows shown]" says so, so the output stays
//     linear in the input.
//   - Links: [text](url), with the spaces at the edges of the text kept
//     outside the link. Links to pages (by id, by space key and title, by
//     title in the current space), blog posts, spaces and attachments (of
//     this or another page) get their URL from Options.ResolveLink, which
//     Links lets callers fill in one batch. Without a resolver they render as
//     their text, followed by the target in parentheses when the text
//     differs; a target the resolver does not know keeps its text and is
//     marked "(page not found: …)". Same-page anchors link to "#name";
//     anchors on other pages are appended to the page's URL; anchor macros
//     become <a id="name"></a>. Script and data URLs are dropped, keeping
//     the text.
//   - Mentions as @displayName (Options.ResolveUser) or @accountId; images as
//     ![alt](url "title"), the URL being the attachment's resolved URL (the
//     file name without a resolver, "[image: name (attachment not found)]"
//     when the resolver does not know it); emoticons as emoji, or :name: for
//     custom ones.
//   - Macros: code, noformat and the code macros of common apps (code-pro,
//     code-block, plantuml, mermaid, ...: the codeMacros table) as fenced
//     blocks with their language and a bold title line; info, note, warning
//     and tip as "> **Warning:** ..."; panel as a quote led by its bold
//     title; expand as its bold title then its content; status as [TEXT];
//     jira as the issue key, linked when Options.JiraBaseURL is set, or
//     [Jira issues: JQL]; draw.io, Gliffy and view-file as a named link to
//     the attachment ("[draw.io diagram: name](url)"); profile as the
//     mention; html as its HTML converted; toc, children, list-children,
//     pagetree, include, excerpt-include, page properties reports and
//     similar generated content as placeholders such as [Table of contents]
//     or [Included page: SPACE:Title]; excerpt (unless hidden), section,
//     column and page properties as their content. Any other macro renders
//     its body, or "[macro name]" when it has none; its parameters are
//     configuration and are left out.
//   - ac:adf-extension: panels as callouts with their type ("> **Note:**"),
//     decision lists as "- **Decision:** ..." items, status as [TEXT], other
//     nodes as their fallback or content.
//   - Strikethrough (s, del, strike, a line-through span) as ~~text~~.
//   - Layouts are flattened in reading order. Editor placeholders (the grey
//     instructional text of templates) are left out.
//
// # Cutting markup
//
// Cut and CutADF shorten a storage/view (XHTML) or ATLAS_DOC_FORMAT (JSON)
// body to a number of characters without breaking it: at an element or node
// boundary, with everything open closed again.
//
// # Plain text
//
// ToText keeps the words and the structure as line breaks, without markup:
// paragraphs are separated by a blank line, list items keep a "- " or "1. "
// marker and their indentation, tasks start with "[x] " or "[ ] ", table rows
// become lines with cells separated by " | " (lines inside a cell by " / "),
// links show their text, images "[image: alt]", and macros the same bracketed
// labels as in Markdown.
//
// # Malformed input
//
// Malformed input never panics and is rendered on a best-effort basis: broken
// tags are skipped, unclosed elements are closed at the end (and a new <li>,
// <p>, <tr> or cell closes the previous one), stray end tags are ignored,
// invalid UTF-8 is replaced and characters XML forbids are removed. Nesting
// deeper than 200 elements is flattened, its text kept where a reader sees
// it. ErrUnreadable is returned only when nothing readable is left.
//
// All functions are safe for concurrent use; they keep no state between calls.
package storage
