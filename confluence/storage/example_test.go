package storage_test

import (
	"fmt"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

func ExampleToMarkdown() {
	body := `<h2>Deploy</h2>` +
		`<ac:structured-macro ac:name="warning"><ac:rich-text-body><p>Ask <ac:link><ri:user ri:account-id="557058:a1"/></ac:link> first.</p></ac:rich-text-body></ac:structured-macro>` +
		`<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[make deploy ENV=prod && echo <done>]]></ac:plain-text-body></ac:structured-macro>`

	// Resolve the mentioned users in one batch before converting.
	names := map[string]string{}
	for _, id := range storage.Mentions(body) {
		names[id] = "Ada" // e.g. from one users-bulk call
	}
	md, err := storage.ToMarkdown(body, storage.Options{
		ResolveUser: func(id string) (string, bool) { n, ok := names[id]; return n, ok },
	})
	if err != nil {
		panic(err)
	}
	fmt.Print(md)
	// Output:
	// ## Deploy
	//
	// > **Warning:** Ask @Ada first.
	//
	// ```bash
	// make deploy ENV=prod && echo <done>
	// ```
}

func ExampleLinks() {
	body := `<p>See <ac:link><ri:page ri:space-key="OPS" ri:content-title="Failover"/></ac:link>, ` +
		`<ac:link><ri:page ri:content-title="Gone"/></ac:link> and ` +
		`<ac:image><ri:attachment ri:filename="arch.png"/></ac:image></p>`

	// Resolve every target in one batch (e.g. one CQL search and one
	// attachment listing), then convert with a map lookup.
	urls := map[storage.LinkTarget]string{}
	for _, t := range storage.Links(body) {
		switch {
		case t.Kind == storage.LinkPage && t.Title == "Failover":
			urls[t] = "https://example.atlassian.net/wiki/spaces/OPS/pages/7/Failover"
		case t.Kind == storage.LinkAttachment:
			urls[t] = "https://example.atlassian.net/wiki/download/attachments/42/" + t.Filename
		}
	}
	md, err := storage.ToMarkdown(body, storage.Options{
		ResolveLink: func(t storage.LinkTarget) (string, bool) { u, ok := urls[t]; return u, ok },
	})
	if err != nil {
		panic(err)
	}
	fmt.Print(md)
	// Output:
	// See [Failover](https://example.atlassian.net/wiki/spaces/OPS/pages/7/Failover), Gone (page not found) and ![arch.png](https://example.atlassian.net/wiki/download/attachments/42/arch.png)
}
