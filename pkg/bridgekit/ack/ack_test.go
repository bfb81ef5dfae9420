package ack

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/util/exhttp"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/event"
)

const token = "hs-secret"

// stack is a bare appservice with an event processor whose message handler blocks until the
// test releases it.
type stack struct {
	srv     *httptest.Server
	release chan struct{}
	mu      sync.Mutex
	handled []string
}

func newStack(t *testing.T, wrap bool) *stack {
	as := appservice.Create()
	as.Registration = &appservice.Registration{ServerToken: token}
	ep := appservice.NewEventProcessor(as)
	ep.ExecMode = appservice.Sync
	s := &stack{release: make(chan struct{})}
	ep.On(event.EventMessage, func(_ context.Context, evt *event.Event) {
		<-s.release
		s.mu.Lock()
		s.handled = append(s.handled, evt.Content.AsMessage().Body)
		s.mu.Unlock()
	})
	if wrap {
		Wrap(as, ep)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ep.Start(ctx)
	s.srv = httptest.NewServer(exhttp.ApplyMiddleware(as.Router, as.Middleware...))
	t.Cleanup(func() {
		s.srv.Close()
		ep.Stop()
		cancel()
	})
	return s
}

func (s *stack) put(t *testing.T, txn, auth, body string) chan int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, s.srv.URL+transactionPath+txn, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	done := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	return done
}

func (s *stack) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.handled)
}

const twoMessages = `{"events":[
 {"type":"m.room.message","event_id":"$a","room_id":"!r:x","sender":"@u:x","content":{"msgtype":"m.text","body":"one"}},
 {"type":"m.room.message","event_id":"$b","room_id":"!r:x","sender":"@u:x","content":{"msgtype":"m.text","body":"two"}}]}`

func TestAnswerWaitsForHandling(t *testing.T) {
	tests := []struct {
		name string
		wrap bool
		// early is whether the homeserver gets its answer before the handlers finish.
		early bool
	}{
		{"bare appservice answers before handling", false, true},
		{"wrapped appservice answers after handling", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t, tt.wrap)
			done := s.put(t, "t1", token, twoMessages)
			select {
			case code := <-done:
				if !tt.early {
					t.Fatalf("answered %d while %d of 2 events were handled", code, s.count())
				}
				if code != http.StatusOK {
					t.Fatalf("status %d, want 200", code)
				}
				close(s.release)
				return
			case <-time.After(300 * time.Millisecond):
				if tt.early {
					t.Fatal("the bare appservice did not answer before handling: the control case is wrong")
				}
			}
			close(s.release)
			select {
			case code := <-done:
				if code != http.StatusOK {
					t.Fatalf("status %d, want 200", code)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no answer after the handlers finished")
			}
			if n := s.count(); n != 2 {
				t.Errorf("answered with %d of 2 events handled", n)
			}
		})
	}
}

func TestRefusedTransactionsAnswerAtOnce(t *testing.T) {
	s := newStack(t, true)
	defer close(s.release)
	tests := []struct {
		name, auth, body string
		want             int
	}{
		{"no token", "", twoMessages, http.StatusUnauthorized},
		{"wrong token", "nope", twoMessages, http.StatusUnauthorized},
		{"bad JSON", token, `{"events":[`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			select {
			case code := <-s.put(t, "bad-"+tt.name, tt.auth, tt.body):
				if code != tt.want {
					t.Errorf("status %d, want %d", code, tt.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("a refused transaction waited for handling")
			}
		})
	}
	if n := s.count(); n != 0 {
		t.Errorf("%d events of refused transactions were handled", n)
	}
}

func TestRetryWhileHandlingIsNotHandledTwice(t *testing.T) {
	s := newStack(t, true)
	first := s.put(t, "same", token, twoMessages)
	time.Sleep(100 * time.Millisecond) // the first is now blocked in its handler
	retry := s.put(t, "same", token, twoMessages)
	close(s.release)
	for _, ch := range []chan int{first, retry} {
		select {
		case code := <-ch:
			if code != http.StatusOK {
				t.Errorf("status %d, want 200", code)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no answer")
		}
	}
	if n := s.count(); n != 2 {
		t.Errorf("handled %d events, want each of the 2 once", n)
	}
}

func TestOtherRoutesPassThrough(t *testing.T) {
	s := newStack(t, true)
	defer close(s.release)
	resp, err := http.Get(s.srv.URL + "/_matrix/mau/live")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("live endpoint status %d, want 200", resp.StatusCode)
	}
}
