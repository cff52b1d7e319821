package confluence

import (
	"context"
	"io"
	"strconv"
	"sync"
)

// streamBody is the open body of a 2xx answer to a stream request. It yields
// at most left bytes: a read that would go past them fails with an *Error
// matching ErrResponseTooLarge. Read errors are typed like those of other
// calls (ErrTimeout, ErrUnavailable, the caller's context error). Close
// releases the connection and the attempt's and call's contexts.
type streamBody struct {
	c         *Client
	req       *request
	ctx, actx context.Context
	rc        io.ReadCloser
	left      int64 // bytes still allowed
	limit     int64 // the cap
	size      int64 // Content-Length; -1 when unknown
	err       error // the sticky error once the cap was passed

	mu     sync.Mutex
	cancel []func()
	closed bool
}

// onClose adds f to what Close runs (a call context's cancel).
func (b *streamBody) onClose(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		f()
		return
	}
	b.cancel = append(b.cancel, f)
}

func (b *streamBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if b.left <= 0 {
		// The cap is reached: the stream is over it only if a byte follows.
		var one [1]byte
		n, err := io.ReadFull(b.rc, one[:])
		if n > 0 {
			b.err = &Error{Status: 200, Code: "TOO_LARGE", Endpoint: b.req.endpoint(),
				Message: "download exceeds " + strconv.FormatInt(b.limit, 10) + " bytes", kind: ErrResponseTooLarge}
			return 0, b.err
		}
		return 0, b.mapErr(err)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, b.mapErr(err)
}

// mapErr types a read error; nil and io.EOF pass as they are. A body cut
// short of its Content-Length (io.ErrUnexpectedEOF) is a network error.
func (b *streamBody) mapErr(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	return b.c.mapErr(b.ctx, b.req, classifyTransport(b.ctx, b.actx, err))
}

func (b *streamBody) Close() error {
	err := b.rc.Close()
	b.mu.Lock()
	fs := b.cancel
	b.cancel, b.closed = nil, true
	b.mu.Unlock()
	for _, f := range fs {
		f()
	}
	return err
}
