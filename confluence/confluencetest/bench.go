package confluencetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

var benchWords = strings.Fields(`service latency database replica failover deploy rollback cache redis kafka
queue worker timeout retry budget alert dashboard metric trace span log index query shard partition lease
leader quorum snapshot backup restore migration schema rollout canary traffic region zone cluster node pod
container image registry secret token certificate rotation incident review action owner escalation pager`)

var benchLabels = strings.Fields(`runbook postmortem database redis deployment kafka oncall architecture
payments security networking storage observability capacity kubernetes postgres cache api frontend backend
incident sla slo migration release testing performance cost compliance onboarding howto`)

// benchDataset generates spaces x perSpace pages deterministically from
// seed: trees up to depth 6, 0-5 labels, 0-8 comments, 1-10 versions and 0-4
// attachments per page. It uses the demo accounts; "restricted" cannot see
// the last space.
func benchDataset(seed int64, spaces, perSpace int, now time.Time) Dataset {
	now = now.UTC().Truncate(time.Millisecond)
	rng := rand.New(rand.NewPCG(uint64(seed), 0xbe7c4))
	var d Dataset
	users := make([]string, 20)
	for i := range users {
		users[i] = fmt.Sprintf("712020:bench-user-%04d", i+1)
		d.Users = append(d.Users, User{AccountID: users[i], DisplayName: fmt.Sprintf("Bench User %d", i+1), Email: fmt.Sprintf("user%d@bench.example.com", i+1)})
	}
	demo := demoDataset(now)
	d.Users = append(d.Users, demo.Users...)
	d.Accounts = demoAccounts()
	user := func() string { return users[rng.IntN(len(users))] }
	words := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = benchWords[rng.IntN(len(benchWords))]
		}
		return strings.Join(w, " ")
	}
	var visible []string
	pageID, commentID, attID := 10000001, 50000001, 70000001
	for si := range spaces {
		key := fmt.Sprintf("BENCH%d", si+1)
		spaceID := fmt.Sprint(3000001 + si)
		created := now.Add(-time.Duration(700+rng.IntN(300)) * 24 * time.Hour)
		d.Spaces = append(d.Spaces, Space{ID: spaceID, Key: key, Name: fmt.Sprintf("Bench space %d", si+1),
			Description: "Generated space " + words(6), HomepageID: fmt.Sprint(pageID), AuthorID: user(), CreatedAt: created})
		if si < spaces-1 || spaces == 1 {
			visible = append(visible, key)
		}
		type node struct {
			id    string
			depth int
		}
		var nodes []node
		kids := map[string]int{}
		for j := range perSpace {
			id := fmt.Sprint(pageID)
			pageID++
			parent, depth := "", 1
			if j > 0 && rng.IntN(10) > 0 {
				for range 8 {
					n := nodes[rng.IntN(len(nodes))]
					if n.depth < 6 {
						parent, depth = n.id, n.depth+1
						break
					}
				}
			}
			nodes = append(nodes, node{id, depth})
			kids[parent]++
			pcreated := created.Add(time.Duration(rng.IntN(600*24)) * time.Hour)
			if pcreated.After(now) {
				pcreated = now.Add(-time.Hour)
			}
			title := fmt.Sprintf("%s %s %d", strings.ToUpper(words(1)[:1])+words(1)[1:], words(2), j+1)
			nv := 1 + rng.IntN(10)
			body := fmt.Sprintf("<h1>%s</h1><p>%s.</p>", htmlEscape(title), words(25))
			if rng.IntN(4) == 0 {
				body += codeMacro("bash", "kubectl get pods -n "+words(1))
			}
			vs := make([]Version, nv)
			t := pcreated
			for k := range nv {
				if k > 0 {
					body += fmt.Sprintf("<h2>Update %d</h2><p>%s.</p>", k+1, words(12))
				}
				vs[k] = Version{Number: k + 1, AuthorID: user(), CreatedAt: t, Message: words(3), Body: body}
				step := now.Sub(t) / time.Duration(2+rng.IntN(4))
				t = t.Add(max(step, time.Minute))
				if t.After(now) {
					t = now
				}
			}
			var labels []string
			for range rng.IntN(6) {
				l := benchLabels[rng.IntN(len(benchLabels))]
				if !slices.Contains(labels, l) {
					labels = append(labels, l)
				}
			}
			d.Pages = append(d.Pages, Page{ID: id, SpaceKey: key, ParentID: parent, Position: kids[parent], Title: title,
				AuthorID: vs[0].AuthorID, CreatedAt: pcreated, Labels: labels, Versions: vs})
			var roots []string
			rootOf := map[string]Comment{}
			for range rng.IntN(9) {
				c := Comment{ID: fmt.Sprint(commentID), PageID: id, AuthorID: user(), CreatedAt: t, Body: "<p>" + words(10) + "</p>"}
				commentID++
				if len(roots) > 0 && rng.IntN(3) == 0 {
					c.ParentID = roots[rng.IntN(len(roots))]
				} else {
					roots = append(roots, c.ID)
					if rng.IntN(4) == 0 {
						c.Kind, c.Selection = "inline", words(3)
						c.ResolutionStatus = []string{"open", "resolved", "reopened", "dangling"}[rng.IntN(4)]
					}
				}
				if c.ParentID != "" {
					pc := rootOf[c.ParentID]
					c.Kind, c.Selection, c.ResolutionStatus = pc.Kind, pc.Selection, pc.ResolutionStatus
				} else {
					rootOf[c.ID] = c
				}
				d.Comments = append(d.Comments, c)
			}
			for k := range rng.IntN(5) {
				name := fmt.Sprintf("%s-%d.txt", words(1), k+1)
				d.Attachments = append(d.Attachments, Attachment{ID: fmt.Sprintf("att%d", attID), PageID: id, Title: name,
					MediaType: "text/plain", AuthorID: user(), CreatedAt: t, Content: []byte(words(20) + "\n")})
				attID++
			}
		}
	}
	benchFolders(&d, now)
	posts, cs, as := benchBlogPosts(seed, d.Spaces, users, words, now)
	d.BlogPosts = posts
	d.Comments = append(d.Comments, cs...)
	d.Attachments = append(d.Attachments, as...)
	for i := range d.Accounts {
		if d.Accounts[i].Name == "restricted" {
			d.Accounts[i].Spaces = visible
		}
	}
	return d
}
