//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// unsafeOwner says why what (a file or directory with info) may have been
// written by someone else: it belongs to a user other than the effective one
// and root. "" when it does not.
func unsafeOwner(what string, info fs.FileInfo) string {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "cannot tell who owns " + what
	}
	if uid := int(st.Uid); uid != os.Geteuid() && uid != 0 {
		return fmt.Sprintf("%s belongs to another user (uid %d)", what, uid)
	}
	return ""
}

// readableByOthers reports whether mode lets the group or others read.
func readableByOthers(mode fs.FileMode) bool { return mode.Perm()&0o044 != 0 }

// writableByOthers reports whether mode lets the group or others write.
func writableByOthers(mode fs.FileMode) bool { return mode.Perm()&0o022 != 0 }
