package account

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bylinehq/byline/config"
	"github.com/bylinehq/byline/sanitize"
)

// Retries of a request the server answered with 429 or 5xx. A wait the
// server asks for that is longer than maxRetryWait is not waited out: the
// sync reports it and the next one tries again.
const (
	maxRetries     = 3
	firstBackoff   = 500 * time.Millisecond
	maxRetryWait   = 30 * time.Second
	maxErrorDetail = 200 // bytes of a server's error body shown
)

// httpAccount is what both clients share: the account, its HTTP client
// and its secret.
type httpAccount struct {
	account config.Account
	base    *url.URL
	client  *http.Client
	opts    Options

	secretOnce sync.Once
	secret     string
	secretErr  error
	// secrets are cut out of every message: the password or token, and
	// whatever session token the server handed out.
	mu      sync.Mutex
	secrets []string
	// authFailed stops every later request once the server refused the
	// login, so the user hears about it once.
	authFailed bool
	// wait is how the client sleeps before a retry; tests shorten it.
	wait func(ctx context.Context, d time.Duration) error
}

func newHTTP(a config.Account, opts Options) (*httpAccount, error) {
	base, err := url.Parse(strings.TrimRight(a.URL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("account %s: url must be an http:// or https:// URL", a.Name)
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 10 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 20 << 20
	}
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: opts.ConnectTimeout,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
		// Left to the transport, gzip is asked for and undone on the fly.
	}
	h := &httpAccount{
		account: a,
		base:    base,
		client: &http.Client{
			Transport: transport,
			Timeout:   opts.Timeout,
			// An API does not redirect a client it knows; a redirect
			// would resend credentials to wherever it pointed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		opts: opts,
		wait: sleep,
	}
	if a.AppKey != "" {
		h.secrets = append(h.secrets, a.AppKey)
	}
	return h, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// password returns the account's password or API token, running
// password-command or reading the environment the first time.
func (h *httpAccount) password(ctx context.Context) (string, error) {
	h.secretOnce.Do(func() {
		a := h.account
		switch {
		case a.PasswordCommand != "":
			h.secret, h.secretErr = runPasswordCommand(ctx, a.PasswordCommand)
		case a.PasswordEnv != "":
			h.secret = h.opts.Getenv(a.PasswordEnv)
			if h.secret == "" {
				h.secretErr = fmt.Errorf("password-env: $%s is empty or not set", a.PasswordEnv)
			}
		case a.TokenEnv != "":
			h.secret = h.opts.Getenv(a.TokenEnv)
			if h.secret == "" {
				h.secretErr = fmt.Errorf("token-env: $%s is empty or not set", a.TokenEnv)
			}
		default:
			h.secretErr = errors.New("no password-command, password-env or token-env")
		}
		if h.secretErr != nil {
			h.secretErr = fmt.Errorf("account %s: %w", a.Name, h.secretErr)
		} else {
			h.remember(h.secret)
		}
	})
	return h.secret, h.secretErr
}

// remember adds a secret to those cut out of messages.
func (h *httpAccount) remember(secret string) {
	if secret == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.secrets = append(h.secrets, secret)
}

// redact cuts every known secret out of s.
func (h *httpAccount) redact(s string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, secret := range h.secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[secret]")
		}
	}
	return s
}

// request is one API call.
type request struct {
	method string
	path   string // under the base URL
	query  url.Values
	form   url.Values // sent as the body, url-encoded
	json   any        // sent as the body, JSON
	auth   func(*http.Request) error
	// retry is false for calls that must not be repeated blindly.
	noRetry bool
}

// do runs req, decodes a JSON answer into out (or copies a text answer
// into a *string, or ignores it for nil) and returns an error that names
// the account and the call but never a secret.
func (h *httpAccount) do(ctx context.Context, req request, out any) error {
	err := h.doOnce(ctx, req, out)
	if err == nil {
		return nil
	}
	return &redactedError{msg: h.redact(err.Error()), err: err}
}

