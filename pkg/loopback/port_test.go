package loopback

import (
	"net"
	"strconv"
	"testing"
)

func TestFreePortIsBindable(t *testing.T) {
	seen := map[int]bool{}
	for i := 0; i < 5; i++ {
		port, err := FreePort()
		if err != nil {
			t.Fatalf("FreePort: %v", err)
		}
		if port <= 0 || port > 65535 {
			t.Fatalf("FreePort returned %d, not a TCP port", port)
		}
		l, err := net.Listen("tcp", net.JoinHostPort(Host, strconv.Itoa(port)))
		if err != nil {
			t.Fatalf("port %d from FreePort is not bindable: %v", port, err)
		}
		seen[port] = true
		_ = l.Close()
	}
	if len(seen) < 2 {
		t.Errorf("FreePort returned the same port every time: %v", seen)
	}
}

func TestURL(t *testing.T) {
	if got, want := URL(8008), "http://127.0.0.1:8008"; got != want {
		t.Errorf("URL(8008) = %q, want %q", got, want)
	}
}
