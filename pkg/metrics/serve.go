package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
)

// Config is the metrics section of a bridge's network config.
type Config struct {
	// Listen is the address to serve /metrics on, such as 127.0.0.1:9100. Empty: no metrics
	// are served (the default). The listener has no authentication: bind it to an address
	// only the scraper reaches.
	Listen string `yaml:"listen"`
}

// Server serves a registry's metrics on /metrics.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Serve starts serving r on addr until ctx ends or Close is called. It returns once the
// listener is open, so that an address taken by another process fails the bridge's start.
func (r *Registry) Serve(ctx context.Context, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{ErrorLog: errorLog{ctx}}))
	s := &Server{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln: ln}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			zerolog.Ctx(ctx).Err(err).Msg("Metrics listener stopped")
		}
	}()
	context.AfterFunc(ctx, func() { _ = s.Close() })
	zerolog.Ctx(ctx).Info().Str("address", ln.Addr().String()).Msg("Serving metrics")
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("stop metrics server: %w", err)
	}
	return nil
}

// errorLog sends promhttp's errors to the context's logger.
type errorLog struct{ ctx context.Context }

func (l errorLog) Println(v ...any) {
	zerolog.Ctx(l.ctx).Warn().Str("error", fmt.Sprint(v...)).Msg("Metrics scrape failed")
}
