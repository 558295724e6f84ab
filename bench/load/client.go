package main

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// visitor is one person's browser: its own cookies and its own address
// (sent as X-Forwarded-For, which the servers believe from loopback
// because they run with --trusted-proxies 127.0.0.1/32), so the
// per-address limits see many people, as behind a real load balancer.
// With several instances its requests alternate between them, so every
// page after the first is answered by another instance than the one
// before — what proves sessions, flows and limits are shared.
type visitor struct {
	client  *http.Client
	bases   []string // the instances' base URLs
	turn    int      // the instance of the next request, in turn
	addr    string
	cookies map[string]string
	rec     *recorder
}

// answer is what a request got back.
type answer struct {
	status   int
	location string
	body     string
}

// newVisitor starts at instance first (mod the instances), so visitors
// spread evenly.
func newVisitor(client *http.Client, bases []string, first int, addr string, rec *recorder) *visitor {
	return &visitor{client: client, bases: bases, turn: first, addr: addr, cookies: map[string]string{}, rec: rec}
}

// get loads a page and records it under route; want is the status the
// script expects (anything else is an error).
func (v *visitor) get(route, path string, want int) answer {
	return v.send(route, "GET", path, nil, "", want)
}

// post submits a form.
func (v *visitor) post(route, path string, form url.Values, want int) answer {
	return v.send(route, "POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", want)
}

// upload submits a multipart form with one file per name in files.
func (v *visitor) upload(route, path string, form url.Values, field string, files map[string][]byte, want int) answer {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, s := range vs {
			_ = mw.WriteField(k, s)
		}
	}
	for name, content := range files {
		w, _ := mw.CreateFormFile(field, name)
		_, _ = w.Write(content)
	}
	_ = mw.Close()
	return v.send(route, "POST", path, &buf, mw.FormDataContentType(), want)
}

func (v *visitor) send(route, method, path string, body io.Reader, contentType string, want int) answer {
	base := v.bases[v.turn%len(v.bases)]
	v.turn++
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		v.rec.add(route, 0, err.Error())
		return answer{}
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 13) Chrome/131.0 Mobile (micuenta-load)")
	req.Header.Set("X-Forwarded-For", v.addr)
	req.Header.Set("Accept-Language", "es-MX")
	if method == "POST" {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Content-Type", contentType)
	}
	if len(v.cookies) > 0 {
		parts := make([]string, 0, len(v.cookies))
		for k, c := range v.cookies {
			parts = append(parts, k+"="+c)
		}
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
	t0 := time.Now()
	resp, err := v.client.Do(req)
	if err != nil {
		v.rec.add(route, time.Since(t0), err.Error())
		return answer{}
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(t0)
	// The __Host- cookies are Secure, which a cookie jar would not send
	// back over the benchmark's plain HTTP; keep them by hand.
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(v.cookies, c.Name)
		} else {
			v.cookies[c.Name] = c.Value
		}
	}
	a := answer{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b)}
	failure := ""
	switch {
	case err != nil:
		failure = err.Error()
	case resp.StatusCode != want:
		failure = fmt.Sprintf("%s %s: %d, want %d (%s)", method, path, resp.StatusCode, want, snippet(a))
	}
	v.rec.add(route, elapsed, failure)
	return a
}

func snippet(a answer) string {
	if a.location != "" {
		return "to " + a.location
	}
	s := a.body
	if i := strings.Index(s, "<h1"); i >= 0 {
		s = s[i:]
	}
	return strings.Join(strings.Fields(s[:min(len(s), 160)]), " ")
}

// newClient is the load generator's HTTP client: it keeps connections
// alive (as a load balancer in front of the servers does) and never
// follows redirects, so each step's answer is measured by itself.
func newClient(conns int) *http.Client {
	t := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 90 * time.Second, DisableCompression: true}
	return &http.Client{Transport: t, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
