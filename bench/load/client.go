package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/confluence-graph/confluence-graph/graph"
)

// Outcome is how one request ended, as its client sees it.
type Outcome int

const (
	// Complete: HTTP 200, no GraphQL error, the root field non-null.
	Complete Outcome = iota
	// Refused: the service said RATE_LIMITED (HTTP 429 from admission
	// control, or the error code in the answer) and nothing timed out.
	Refused
	// TimedOut: an UPSTREAM_TIMEOUT in the answer, or no answer before the
	// client's own timeout.
	TimedOut
	// Failed: anything else (other error codes, HTTP errors, no data).
	Failed
)

// Counts tallies outcomes; First* keep the first message of each kind that
// is not Complete.
type Counts struct {
	Complete, Refused, TimedOut, Failed      int
	FirstRefused, FirstTimeout, FirstFailure string
}

// Total is the number of requests counted.
func (c Counts) Total() int { return c.Complete + c.Refused + c.TimedOut + c.Failed }

func (c *Counts) add(o Outcome, msg string) {
	first := func(p *string) {
		if *p == "" {
			*p = msg
		}
	}
	switch o {
	case Complete:
		c.Complete++
	case Refused:
		c.Refused++
		first(&c.FirstRefused)
	case TimedOut:
		c.TimedOut++
		first(&c.FirstTimeout)
	default:
		c.Failed++
		first(&c.FirstFailure)
	}
}

// requester sends one request on behalf of client number i and says how it
// ended ("" message when Complete).
type requester func(ctx context.Context, i int) (Outcome, string)

// sample is what the clients of one phase saw.
type sample struct {
	Counts
	complete []time.Duration // latencies of complete answers, sorted
	refused  []time.Duration // latencies of refusals, sorted
}

// phase runs clients concurrent loops of do until d has passed (each loop
// stops after max requests when max > 0). With d 0 every client sends max
// requests, all clients starting together.
func phase(ctx context.Context, clients int, d time.Duration, max int, do requester) sample {
	var (
		mu    sync.Mutex
		out   sample
		wg    sync.WaitGroup
		start = make(chan struct{})
	)
	deadline := time.Now().Add(d)
	for i := range clients {
		wg.Go(func() {
			<-start
			for n := 0; (d == 0 || time.Now().Before(deadline)) && (max <= 0 || n < max); n++ {
				t0 := time.Now()
				o, msg := do(ctx, i)
				dt := time.Since(t0)
				mu.Lock()
				out.add(o, msg)
				switch o {
				case Complete:
					out.complete = append(out.complete, dt)
				case Refused:
					out.refused = append(out.refused, dt)
				}
				mu.Unlock()
				if ctx.Err() != nil {
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	slices.Sort(out.complete)
	slices.Sort(out.refused)
	return out
}

// gqlClient posts GraphQL requests to the service.
type gqlClient struct {
	url  string
	http *http.Client
}

// newGQLClient returns a client for url keeping up to conns idle
// connections (one per load client) and giving up on a request after
// timeout.
func newGQLClient(url string, conns int, timeout time.Duration) *gqlClient {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &gqlClient{url: url, http: &http.Client{Transport: tr, Timeout: timeout}}
}

// Close drops the idle connections.
func (c *gqlClient) Close() { c.http.CloseIdleConnections() }

// post sends body with key and classifies the answer; field is the root
// field a complete answer has non-null.
func (c *gqlClient) post(ctx context.Context, key string, body []byte, field string) (Outcome, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return Failed, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := c.http.Do(req)
	if err != nil {
		return transportOutcome(err), err.Error()
	}
	defer resp.Body.Close()
	var out struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return transportOutcome(err), fmt.Sprintf("HTTP %d: undecodable body: %v", resp.StatusCode, err)
	}
	codes := make([]string, len(out.Errors))
	for i, e := range out.Errors {
		codes[i], _ = e.Extensions["code"].(string)
	}
	o := classify(resp.StatusCode, codes, len(out.Data[field]) > 0 && string(out.Data[field]) != "null")
	switch {
	case o == Complete:
		return o, ""
	case len(out.Errors) > 0:
		return o, fmt.Sprintf("HTTP %d: %s: %s", resp.StatusCode, codes[0], out.Errors[0].Message)
	default:
		return o, fmt.Sprintf("HTTP %d: no data for %s", resp.StatusCode, field)
	}
}

// classify decides the outcome of an answer from its HTTP status, the
// extensions.code of its GraphQL errors and whether the root field came
// back non-null. A timeout anywhere makes it TimedOut, else a rate-limit
// refusal makes it Refused.
func classify(status int, codes []string, data bool) Outcome {
	switch {
	case slices.Contains(codes, graph.CodeUpstreamTimeout):
		return TimedOut
	case status == http.StatusTooManyRequests || slices.Contains(codes, graph.CodeRateLimited):
		return Refused
	case status != http.StatusOK || len(codes) > 0 || !data:
		return Failed
	}
	return Complete
}

// transportOutcome is TimedOut when err is the client's own timeout (or
// deadline), else Failed.
func transportOutcome(err error) Outcome {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return TimedOut
	}
	return Failed
}

// percentile returns the p-quantile of sorted (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}
