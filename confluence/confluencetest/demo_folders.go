package confluencetest

import (
	"fmt"
	"time"
)

// The demo's content tree beyond pages, as Cloud spaces have had it since 2024: a folder under
// Operations Home holding a nested folder, each with a page inside; a whiteboard beside them;
// a database under Architecture Home and an embed (Smart Link) under Engineering Home. Node ids
// from 400001 up, pages from 100060 up.

// demoNodes are the demo's folders, whiteboard, database and embed.
func demoNodes(ago func(days, hours int) time.Time) []Node {
	return []Node{
		{ID: "400001", Type: KindFolder, SpaceKey: "OPS", Title: "Team handbooks", ParentID: "100001", Position: 3, AuthorID: demoCarol, CreatedAt: ago(60, 0)},
		{ID: "400002", Type: KindFolder, SpaceKey: "OPS", Title: "Network", ParentID: "400001", Position: 1, AuthorID: demoCarol, CreatedAt: ago(59, 0)},
		{ID: "400003", Type: KindWhiteboard, SpaceKey: "OPS", Title: "Incident response flow", ParentID: "100001", Position: 4, AuthorID: demoAlice, CreatedAt: ago(30, 0)},
		{ID: "400004", Type: KindDatabase, SpaceKey: "ARCH", Title: "Service catalog", ParentID: "100020", Position: 4, AuthorID: demoCarol, CreatedAt: ago(45, 0)},
		{ID: "400005", Type: KindEmbed, SpaceKey: "ENG", Title: "Status dashboard", ParentID: "100040", Position: 4, AuthorID: demoDan, CreatedAt: ago(20, 0),
			EmbedURL: "https://status.example.com/"},
	}
}

// demoFolderPages are the pages inside the demo's folders.
func demoFolderPages(ago func(days, hours int) time.Time) []Page {
	page := func(id, parent string, pos int, title, author string, at time.Time, body string) Page {
		return Page{ID: id, SpaceKey: "OPS", ParentID: parent, Position: pos, Title: title, AuthorID: author,
			CreatedAt: at, Watchers: []string{author}, Versions: []Version{{CreatedAt: at, AuthorID: author, Body: body}}}
	}
	return []Page{
		page("100060", "400002", 1, "VPN troubleshooting", demoCarol, ago(58, 0),
			`<h1>VPN troubleshooting</h1><p>When the VPN drops, check the tunnel status page first, then restart the client.</p>`),
		page("100061", "400001", 2, "Shift handover checklist", demoEve, ago(57, 0),
			`<h1>Shift handover checklist</h1><p>Hand over open incidents, silenced alerts and pending deploys.</p>`),
	}
}

// benchFolders adds a folder holding a nested folder and a whiteboard under the home page of
// each bench space, and moves the space's last two pages into the folders (ids stay, so the
// page count and the random draws do not change).
func benchFolders(d *Dataset, now time.Time) {
	last := map[string][]int{} // space key -> indexes of its pages, in id order
	for i, p := range d.Pages {
		last[p.SpaceKey] = append(last[p.SpaceKey], i)
	}
	for si, sp := range d.Spaces {
		idx := last[sp.Key]
		if len(idx) < 3 {
			continue
		}
		base := 90000001 + si*10
		f1, f2, wb := fmt.Sprint(base), fmt.Sprint(base+1), fmt.Sprint(base+2)
		at := now.Add(-24 * time.Hour)
		d.Nodes = append(d.Nodes,
			Node{ID: f1, Type: KindFolder, SpaceKey: sp.Key, Title: "Folder " + sp.Key, ParentID: sp.HomepageID, Position: 1000, AuthorID: sp.AuthorID, CreatedAt: at},
			Node{ID: f2, Type: KindFolder, SpaceKey: sp.Key, Title: "Nested folder " + sp.Key, ParentID: f1, Position: 1, AuthorID: sp.AuthorID, CreatedAt: at},
			Node{ID: wb, Type: KindWhiteboard, SpaceKey: sp.Key, Title: "Whiteboard " + sp.Key, ParentID: sp.HomepageID, Position: 1001, AuthorID: sp.AuthorID, CreatedAt: at})
		a, b := &d.Pages[idx[len(idx)-1]], &d.Pages[idx[len(idx)-2]]
		if a.ParentID != b.ID {
			a.ParentID, a.Position = f2, 1
		}
		b.ParentID, b.Position = f1, 2
	}
}
