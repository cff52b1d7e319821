package envelope

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Version1 is the only blob format version this package writes and reads.
const Version1 byte = 1

const (
	nonceSize = 12
	tagSize   = 16
)

// blob is a parsed version-1 blob. Its slices alias the input.
type blob struct {
	keyID   string
	wrapped []byte
	nonce   []byte
	sealed  []byte
}

func (b blob) marshal() ([]byte, error) {
	if len(b.keyID) == 0 || len(b.keyID) > math.MaxUint16 {
		return nil, fmt.Errorf("envelope: key id length %d out of range 1..%d", len(b.keyID), math.MaxUint16)
	}
	if len(b.wrapped) == 0 || len(b.wrapped) > math.MaxUint16 {
		return nil, fmt.Errorf("envelope: wrapped key length %d out of range 1..%d", len(b.wrapped), math.MaxUint16)
	}
	if uint64(len(b.sealed)) > math.MaxUint32 {
		return nil, fmt.Errorf("envelope: plaintext too large (%d bytes)", len(b.sealed))
	}
	out := make([]byte, 0, 1+2+len(b.keyID)+2+len(b.wrapped)+1+len(b.nonce)+4+len(b.sealed))
	out = append(out, Version1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(b.keyID)))
	out = append(out, b.keyID...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(b.wrapped)))
	out = append(out, b.wrapped...)
	out = append(out, byte(len(b.nonce)))
	out = append(out, b.nonce...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(b.sealed)))
	out = append(out, b.sealed...)
	return out, nil
}

// parseBlob splits a blob into its fields. Errors wrap ErrMalformed or
// ErrUnsupportedVersion and name the field that is wrong.
func parseBlob(in []byte) (blob, error) {
	r := reader{buf: in}
	v, ok := r.fixed(1)
	if !ok {
		return blob{}, fmt.Errorf("%w: empty", ErrMalformed)
	}
	if v[0] != Version1 {
		return blob{}, fmt.Errorf("%w: %d (this build reads %d)", ErrUnsupportedVersion, v[0], Version1)
	}
	var b blob
	keyID, ok := r.field(2)
	if !ok || len(keyID) == 0 {
		return blob{}, fmt.Errorf("%w: truncated or empty key id", ErrMalformed)
	}
	b.keyID = string(keyID)
	if b.wrapped, ok = r.field(2); !ok || len(b.wrapped) == 0 {
		return blob{}, fmt.Errorf("%w: truncated or empty wrapped data key", ErrMalformed)
	}
	if b.nonce, ok = r.field(1); !ok || len(b.nonce) != nonceSize {
		return blob{}, fmt.Errorf("%w: truncated nonce or nonce size not %d", ErrMalformed, nonceSize)
	}
	if b.sealed, ok = r.field(4); !ok || len(b.sealed) < tagSize {
		return blob{}, fmt.Errorf("%w: truncated ciphertext", ErrMalformed)
	}
	if r.rest() != 0 {
		return blob{}, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, r.rest())
	}
	return b, nil
}

// reader reads length-prefixed fields from a byte slice without panicking.
type reader struct {
	buf []byte
	off int
}

func (r *reader) rest() int { return len(r.buf) - r.off }

func (r *reader) fixed(n int) ([]byte, bool) {
	if n < 0 || r.rest() < n {
		return nil, false
	}
	b := r.buf[r.off : r.off+n : r.off+n]
	r.off += n
	return b, true
}

// field reads a big-endian length of prefixLen bytes (1, 2 or 4) and then
// that many bytes.
func (r *reader) field(prefixLen int) ([]byte, bool) {
	p, ok := r.fixed(prefixLen)
	if !ok {
		return nil, false
	}
	var n uint64
	for _, c := range p {
		n = n<<8 | uint64(c)
	}
	if n > uint64(r.rest()) {
		return nil, false
	}
	return r.fixed(int(n))
}

// KeyIDOf returns the id of the master key a blob made by Encrypt was
// sealed under, as its key service reported it (for AWS KMS the key ARN,
// for a local key file "local:" and a fingerprint), without contacting any
// key service. It lets a re-encryption skip blobs already under the
// current key. Errors wrap ErrMalformed or ErrUnsupportedVersion.
func KeyIDOf(in []byte) (string, error) {
	b, err := parseBlob(in)
	if err != nil {
		return "", err
	}
	return b.keyID, nil
}
