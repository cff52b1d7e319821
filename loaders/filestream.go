package loaders

import (
	"errors"
	"io"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// The readers between an upstream download and its consumers: the route's cap and the prefix
// that text extraction reads.

// cappedBody yields at most left bytes of rc; a read past them, or the upstream's own
// too-large error, fails with tooLarge.
type cappedBody struct {
	rc       io.ReadCloser
	left     int64
	tooLarge *FileTooLargeError
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if b.left <= 0 {
		var one [1]byte
		n, err := io.ReadFull(b.rc, one[:])
		if n > 0 || errors.Is(err, confluence.ErrResponseTooLarge) {
			return 0, b.tooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if errors.Is(err, confluence.ErrResponseTooLarge) {
		err = b.tooLarge
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }

// overflowByte passes r through, except that the upstream's too-large error (the file goes on
// past the upstream's cap) becomes one more byte and the end of the stream: a reader that reads
// one byte past its own limit to learn that a file is longer (attachtext.Extract) then sees a
// longer file, not a failure. The extra byte is never part of the text: it lies past that limit,
// which is the upstream's cap or lower (the app sets the client's cap to MaxAttachmentBytes).
type overflowByte struct {
	r        io.Reader
	overflow bool // the too-large error came; one byte is still to give
	done     bool
}

func (o *overflowByte) Read(p []byte) (int, error) {
	switch {
	case o.done:
		return 0, io.EOF
	case len(p) == 0:
		return 0, nil
	case o.overflow:
		o.done = true
		p[0] = 0
		return 1, io.EOF
	}
	n, err := o.r.Read(p)
	if errors.Is(err, confluence.ErrResponseTooLarge) {
		o.overflow = true
		return n, nil
	}
	return n, err
}
