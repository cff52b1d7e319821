// Package storage converts Confluence storage format (the XHTML dialect with
// ac: and ri: elements that Confluence stores page bodies in) to Markdown and
// to plain text.
//
// The converter parses the input with encoding/xml in non-strict mode, so
// CDATA sections (the bodies of code and noformat macros) survive intact and
// HTML entities such as &nbsp; and &mdash; are decoded. It then walks the
// element tree with its own renderer, which knows the Confluence elements and
// macros and never drops content silently: a macro it does not know is shown
// as "[macro name: key=value]" followed by its body.
//
// Markdown output is GitHub Flavored Markdown: pipe tables (with <br> for line
// breaks inside cells), task lists, ~~strikethrough~~. Underline, subscript and
// superscript, which Markdown lacks, are kept as the inline HTML tags <u>,
// <sub> and <sup>.
//
// Plain text output (ToText) keeps the words and the structure as line breaks:
// paragraphs are separated by a blank line, list items keep a "- " or "1. "
// marker and their indentation, table rows become lines with cells separated
// by " | ", and there is no other markup.
//
// Malformed input never panics and is rendered on a best-effort basis: broken
// tags are skipped, unclosed elements are closed at the end, stray end tags are
// ignored, invalid UTF-8 and control characters are replaced or removed.
//
// All functions are safe for concurrent use; they keep no state between calls.
package storage
