package bench

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// Naive is the baseline: a client that makes one Confluence REST call per node of the answer
// with plain net/http, never batching, the way a tool-calling agent walks Confluence. With
// Concurrent false it makes the calls one after another; with Concurrent true it starts a
// goroutine per node (unbounded) and waits only where a call needs an earlier answer. Its
// methods are safe for concurrent use.
type Naive struct {
	base       string // site base, "http://127.0.0.1:PORT"
	auth       string
	http       *http.Client
	Concurrent bool
}

// NewNaive returns the naive client for sim, sending through rec (which must not be nil).
func NewNaive(sim Sim, rec *Recorder, concurrent bool) *Naive {
	acct := sim.Account()
	return &Naive{
		base:       sim.URL(),
		auth:       "Basic " + base64.StdEncoding.EncodeToString([]byte(acct.Email+":"+acct.Token)),
		http:       &http.Client{Transport: rec},
		Concurrent: concurrent,
	}
}

// spaceByKey reads the space with key (one v2 spaces call), or errNotFound.
func (n *Naive) spaceByKey(ctx context.Context, key string) (v2Space, error) {
	var spaces v2List[v2Space]
	if err := n.get(ctx, "/wiki/api/v2/spaces", url.Values{"keys": {key}}, &spaces); err != nil {
		return v2Space{}, err
	}
	if len(spaces.Results) == 0 {
		return v2Space{}, errNotFound("space " + key)
	}
	return spaces.Results[0], nil
}

// get sends GET path?q and decodes the JSON answer into out.
func (n *Naive) get(ctx context.Context, path string, q url.Values, out any) error {
	u := n.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return n.do(ctx, http.MethodGet, u, nil, out)
}

func (n *Naive) do(ctx context.Context, method, u string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	req.Header.Set("Authorization", n.auth)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := n.http.Do(req)
	if err != nil {
		return fmt.Errorf("bench: naive %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("bench: naive %s: %w", method, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bench: naive %s %s: %s", method, req.URL.Path, resp.Status)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("bench: naive %s %s: %w", method, req.URL.Path, err)
	}
	return nil
}

// user fetches one account's display name: one users-bulk call per user node.
func (n *Naive) user(ctx context.Context, accountID string) (string, error) {
	if accountID == "" {
		return "", nil
	}
	body, _ := json.Marshal(map[string][]string{"accountIds": {accountID}})
	var res struct {
		Results []struct {
			AccountID   string `json:"accountId"`
			DisplayName string `json:"displayName"`
		} `json:"results"`
	}
	if err := n.do(ctx, http.MethodPost, n.base+"/wiki/api/v2/users-bulk", body, &res); err != nil {
		return "", err
	}
	for _, u := range res.Results {
		if u.AccountID == accountID {
			return u.DisplayName, nil
		}
	}
	return "", nil
}

// each runs fn for 0..count-1: in order, or all at once on their own goroutines when the client
// is concurrent. It returns the first error.
func (n *Naive) each(count int, fn func(i int) error) error {
	if !n.Concurrent {
		for i := range count {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for i := range count {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(i); err != nil {
				once.Do(func() { first = err })
			}
		}()
	}
	wg.Wait()
	return first
}

// all runs independent steps, in order or concurrently, and returns the first error.
func (n *Naive) all(steps ...func() error) error {
	return n.each(len(steps), func(i int) error { return steps[i]() })
}

func limit(n int) url.Values { return url.Values{"limit": {strconv.Itoa(n)}} }

// v2 shapes the naive client reads (only the fields it needs).
type (
	v2List[T any] struct {
		Results []T `json:"results"`
	}
	v2Version struct {
		Number   int    `json:"number"`
		Message  string `json:"message"`
		AuthorID string `json:"authorId"`
	}
	v2Body struct {
		Storage struct {
			Value string `json:"value"`
		} `json:"storage"`
	}
	v2Page struct {
		ID        string    `json:"id"`
		Title     string    `json:"title"`
		AuthorID  string    `json:"authorId"`
		CreatedAt string    `json:"createdAt"`
		Version   v2Version `json:"version"`
		Body      v2Body    `json:"body"`
	}
	v2Space struct {
		ID   string `json:"id"`
		Key  string `json:"key"`
		Name string `json:"name"`
	}
	v2Label struct {
		Name string `json:"name"`
	}
	v2Child struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Type  string `json:"type"`
	}
	v2Comment struct {
		ID      string    `json:"id"`
		Version v2Version `json:"version"`
		Body    v2Body    `json:"body"`
	}
)

// labels fetches one page's label names.
func (n *Naive) labels(ctx context.Context, pageID string) ([]string, error) {
	var res v2List[v2Label]
	if err := n.get(ctx, "/wiki/api/v2/pages/"+pageID+"/labels", limit(250), &res); err != nil {
		return nil, err
	}
	out := make([]string, len(res.Results))
	for i, l := range res.Results {
		out[i] = l.Name
	}
	return out, nil
}

// children fetches the first max direct children of every kind (pages, folders, whiteboards,
// databases, embeds) of a page, as the API's children lists them.
func (n *Naive) children(ctx context.Context, pageID string, max int) ([]v2Child, error) {
	return n.childrenOf(ctx, "page", pageID, max)
}

// childrenOf fetches the first max direct children of every kind of tree content of kind.
func (n *Naive) childrenOf(ctx context.Context, kind, id string, max int) ([]v2Child, error) {
	var res v2List[v2Child]
	if err := n.get(ctx, "/wiki/api/v2/"+treeSegment(kind)+"/"+id+"/direct-children", limit(max), &res); err != nil {
		return nil, err
	}
	return res.Results, nil
}

// treeSegment is the v2 route segment of a tree kind.
func treeSegment(kind string) string {
	switch kind {
	case "folder", "whiteboard", "database", "embed":
		return kind + "s"
	}
	return "pages"
}

// errNotFound reports an object the query needs that Confluence did not return.
func errNotFound(what string) error { return fmt.Errorf("bench: %s not found", what) }
