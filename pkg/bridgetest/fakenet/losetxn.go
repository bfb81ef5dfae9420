package fakenet

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"

	"go.mau.fi/util/exhttp"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/matrix"
)

// txnLoss plays a homeserver that marks a transaction done without delivering it (Synapse
// does that when its recoverer ends just as a transaction is stored): armed, it answers the
// next transaction that holds a message with 200 before the bridge sees it.
type txnLoss struct {
	mu    sync.Mutex
	armed chan struct{} // closed once a transaction was lost; nil while not armed
}

// LoseNextTransaction makes the bridge miss the next appservice transaction that carries an
// m.room.message, as if the homeserver had skipped it. The channel closes once it happened.
func (n *Network) LoseNextTransaction() <-chan struct{} {
	n.loss.mu.Lock()
	defer n.loss.mu.Unlock()
	n.loss.armed = make(chan struct{})
	return n.loss.armed
}

// install puts the loss in front of everything else the appservice does with a request,
// the transaction acknowledgement included.
func (l *txnLoss) install(br *bridgev2.Bridge) {
	mc, ok := br.Matrix.(*matrix.Connector)
	if !ok || mc.AS == nil {
		return
	}
	mc.AS.Middleware = append([]exhttp.Middleware{l.middleware}, mc.AS.Middleware...)
}

func (l *txnLoss) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		armed := l.armed
		l.mu.Unlock()
		if armed == nil || r.Method != http.MethodPut || !strings.Contains(r.URL.Path, "/transactions/") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !bytes.Contains(body, []byte(`"m.room.message"`)) {
			next.ServeHTTP(w, r)
			return
		}
		l.mu.Lock()
		if l.armed == armed {
			l.armed = nil
			close(armed)
		}
		l.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	})
}