// redactedError is an error whose message has the secrets cut out; it
// still matches ErrAuth, ErrOffline and the rest with errors.Is.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (h *httpAccount) doOnce(ctx context.Context, req request, out any) error {
	h.mu.Lock()
	failed := h.authFailed
	h.mu.Unlock()
	if failed {
		return h.authError()
	}
	what := req.method + " " + req.path
	for attempt := 0; ; attempt++ {
		resp, err := h.send(ctx, req)
		if err != nil {
			return h.networkError(what, err)
		}
		switch {
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
			drain(resp)
			h.mu.Lock()
			h.authFailed = true
			h.mu.Unlock()
			return h.authError()
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			detail := h.errorDetail(resp)
			wait, ok := retryWait(resp.Header.Get("Retry-After"), attempt, time.Now())
			if req.noRetry || attempt >= maxRetries || !ok {
				if !ok {
					detail += fmt.Sprintf("; it asked to wait %s, try again later", wait.Round(time.Second))
				}
				return fmt.Errorf("account %s: %s: the server said %s%s", h.account.Name, what, resp.Status, detail)
			}
			if err := h.wait(ctx, wait); err != nil {
				return fmt.Errorf("account %s: %s: %w", h.account.Name, what, err)
			}
			continue
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			detail := h.errorDetail(resp)
			return &statusError{code: resp.StatusCode,
				msg: fmt.Sprintf("account %s: %s: the server said %s%s", h.account.Name, what, resp.Status, detail)}
		}
		err = h.decode(resp, out)
		if err != nil {
			return fmt.Errorf("account %s: %s: %w", h.account.Name, what, err)
		}
		return nil
	}
}

// authError is the one message a refused login gets.
func (h *httpAccount) authError() error {
	return fmt.Errorf("account %s: %w: check username/password for account %s", h.account.Name, ErrAuth, h.account.Name)
}

// networkError says the server is out of reach, in words without the
// request's query.
func (h *httpAccount) networkError(what string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("account %s: %s: %w", h.account.Name, what, context.Canceled)
	}
	reason := err.Error()
	// "connect: connection refused", not "dial tcp HOST: connect: …":
	// the host is named once.
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		reason = oe.Err.Error()
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		reason = fmt.Sprintf("no answer within %s", h.opts.Timeout)
	}
	return fmt.Errorf("account %s: %w: cannot reach %s (%s)", h.account.Name, ErrOffline, h.base.Host, reason)
}

func (h *httpAccount) send(ctx context.Context, req request) (*http.Response, error) {
	u := *h.base
	u.Path = strings.TrimRight(u.Path, "/") + req.path
	u.RawQuery = req.query.Encode()
	var body io.Reader
	contentType := ""
	switch {
	case req.form != nil:
		body = strings.NewReader(req.form.Encode())
		contentType = "application/x-www-form-urlencoded"
	case req.json != nil:
		b, err := json.Marshal(req.json)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
		contentType = "application/json"
	}
	r, err := http.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("User-Agent", h.opts.UserAgent)
	if h.account.AppID != "" {
		r.Header.Set("AppId", h.account.AppID)
		r.Header.Set("AppKey", h.account.AppKey)
	}
	if req.auth != nil {
		if err := req.auth(r); err != nil {
			return nil, err
		}
	}
	return h.client.Do(r)
}

// decode reads a bounded body into out.
func (h *httpAccount) decode(resp *http.Response, out any) error {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, h.opts.MaxBodyBytes+1))
	if err != nil {
		return fmt.Errorf("read the answer: %w", err)
	}
	if int64(len(body)) > h.opts.MaxBodyBytes {
		return fmt.Errorf("the answer is larger than max-body (%d bytes)", h.opts.MaxBodyBytes)
	}
	switch v := out.(type) {
	case nil:
		return nil
	case *string:
		*v = string(body)
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("the answer is not the JSON expected: %w", err)
	}
	return nil
}

// errorDetail is a short, clean piece of an error answer, for the message.
func (h *httpAccount) errorDetail(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var structured struct {
		ErrorMessage string   `json:"error_message"`
		Errors       []string `json:"errors"`
	}
	text := string(b)
	if json.Unmarshal(b, &structured) == nil {
		switch {
		case structured.ErrorMessage != "":
			text = structured.ErrorMessage
		case len(structured.Errors) > 0:
			text = strings.Join(structured.Errors, "; ")
		}
	}
	text = sanitize.Line(text)
	if text == "" || strings.HasPrefix(text, "<") {
		return ""
	}
	if len(text) > maxErrorDetail {
		text = strings.ToValidUTF8(text[:maxErrorDetail], "") + "…"
	}
	return ": " + text
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// retryWait is how long to wait before attempt+1: the server's
// Retry-After (seconds or an HTTP date) if it sent one, else a doubling
// backoff. ok is false when the server asks for longer than maxRetryWait.
func retryWait(retryAfter string, attempt int, now time.Time) (wait time.Duration, ok bool) {
	wait = firstBackoff << attempt
	if retryAfter = strings.TrimSpace(retryAfter); retryAfter != "" {
		if secs, err := strconv.Atoi(retryAfter); err == nil && secs >= 0 {
			wait = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(retryAfter); err == nil {
			wait = max(t.Sub(now), 0)
		}
	}
	return wait, wait <= maxRetryWait
}

// statusError is an answer with an HTTP status that is not a success and
// not worth retrying.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

// isStatus reports whether err is an answer with the HTTP status code.
func isStatus(err error, code int) bool {
	var se *statusError
	return errors.As(err, &se) && se.code == code
}
