package simhttp

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is a façade serving in the background.
type Server struct {
	URL string // http://HOST:PORT

	srv    *http.Server
	stop   context.CancelFunc
	done   chan struct{}
	once   sync.Once
	closed error
}

// Serve serves h on ln in the background until ctx is done or Close is
// called, and runs each of also (an engine's Run, say) with a context that
// ends with it.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, also ...func(context.Context)) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, stop := context.WithCancel(ctx)
	s := &Server{
		URL: "http://" + ln.Addr().String(), stop: stop, done: make(chan struct{}),
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
			BaseContext: func(net.Listener) context.Context { return ctx }},
	}
	for _, fn := range also {
		go fn(ctx)
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("simulator stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		_ = s.Close()
	}()
	return s
}

// Close stops the server and waits for it. It is safe to call more than
// once.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.stop()
		s.closed = s.srv.Close()
		<-s.done
	})
	return s.closed
}
