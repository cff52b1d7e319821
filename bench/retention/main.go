// Command retention measures how much of a Confluence page survives the
// conversion to Markdown, for the project's converter (confluence/storage)
// and for html-to-markdown v2's default converter on the same storage XHTML:
//
//   - text retention: the share of the page's visible words that the output
//     has (as multisets; macro parameters, ADF attributes and fallbacks, task
//     metadata, placeholders and hidden excerpts are not visible);
//   - link retention: the share of the page's link targets (pages, blog
//     posts, spaces and attachments of links, images and file macros, as
//     storage.Links lists them, each resolved to a URL on a fake site; plain
//     a href, img src and ri:url values) whose absolute URL the output has;
//   - code-language retention: the share of code macros with a language
//     whose language names a fence line.
//
// The corpus is the converter's golden inputs, confluence/storage/testdata/*.xml.
// It prints a table per document and the totals side by side, and replaces
// its own section of bench/RESULTS.md (leaving the rest of the file alone).
// Run it from the repository root:
//
//	go run ./bench/retention                # print and rewrite the section
//	go run ./bench/retention -results ""    # print only
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/confluence-graph/confluence-graph/bench"
)

// The markers of this command's section of bench/RESULTS.md.
const (
	sectionBegin = "<!-- retention:begin (written by go run ./bench/retention; edits inside are overwritten) -->"
	sectionEnd   = "<!-- retention:end -->"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "retention: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	fs.SetOutput(stderr)
	corpus := fs.String("corpus", "confluence/storage/testdata", "`dir`ectory of storage-format pages (*.xml)")
	results := fs.String("results", "bench/RESULTS.md", "`file` whose retention section is rewritten; empty: print only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	docs, err := LoadCorpus(*corpus)
	if err != nil {
		return err
	}
	rep := Run(docs, Converters())
	rep.Corpus = filepath.ToSlash(*corpus)
	rep.Text(stdout)
	if *results == "" {
		return nil
	}
	if err := bench.WriteSection(*results, sectionBegin, sectionEnd, rep.Markdown()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote its section of %s\n", *results)
	return nil
}

// Doc is one page of the corpus.
type Doc struct {
	Name, Body string
}

// LoadCorpus reads every *.xml file of dir, in name order.
func LoadCorpus(dir string) ([]Doc, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no *.xml in %s (run from the repository root, or pass -corpus)", dir)
	}
	docs := make([]Doc, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		docs = append(docs, Doc{Name: strings.TrimSuffix(filepath.Base(p), ".xml"), Body: string(b)})
	}
	return docs, nil
}
