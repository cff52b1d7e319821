package loaders

import (
	"context"
	"regexp"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// userKeyRE is a Data Center user key: 32 hex digits (what Data Center puts in
// history.createdBy.userKey). Anything else is read as a username.
var userKeyRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// dcUserConcurrency bounds the parallel user reads of one Users call on Data Center.
const dcUserConcurrency = 8

// dcUsers reads users on Confluence Data Center, which has neither account ids nor a bulk
// user route: one GET /rest/api/user per distinct id, by user key (32 hex digits) or else by
// username, at most dcUserConcurrency at a time. A user is returned under the id it was asked
// by, so a username lookup answers the same key. Unknown users are absent.
func (u *v1Upstream) dcUsers(ctx context.Context, ids []string) ([]User, error) {
	seen := map[string]bool{}
	var uniq []string
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	out := make([]*User, len(uniq))
	errs := make([]error, len(uniq))
	sem := make(chan struct{}, dcUserConcurrency)
	var wg sync.WaitGroup
	for i, id := range uniq {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var x *confluence.User
			var err error
			if userKeyRE.MatchString(id) {
				x, _, err = u.c.Users.ByKey(ctx, id)
			} else {
				x, _, err = u.c.Users.ByUsername(ctx, id)
			}
			if isMissing(err) {
				return
			}
			if err != nil {
				errs[i] = err
				return
			}
			us := user(id, x.DisplayName, x.PublicName, x.Email)
			out[i] = &us
		}()
	}
	wg.Wait()
	var res []User
	for i := range uniq {
		if errs[i] != nil {
			return res, errs[i]
		}
		if out[i] != nil {
			res = append(res, *out[i])
		}
	}
	return res, nil
}
