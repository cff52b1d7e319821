// Package attachtext extracts readable text from the files attached to
// Confluence content, for the API's Attachment.text: plain text, Markdown,
// CSV and TSV, JSON, YAML, XML, logs and other text files as they are; HTML
// through the storage-format converter (confluence/storage); PDF through
// github.com/ledongthuc/pdf; DOCX from the document part of the archive.
//
// Extract reads at most Options.MaxBytes of a file (20 MiB unless set), as a
// stream: a text file beyond the cap yields the text of its first MaxBytes
// and says so (Text.Incomplete, and CutMarker at the end of the text); a PDF or DOCX, which cannot be read from a
// prefix, is refused with a *TooLargeError. Other formats get an
// *UnsupportedError naming the type; a broken, encrypted or hostile document
// (a zip bomb, a PDF whose streams inflate without end) gets a
// *DocumentError, or partial text marked Incomplete, in bounded time and
// memory. No input makes it panic.
//
// All functions are safe for concurrent use.
package attachtext
