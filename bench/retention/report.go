package main

import (
	"fmt"
	"io"
	"net/url"
	"runtime/debug"
	"strings"
	"text/tabwriter"
)

// h2mModule is html-to-markdown v2's module path, for its version in the report.
const h2mModule = "github.com/JohannesKaufmann/html-to-markdown/v2"

// DocResult is one page's measurement: what it has, and what each converter
// (in the order of Report.Converters) kept of it.
type DocResult struct {
	Name    string
	Source  Source
	Results []Result
}

// Report is the measurement of a corpus.
type Report struct {
	Corpus     string
	Bytes      int
	Converters []string
	Docs       []DocResult
}

// Run converts every page with every converter and measures the outputs.
func Run(docs []Doc, convs []Converter) *Report {
	base, _ := url.Parse(Site)
	rep := &Report{}
	for _, c := range convs {
		rep.Converters = append(rep.Converters, c.Name)
	}
	for _, d := range docs {
		rep.Bytes += len(d.Body)
		dr := DocResult{Name: d.Name, Source: Analyze(d.Body, Resolve, base)}
		for _, c := range convs {
			out, err := c.Convert(d.Body)
			dr.Results = append(dr.Results, Measure(dr.Source, out, err))
		}
		rep.Docs = append(rep.Docs, dr)
	}
	return rep
}

// Totals sums each converter's scores over the corpus: words, links and
// code languages, in the order of Report.Converters.
func (r *Report) Totals() []Result {
	tot := make([]Result, len(r.Converters))
	for _, d := range r.Docs {
		for i, res := range d.Results {
			tot[i].Words = tot[i].Words.Add(res.Words)
			tot[i].Links = tot[i].Links.Add(res.Links)
			tot[i].Langs = tot[i].Langs.Add(res.Langs)
		}
	}
	return tot
}

// pct renders a score as "97.5%" and "-" when there is nothing to keep.
func pct(s Score) string {
	if s.Total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", s.Percent())
}

// frac renders a score as "39/40".
func frac(s Score) string { return fmt.Sprintf("%d/%d", s.Kept, s.Total) }

// Text prints the per-document table and the totals.
func (r *Report) Text(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t", "document")
	for _, group := range []string{"words", "links", "code langs"} {
		fmt.Fprintf(tw, "%s\t", group)
		for _, c := range r.Converters {
			fmt.Fprintf(tw, "%s\t", c)
		}
	}
	fmt.Fprintln(tw)
	row := func(name string, words, links, langs int, res []Result) {
		fmt.Fprintf(tw, "%s\t%d\t", name, words)
		for _, x := range res {
			fmt.Fprintf(tw, "%s\t", pct(x.Words))
		}
		fmt.Fprintf(tw, "%d\t", links)
		for _, x := range res {
			fmt.Fprintf(tw, "%s\t", frac(x.Links))
		}
		fmt.Fprintf(tw, "%d\t", langs)
		for _, x := range res {
			fmt.Fprintf(tw, "%s\t", frac(x.Langs))
		}
		fmt.Fprintln(tw)
	}
	for _, d := range r.Docs {
		row(d.Name, d.Results[0].Words.Total, len(d.Source.Links), len(d.Source.Langs), d.Results)
	}
	tot := r.Totals()
	row("total", tot[0].Words.Total, tot[0].Links.Total, tot[0].Langs.Total, tot)
	tw.Flush()
}

