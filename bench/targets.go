package bench

import (
	"context"
	"fmt"
	"net/url"
)

// Targets are the objects the queries read, picked from the bench dataset's first space.
type Targets struct {
	SpaceKey   string   // the first bench space
	TreeRoot   string   // the root page with the most pages in its top three levels below it
	DiffPage   string   // a page with at least three versions
	EntityIDs  []string // 100 page ids of the space (fewer if the space is smaller)
	SearchText string   // the word the search query looks for
}

// entityCount is how many Page representations the entity lookup sends.
const entityCount = 100

// DiscoverTargets picks the targets through the naive client (call it before resetting the
// simulator's counters). The choice is deterministic for a given dataset.
func DiscoverTargets(ctx context.Context, sim Sim) (Targets, error) {
	n := NewNaive(sim, &Recorder{Next: newLoopbackTransport()}, false)
	t := Targets{SpaceKey: sim.FirstSpace().Key, SearchText: "redis"}
	var pages v2List[v2Page]
	q := url.Values{"limit": {"250"}}
	if err := n.get(ctx, "/wiki/api/v2/spaces/"+sim.FirstSpace().ID+"/pages", q, &pages); err != nil {
		return t, err
	}
	for _, p := range pages.Results {
		if len(t.EntityIDs) < entityCount {
			t.EntityIDs = append(t.EntityIDs, p.ID)
		}
		if t.DiffPage == "" && p.Version.Number >= 3 {
			t.DiffPage = p.ID
		}
	}
	var roots v2List[v2Page]
	q = url.Values{"limit": {"10"}, "depth": {"root"}}
	if err := n.get(ctx, "/wiki/api/v2/spaces/"+sim.FirstSpace().ID+"/pages", q, &roots); err != nil {
		return t, err
	}
	best := -1
	for _, r := range roots.Results {
		tree, err := n.tree(ctx, r.ID, 3)
		if err != nil {
			return t, err
		}
		if c := tree.count(); c > best {
			best, t.TreeRoot = c, r.ID
		}
	}
	if t.DiffPage == "" || t.TreeRoot == "" || len(t.EntityIDs) == 0 {
		return t, fmt.Errorf("bench: the bench dataset's first space is too small for the queries: %+v", t)
	}
	return t, nil
}
