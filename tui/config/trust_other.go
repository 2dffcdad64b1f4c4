//go:build !unix

package config

import "io/fs"

// unsafeOwner cannot tell owners apart here (Windows keeps them in ACLs).
func unsafeOwner(string, fs.FileInfo) string { return "" }

// readableByOthers and writableByOthers: there are no group and other bits
// to check here.
func readableByOthers(fs.FileMode) bool { return false }
func writableByOthers(fs.FileMode) bool { return false }
