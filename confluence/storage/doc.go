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
// and unknown macros kept with their parameters would still need custom
// rules. One walker over the XML tokens is less code than that adapter.
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
//   - Pipe tables. A first row of header cells becomes the header, otherwise
//     the header row is empty; header cells elsewhere are bold. A cell's
//     paragraphs, list items and code lines are joined with <br>, code lines
//     become code spans, pipes are escaped, and merged cells are split with
//     the extra cells left empty, so no value changes row or column.
//   - Links: [text](url). Links to pages, blog posts and attachments get their
//     URL from Options; without one they render as their text, followed by the
//     target in parentheses when the text differs. Same-page anchors link to
//     "#name"; anchor macros become <a id="name"></a>. Script and data URLs are
//     dropped, keeping the text.
//   - Mentions as @displayName (Options.ResolveUser) or @accountId; images as
//     ![alt](url "title"), the URL being the attachment's URL when known, else
//     its file name; emoticons as emoji, or :name: for custom ones.
//   - Macros: code and noformat as fenced blocks (with the language and a bold
//     title line); info, note, warning and tip as "> **Warning:** ..."; panel as
//     a quote led by its bold title; expand as its bold title then its content;
//     status as [TEXT]; jira as the issue key, or [Jira issues: JQL]; toc,
//     children, pagetree, include, excerpt-include and similar generated
//     content as placeholders such as [Table of contents] or
//     [Included page: SPACE:Title]; excerpt, section, column and page
//     properties as their content. Any other macro renders as
//     "[macro name: key=value, ...]" followed by its body.
//   - Layouts are flattened in reading order. Editor placeholders (the grey
//     instructional text of templates) are left out.
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
// deeper than 200 elements is flattened. ErrUnreadable is returned only when
// nothing readable is left.
//
// All functions are safe for concurrent use; they keep no state between calls.
package storage
