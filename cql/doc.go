// Package cql reads, checks, prints, builds and evaluates Confluence Query
// Language (CQL) as Confluence Cloud accepts it
// (https://developer.atlassian.com/cloud/confluence/advanced-searching-using-cql/).
//
// Parse turns text into a *Query or a *Error that says what is wrong and
// where (line, column, byte offset). Query.String prints canonical CQL that
// parses back to an Equal query. Build makes a query from typed values
// (Field("title").Eq(String(s)), And, Or, Not, In, dates, functions,
// ORDER BY) so that no value can change the structure of the query.
// Query.Match and Query.Sort evaluate a query over Documents, for the
// local Confluence simulator.
//
// The language, as implemented:
//
//   - query := expr [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]
//   - AND and OR have no precedence: a chain is read left to right, so
//     "a OR b AND c" is "(a OR b) AND c"; parentheses group.
//   - NOT applies to one clause or one parenthesised group; a query may not
//     start with NOT (Confluence rejects a negative first clause).
//   - Operators = != ~ !~ > >= < <= IN NOT IN, each allowed only on the
//     fields that accept it (the field table in fields.go); keywords and
//     field and function names are case-insensitive and printed in one
//     canonical spelling.
//   - Values are unquoted words, or strings in single or double quotes in
//     which a backslash makes the next character literal. The reserved
//     words (AND, OR, NOT, IN, ORDER, BY, ...; see parser.go) and the
//     reserved characters + ; ? | * % ^ $ # @ [ ] (and \ { }) must be quoted.
//   - Dates are yyyy-MM-dd or yyyy/MM/dd, optionally followed by HH:mm
//     (then quoted); ISO 8601 with a T is rejected as on Cloud.
//   - Functions: now, startOfDay/Week/Month/Year, endOfDay/Week/Month/Year
//     with an optional increment such as "-7d" (units y M w d h m);
//     currentUser(); favouriteSpaces(), recentlyViewedSpaces(limit),
//     currentSpace() for space; recentlyViewedContent(limit[, offset]) for
//     ancestor, content, id and parent.
//   - Text search (~, !~), a subset of Confluence's Lucene-derived syntax
//     (https://developer.atlassian.com/cloud/confluence/performing-text-searches-using-cql/):
//     case-insensitive words and double-quoted phrases, all of which must
//     match, analysed as English: Lucene's English stop words are ignored
//     (a phrase keeps their places) and words are stemmed, so "deployment
//     procedure" finds "deploying procedures" (Stem; analysis.go); * and ?
//     wildcards (not as the first character) and "term~" fuzzy (edit
//     distance 2, or term~0, term~1) are not analysed and are compared with
//     the stemmed words, as in Lucene. No Lucene boolean operators.
//
// All types are immutable once returned and safe for concurrent use.
package cql
