package confluencetest

import (
	"fmt"
	"strings"
	"time"
)

// Demo blog posts: many teams publish post-incident reviews as blog posts. Two reviews in PIR
// (labelled postmortem and post-incident-review) and an OPS weekly note; ids from 100200 up,
// comments from 200200, attachments from att300200, so the pages keep theirs.
const (
	demoBlogRedis  = "100201"
	demoBlogKafka  = "100202"
	demoBlogWeekly = "100203"
)

// demoBlogRedisTitle is the title of the Redis review blog post (linked from a page).
const demoBlogRedisTitle = "Post-incident review: sessions logout during Redis failover"

// blogPostLink is an ac:link to the blog post with title in space key posted on day (time).
func blogPostLink(key, title string, day time.Time) string {
	return `<ac:link><ri:blog-post ri:space-key="` + key + `" ri:content-title="` + htmlEscape(title) +
		`" ri:posting-day="` + day.UTC().Format("2006/01/02") + `" /></ac:link>`
}

// demoBlogPosts are the demo's blog posts, with their comments and attachments.
func demoBlogPosts(ago func(days, hours int) time.Time) ([]BlogPost, []Comment, []Attachment) {
	v := func(t time.Time, author, msg, body string) Version {
		return Version{CreatedAt: t, AuthorID: author, Message: msg, Body: body}
	}
	redisV1 := `<h1>Summary</h1><p>On the sessions cluster the Redis primary stopped answering; alert <code>RedisPrimaryDown</code> fired at 03:14 UTC. ` +
		`Sentinel promoted a replica after 6 minutes. Users were logged out for 6 minutes.</p>`
	redisV2 := redisV1 + `<h2>Timeline</h2><ul><li>03:14 RedisPrimaryDown fires</li><li>03:16 on-call follows ` + pageLink("OPS", "Redis Failover Procedure") +
		`</li><li>03:20 Sentinel failover completes</li></ul><h2>Action items</h2>` +
		taskList("[x] Lower down-after-milliseconds to 5000", "Add a third sentinel in another zone") +
		`<p>Owner: ` + mention(demoDan) + `. The Sentinel log is attached.</p>`
	kafka := `<h1>Summary</h1><p>ledger-worker fell 40,000 messages behind on the payments topic (alert <code>LedgerConsumerLagHigh</code>). ` +
		`A poison message blocked one partition for 35 minutes.</p><h2>Action items</h2>` + taskList("Dead-letter poison messages after 3 retries")
	weekly := `<p>On-call handover: two pages this week. Read the Redis review: ` + blogPostLink("PIR", demoBlogRedisTitle, ago(9, 0)) + `.</p>`
	posts := []BlogPost{
		{ID: demoBlogRedis, SpaceKey: "PIR", Title: demoBlogRedisTitle, AuthorID: demoDan, CreatedAt: ago(9, 0),
			Labels:   []string{"postmortem", "post-incident-review", "redis"},
			Versions: []Version{v(ago(9, 0), demoDan, "draft", redisV1), v(ago(8, 2), demoAlice, "timeline and action items", redisV2)}},
		{ID: demoBlogKafka, SpaceKey: "PIR", Title: "Post-incident review: Kafka consumer lag delayed ledger writes", AuthorID: demoBob, CreatedAt: ago(40, 0),
			Labels:   []string{"postmortem", "post-incident-review", "kafka"},
			Versions: []Version{v(ago(40, 0), demoBob, "", kafka)}},
		{ID: demoBlogWeekly, SpaceKey: "OPS", Title: "Ops weekly: on-call handover notes", AuthorID: demoCarol, CreatedAt: ago(2, 0),
			Labels:   []string{"oncall"},
			Versions: []Version{v(ago(2, 0), demoCarol, "", weekly)}},
	}
	comments := []Comment{
		{ID: "200201", PageID: demoBlogRedis, AuthorID: demoAlice, CreatedAt: ago(8, 0), Body: `<p>Should we page the sessions team directly next time?</p>`},
		{ID: "200202", PageID: demoBlogRedis, ParentID: "200201", AuthorID: demoDan, CreatedAt: ago(7, 20), Body: `<p>Yes, added to the escalation policy.</p>`},
		{ID: "200203", PageID: demoBlogRedis, Kind: "inline", AuthorID: demoCarol, CreatedAt: ago(7, 0), Body: `<p>Was it 6 or 7 minutes?</p>`,
			Selection: "Users were logged out for 6 minutes", ResolutionStatus: "open"},
	}
	atts := []Attachment{
		{ID: "att300201", PageID: demoBlogRedis, Title: "sessions-failover.log", MediaType: "text/plain", AuthorID: demoDan, CreatedAt: ago(8, 2),
			Content: []byte(strings.Join([]string{
				"03:14:07Z sentinel-0 +sdown master sessions 10.0.4.11 6379",
				"03:20:11Z sentinel-1 +switch-master sessions 10.0.4.11 6379 10.0.4.12 6379", ""}, "\n"))},
	}
	return posts, comments, atts
}

// benchBlogPostsPerSpace is how many blog posts the bench dataset has in each space.
const benchBlogPostsPerSpace = 5

// benchBlogPosts generates benchBlogPostsPerSpace blog posts per space from their own random
// source (so the pages of the bench dataset do not change): 1-3 versions, 0-3 labels, one
// footer comment and one attachment each. Ids from 90000001 (comments 95000001, attachments
// att97000001), above every bench page.
func benchBlogPosts(seed int64, spaces []Space, users []string, words func(int) string, now time.Time) ([]BlogPost, []Comment, []Attachment) {
	rng := newRand(seed ^ 0xb109)
	var (
		posts []BlogPost
		cs    []Comment
		as    []Attachment
	)
	id := 90000001
	for _, sp := range spaces {
		for range benchBlogPostsPerSpace {
			sid := fmt.Sprint(id)
			at := now.Add(-time.Duration(1+rng.IntN(600)) * 24 * time.Hour)
			author := users[rng.IntN(len(users))]
			bp := BlogPost{ID: sid, SpaceKey: sp.Key, Title: "Blog: " + words(4) + " " + sid, AuthorID: author, CreatedAt: at}
			for range rng.IntN(4) {
				bp.Labels = append(bp.Labels, benchLabels[rng.IntN(len(benchLabels))])
			}
			for n := range 1 + rng.IntN(3) {
				bp.Versions = append(bp.Versions, Version{CreatedAt: at.Add(time.Duration(n) * time.Hour), AuthorID: author,
					Body: "<p>" + words(30+10*n) + "</p>"})
			}
			posts = append(posts, bp)
			cs = append(cs, Comment{ID: fmt.Sprint(95000001 + id - 90000001), PageID: sid, AuthorID: users[rng.IntN(len(users))],
				CreatedAt: at.Add(time.Hour), Body: "<p>" + words(8) + "</p>"})
			as = append(as, Attachment{ID: fmt.Sprintf("att%d", 97000001+id-90000001), PageID: sid, Title: "notes.txt",
				MediaType: "text/plain", AuthorID: author, CreatedAt: at, Content: []byte(words(12) + "\n")})
			id++
		}
	}
	return posts, cs, as
}
