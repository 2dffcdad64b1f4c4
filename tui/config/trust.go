package config

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// maxFileSize bounds the config file: reading stops there, so a path such as
// /dev/zero or a FIFO cannot be read forever.
const maxFileSize = 1 << 20

// source is the config file as read through one descriptor.
type source struct {
	data []byte
	mode fs.FileMode
	// untrusted says why the file must not start commands (an
	// api-key-command): another user could have written it. Empty when it
	// may.
	untrusted string
}

// readSource opens path once and takes everything from that descriptor: its
// mode and owner (fstat, so they are those of the content read, not of
// whatever the path names a moment later) and at most maxFileSize bytes.
func readSource(path string) (source, error) {
	f, err := os.Open(path)
	if err != nil {
		return source{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return source{}, err
	}
	if info.IsDir() {
		return source{}, fmt.Errorf("config file %s is a directory", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return source{}, err
	}
	if len(data) > maxFileSize {
		return source{}, fmt.Errorf("config file %s is larger than %d MiB", path, maxFileSize>>20)
	}
	return source{data: data, mode: info.Mode(), untrusted: untrusted(path, info)}, nil
}

// untrusted says why a config file whose descriptor has info must not run
// commands, or "" when it may: the file must belong to the user agentop runs
// as (or root) and be writable by nobody else, and so must each directory it
// sits in (the one named and, through a symlink, the real one), unless that
// directory is sticky (like /tmp), where others cannot replace the file.
func untrusted(path string, info fs.FileInfo) string {
	if reason := unsafeOwner("the config file", info); reason != "" {
		return reason
	}
	if writableByOthers(info.Mode()) {
		return "the config file is writable by other users (chmod go-w it)"
	}
	dirs, err := parentDirs(path)
	if err != nil {
		return fmt.Sprintf("cannot check the config file's directory: %v", err)
	}
	for _, dir := range dirs {
		di, err := os.Stat(dir)
		if err != nil {
			return fmt.Sprintf("cannot check the config file's directory: %v", err)
		}
		if reason := unsafeOwner("its directory "+dir, di); reason != "" {
			return reason
		}
		if writableByOthers(di.Mode()) && di.Mode()&fs.ModeSticky == 0 {
			return fmt.Sprintf("its directory %s is writable by other users (chmod go-w it)", dir)
		}
	}
	return ""
}

// parentDirs returns the directory path is in and, when path goes through a
// symlink, the directory of the file it leads to.
func parentDirs(path string) ([]string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dirs := []string{filepath.Dir(abs)}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	if d := filepath.Dir(real); d != dirs[0] {
		dirs = append(dirs, d)
	}
	return dirs, nil
}
