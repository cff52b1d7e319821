package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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

// gqlClient posts GraphQL requests to the service the way a load generator such as wrk does:
// each load client has one keep-alive HTTP/1.1 connection of its own, its request is written as
// bytes and the answer read with net/http's ReadResponse. An http.Client would spend, per
// request, goroutine hand-offs and allocations on the same 2 cores as the service, and that
// time would show up as the service's latency.
type gqlClient struct {
	host, path string
	timeout    time.Duration
	conns      []clientConn // one per load client, used by that client's goroutine only
}

// clientConn is one load client's connection (nil until its first request, and after an error).
type clientConn struct {
	c   net.Conn
	br  *bufio.Reader
	req bytes.Buffer
}

// newGQLClient returns a client for url with conns load clients, giving up on a request after
// timeout.
func newGQLClient(rawURL string, conns int, timeout time.Duration) *gqlClient {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err) // the service's own URL
	}
	return &gqlClient{host: u.Host, path: u.RequestURI(), timeout: timeout, conns: make([]clientConn, conns)}
}

// Close closes every connection. No request may be in flight.
func (c *gqlClient) Close() {
	for i := range c.conns {
		c.conns[i].drop()
	}
}

func (cc *clientConn) drop() {
	if cc.c != nil {
		_ = cc.c.Close()
		cc.c, cc.br = nil, nil
	}
}

// post sends body with key on load client i's connection and classifies the answer; field is
// the root field a complete answer has non-null.
func (c *gqlClient) post(ctx context.Context, i int, key string, body []byte, field string) (Outcome, string) {
	cc := &c.conns[i]
	status, answer, err := c.roundTrip(ctx, cc, key, body)
	if err != nil {
		cc.drop()
		return transportOutcome(err), err.Error()
	}
	var out struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(answer, &out); err != nil {
		return Failed, fmt.Sprintf("HTTP %d: undecodable body: %v", status, err)
	}
	codes := make([]string, len(out.Errors))
	for i, e := range out.Errors {
		codes[i], _ = e.Extensions["code"].(string)
	}
	o := classify(status, codes, len(out.Data[field]) > 0 && string(out.Data[field]) != "null")
	switch {
	case o == Complete:
		return o, ""
	case len(out.Errors) > 0:
		return o, fmt.Sprintf("HTTP %d: %s: %s", status, codes[0], out.Errors[0].Message)
	default:
		return o, fmt.Sprintf("HTTP %d: no data for %s", status, field)
	}
}

// roundTrip writes one request on cc (dialling first when it has no connection) and reads the
// whole answer, within the client's timeout or ctx's deadline, whichever comes first.
func (c *gqlClient) roundTrip(ctx context.Context, cc *clientConn, key string, body []byte) (int, []byte, error) {
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if cc.c == nil {
		conn, err := (&net.Dialer{Deadline: deadline}).DialContext(ctx, "tcp", c.host)
		if err != nil {
			return 0, nil, err
		}
		cc.c, cc.br = conn, bufio.NewReaderSize(conn, 16<<10)
	}
	if err := cc.c.SetDeadline(deadline); err != nil {
		return 0, nil, err
	}
	cc.req.Reset()
	fmt.Fprintf(&cc.req, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n", c.path, c.host, key, len(body))
	cc.req.Write(body)
	if _, err := cc.c.Write(cc.req.Bytes()); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(cc.br, nil)
	if err != nil {
		return 0, nil, err
	}
	answer, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return 0, nil, err
	}
	if resp.Close {
		cc.drop()
	}
	return resp.StatusCode, answer, nil
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
