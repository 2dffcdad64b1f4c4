package asteroid

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// MaxDownload bounds a download whose size neither the listing nor the
// server states.
const MaxDownload = 4 << 30

const downloadOp = "download file"

// Download fetches a file's bytes from its pre-signed URL (signedUrl or
// downloadUrl, reference §2.5) and writes them to w. The URL needs no API
// key, so the key is sent only when the URL is on the base URL's own origin
// (and dropped on any redirect away from it). Plain http to a host that is
// not loopback is refused unless the client allows insecure connections.
//
// The size is checked twice, as the SDKs do: a Content-Length other than
// f.Size fails before anything is written, and so does a body longer or
// shorter than f.Size (w then holds a part). With no size known the body is
// bounded by MaxDownload. The download may take as long as ctx allows, but
// fails when no byte arrives for the client's timeout.
func (c *Client) Download(ctx context.Context, f api.File, w io.Writer) (int64, error) {
	u, err := c.downloadURL(f)
	if err != nil {
		return 0, err
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st := &stall{timeout: c.timeout, cancel: cancel}
	st.arm()
	defer st.stop()

	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, &api.Error{Kind: api.KindInvalid, Op: downloadOp, Message: "cannot build the request"}
	}
	if c.key != "" && sameOrigin(u, c.base) {
		req.Header.Set(wire.APIKeyHeader, c.key)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept-Encoding", "identity") // sizes are of the bytes as stored
	start := time.Now()
	resp, err := c.dlc.Do(req)
	if err != nil {
		c.logRequest(ctx, "GET", u.Path, 0, start, err)
		return 0, c.downloadError(ctx, st, err)
	}
	defer resp.Body.Close()
	c.logRequest(ctx, "GET", u.Path, resp.StatusCode, start, nil)
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return 0, c.statusError(downloadOp, resp, data)
	}

	want := f.Size
	if want > 0 && resp.ContentLength >= 0 && resp.ContentLength != want {
		return 0, &api.Error{Kind: api.KindDecode, Op: downloadOp, StatusCode: resp.StatusCode,
			Message: fmt.Sprintf("the server announced %d bytes, but the file is %d", resp.ContentLength, want)}
	}
	limit := want
	if limit <= 0 {
		limit = resp.ContentLength
	}
	if limit < 0 {
		limit = MaxDownload
	}
	cw := &errWriter{w: w}
	n, err := io.Copy(cw, io.LimitReader(&stallReader{r: resp.Body, st: st}, limit+1))
	switch {
	case cw.err != nil:
		return n, &api.Error{Kind: api.KindUnknown, Op: downloadOp, Message: "cannot write the file: " + cw.err.Error(), Err: cw.err}
	case err != nil:
		return n, c.downloadError(ctx, st, err)
	case n > limit:
		return limit, &api.Error{Kind: api.KindDecode, Op: downloadOp, StatusCode: resp.StatusCode,
			Message: fmt.Sprintf("the server sent more than the %d bytes expected", limit)}
	case want > 0 && n != want, resp.ContentLength >= 0 && n != resp.ContentLength:
		return n, &api.Error{Kind: api.KindDecode, Op: downloadOp, StatusCode: resp.StatusCode,
			Message: fmt.Sprintf("the download stopped after %d of %d bytes", n, limit)}
	}
	return n, nil
}

// downloadURL checks a file's URL before anything is sent.
func (c *Client) downloadURL(f api.File) (*url.URL, error) {
	raw := strings.TrimSpace(f.URL)
	if raw == "" {
		return nil, &api.Error{Kind: api.KindNotFound, Op: downloadOp, Message: "the file has no download URL"}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, &api.Error{Kind: api.KindInvalid, Op: downloadOp, Message: "the file's download URL is not an http(s) URL"}
	}
	if u.Scheme == "http" && !c.insecure && !isLoopback(u.Hostname()) {
		return nil, &api.Error{Kind: api.KindInsecure, Op: downloadOp,
			Message: "refusing to download over plain http from " + u.Host + " (allow insecure connections to do it)"}
	}
	return u, nil
}

// downloadError maps a transport failure; a stall is a timeout. The error
// never holds the URL, whose signature is as good as a password.
func (c *Client) downloadError(ctx context.Context, st *stall, err error) error {
	if st.fired() && ctx.Err() == nil {
		return &api.Error{Kind: api.KindTimeout, Op: downloadOp, Message: fmt.Sprintf("no data for %s", c.timeout)}
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return c.transportError(ctx, ctx, downloadOp, err)
}

// sameOrigin reports whether u is on base's scheme, host and port.
func sameOrigin(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}

// downloadClient is the client downloads go through: the API client's
// transport, following redirects to any host (pre-signed URLs redirect to
// storage regions) but never from https down to http, and without the API
// key once away from the base URL's origin.
func downloadClient(apiClient *http.Client, base *url.URL) *http.Client {
	hc := *apiClient
	hc.Timeout = 0 // a download is bounded by its stall timer and the caller's context
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return errors.New("refused a redirect from https to plain http")
		}
		if !sameOrigin(req.URL, base) {
			req.Header.Del(wire.APIKeyHeader)
		}
		return nil
	}
	return &hc
}

// stall cancels a download when no data arrives for timeout.
type stall struct {
	timeout time.Duration
	cancel  context.CancelFunc
	mu      sync.Mutex
	t       *time.Timer
	hit     bool
}

func (s *stall) arm() {
	s.t = time.AfterFunc(s.timeout, func() {
		s.mu.Lock()
		s.hit = true
		s.mu.Unlock()
		s.cancel()
	})
}

func (s *stall) reset() { s.t.Reset(s.timeout) }
func (s *stall) stop()  { s.t.Stop() }

func (s *stall) fired() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hit
}

// stallReader resets the stall timer whenever data arrives.
type stallReader struct {
	r  io.Reader
	st *stall
}

func (r *stallReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.st.reset()
	}
	return n, err
}

// errWriter keeps the first write error, to tell it from a read one.
type errWriter struct {
	w   io.Writer
	err error
}

func (c *errWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}
