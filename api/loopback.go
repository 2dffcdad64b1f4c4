package api

import (
	"net"
	"strings"
)

// IsLoopbackHost reports whether host (without a port) is localhost,
// 127.0.0.0/8 or ::1: where a client may send its key over plain http.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
