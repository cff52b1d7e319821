package localkey

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// loadOrCreate returns the key at path, creating the file first if it does
// not exist. Creation writes a temporary file in the same directory and
// hard-links it into place, so a concurrent opener never sees a partial key
// and two creators agree on one key.
func loadOrCreate(path string) ([]byte, error) {
	key, err := load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := create(path); err != nil {
		return nil, err
	}
	return load(path)
}

func create(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("localkey: create directory for master key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".master-key-*") // mode 0600
	if err != nil {
		return fmt.Errorf("localkey: create master key: %w", err)
	}
	defer os.Remove(tmp.Name())
	key := make([]byte, envelope.DataKeySize)
	rand.Read(key)
	defer clear(key)
	_, err = tmp.Write(key)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("localkey: write master key %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("localkey: install master key %s: %w", path, err)
	}
	return nil
}

// load reads and checks an existing key file.
func load(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("localkey: open master key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("localkey: stat master key: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("localkey: master key %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("localkey: master key %s has mode %#o, want 0600 or stricter (run: chmod 600 %s)", path, perm, path)
	}
	if fi.Size() != envelope.DataKeySize {
		return nil, fmt.Errorf("localkey: master key %s is %d bytes, want %d", path, fi.Size(), envelope.DataKeySize)
	}
	key := make([]byte, envelope.DataKeySize)
	if _, err := io.ReadFull(f, key); err != nil {
		return nil, fmt.Errorf("localkey: read master key %s: %w", path, err)
	}
	return key, nil
}