// Markdown renders the report as this command's section of RESULTS.md,
// markers included.
func (r *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	tot := r.Totals()
	p("%s\n## Content retention: the storage converter against html-to-markdown v2\n\n", sectionBegin)
	p("Regenerate with `go run ./bench/retention` (part of `make bench`). Corpus: the converter's golden inputs, "+
		"`%s/*.xml` (%d pages, %d KB of storage format). The other converter is html-to-markdown %s, its default "+
		"converter (`htmltomarkdown.ConvertString`) on the same XHTML with `converter.WithDomain(%q)`. Ours runs "+
		"with `BaseURL` and `JiraBaseURL` set to that site and a `ResolveLink` that gives every page, blog post, "+
		"space and attachment an absolute URL on it (every target exists).\n\n",
		r.Corpus, len(r.Docs), (r.Bytes+512)/1024, h2mVersion(), Site)
	p("| measure | %s |\n| --- |%s\n", strings.Join(r.Converters, " | "), strings.Repeat(" ---: |", len(r.Converters)))
	line := func(name string, get func(Result) Score) {
		p("| %s |", name)
		for _, t := range tot {
			p(" %s (%s) |", pct(get(t)), frac(get(t)))
		}
		p("\n")
	}
	line("text retention (visible words)", func(x Result) Score { return x.Words })
	line("link retention (link targets)", func(x Result) Score { return x.Links })
	line("code-block language retention", func(x Result) Score { return x.Langs })
	p("\nHow it is measured:\n\n")
	p("- **Words**: runs of letters and digits (lower case) of the page's text nodes, entities decoded, " +
		"without URLs, counted as a multiset: a word the page has three times is kept as often as the output has " +
		"it, at most three times (a set would hide a lost paragraph whose words occur elsewhere). Not counted, " +
		"because Confluence does not show them to a reader: macro parameters (`ac:parameter`), ADF node " +
		"attributes and the ADF fallback (a second rendering of the node beside it), task ids and statuses, " +
		"editor placeholders, and the body of an excerpt with `hidden=true`. URLs are removed from the output " +
		"too, so words of a URL do not stand in for lost link text.\n")
	p("- **Links**: the targets `storage.Links` lists (pages, blog posts, spaces, attachments of links, " +
		"images and file macros) with the URL the resolver gives them, and the page's `a href`, `img src` and " +
		"`ri:url` values made absolute against the site (not same-page `#anchors`, nor `javascript:`, `data:` and " +
		"`vbscript:` URLs, which a safe converter drops); each distinct URL once. A link is kept when its URL " +
		"appears in the output (Markdown escapes, entities and percent-escapes undone on both sides) and not only " +
		"as the start of a longer URL.\n")
	p("- **Code languages**: code macros with a `language` or `lang` parameter and a plain-text body; kept when " +
		"an opening fence line names the language (without case), once per block.\n\n")
	p("html-to-markdown parses the page as HTML: it cannot resolve `ri:` targets (pages, attachments and " +
		"images have no URL to give), reads CDATA sections (code and noformat bodies, plain link texts) as " +
		"comments, and its default converter has no table plugin, so cells run together.\n\n")
	r.writeLosses(p)
	r.writeTable(p)
	p("%s\n", sectionEnd)
	return b.String()
}

// writeLosses lists, per page, what the first converter (ours) does not keep.
func (r *Report) writeLosses(p func(string, ...any)) {
	p("What %s does not keep:\n\n", r.Converters[0])
	none := true
	for _, d := range r.Docs {
		res := d.Results[0]
		var parts []string
		if res.Err != nil {
			parts = append(parts, fmt.Sprintf("error: %v", res.Err))
		}
		for _, l := range res.LostLinks {
			parts = append(parts, "link to "+l.Name)
		}
		if len(res.LostWords) > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d words (%s)", res.Words.Total-res.Words.Kept, res.Words.Total,
				strings.Join(res.LostWords, ", ")))
		}
		for _, lang := range res.LostLangs {
			parts = append(parts, "code language "+lang)
		}
		if len(parts) > 0 {
			none = false
			p("- `%s`: %s\n", d.Name, strings.Join(parts, "; "))
		}
	}
	if none {
		p("- nothing\n")
	}
	p("\n")
}

// writeTable renders the per-page table, folded.
func (r *Report) writeTable(p func(string, ...any)) {
	p("<details><summary>Per page</summary>\n\n| page | words |")
	for _, c := range r.Converters {
		p(" %s |", c)
	}
	p(" links |")
	for _, c := range r.Converters {
		p(" %s |", c)
	}
	p(" code langs |")
	for _, c := range r.Converters {
		p(" %s |", c)
	}
	p("\n|---|%s\n", strings.Repeat("---:|", 3*(len(r.Converters)+1)))
	for _, d := range r.Docs {
		p("| %s | %d |", d.Name, d.Results[0].Words.Total)
		for _, x := range d.Results {
			p(" %s |", pct(x.Words))
		}
		p(" %d |", len(d.Source.Links))
		for _, x := range d.Results {
			p(" %s |", frac(x.Links))
		}
		p(" %d |", len(d.Source.Langs))
		for _, x := range d.Results {
			p(" %s |", frac(x.Langs))
		}
		p("\n")
	}
	p("\n</details>\n\n")
}

// h2mVersion is the version of html-to-markdown this binary was built with.
func h2mVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == h2mModule {
				return d.Version
			}
		}
	}
	return "v2"
}
