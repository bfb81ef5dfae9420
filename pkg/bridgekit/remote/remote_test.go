package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/bridgev2"
)

func TestRetryable(t *testing.T) {
	down := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"none", nil, false},
		{"homeserver unreachable", fmt.Errorf("failed to send message part to Matrix: %w", mautrix.HTTPError{WrappedError: down}), true},
		{"homeserver 502", mautrix.HTTPError{Response: &http.Response{StatusCode: 502}}, true},
		{"homeserver rate limit", mautrix.HTTPError{Response: &http.Response{StatusCode: 429}}, true},
		{"homeserver refused the event", mautrix.HTTPError{Response: &http.Response{StatusCode: 403}}, false},
		{"network error", fmt.Errorf("upload: %w", down), true},
		{"database", fmt.Errorf("%w: insert: %w", bridgev2.ErrDatabaseError, context.DeadlineExceeded), true},
		{"conversion", errors.New("unsupported message"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
