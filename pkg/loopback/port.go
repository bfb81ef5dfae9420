package loopback

import (
	"fmt"
	"net"
)

// Host is the only address the stack binds to: nothing it starts is reachable from outside.
const Host = "127.0.0.1"

// FreePort asks the kernel for a port that is free on the loopback address right now.
// The port is released before returning, so a caller must bind it promptly; the window in
// which another process could take it is small and acceptable for tests and dev stacks.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(Host, "0"))
	if err != nil {
		return 0, fmt.Errorf("listen on loopback: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL returns the http URL of a port on the loopback address.
func URL(port int) string {
	return fmt.Sprintf("http://%s:%d", Host, port)
}
