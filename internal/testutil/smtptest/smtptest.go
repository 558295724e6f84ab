// Package smtptest runs a real SMTP server in the test process, on
// loopback, and keeps what it receives, so tests read the e-mails the
// portal really sent (and the codes in them) instead of a mock's record.
package smtptest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one received message, decoded.
type Mail struct {
	From    string
	To      []string
	Subject string // decoded from its RFC 2047 form
	Body    string // decoded from quoted-printable
	Raw     []byte
}

// Server is an in-process SMTP server requiring AUTH PLAIN.
type Server struct {
	Addr               string // 127.0.0.1:port
	Username, Password string

	mu     sync.Mutex
	mails  []Mail
	notify chan struct{}
	// Reject makes RCPT fail with 550 for these addresses.
	Reject map[string]bool
	onMail func(Mail)
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s, stop, err := Listen(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	return s
}

// Listen runs a server outside a test (the load generator in bench/ is
// its other user) until stop is called. With onMail set, each message is
// handed to it as it arrives instead of being kept, so a long run does
// not hold every e-mail in memory.
func Listen(onMail func(Mail)) (s *Server, stop func() error, err error) {
	s = &Server{Username: "portal", Password: "secreto-de-prueba", notify: make(chan struct{}, 1000), Reject: map[string]bool{}, onMail: onMail}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	s.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	return s, srv.Close, nil
}

// Mails returns what has arrived so far.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// WaitFor waits until a message to addr arrives and returns the newest.
func (s *Server) WaitFor(t testing.TB, addr string, timeout time.Duration) Mail {
	t.Helper()
	deadline := time.After(timeout)
	for {
		ms := s.Mails()
		for i := len(ms) - 1; i >= 0; i-- {
			for _, to := range ms[i].To {
				if strings.EqualFold(to, addr) {
					return ms[i]
				}
			}
		}
		select {
		case <-s.notify:
		case <-deadline:
			t.Fatalf("smtptest: no mail to %s within %s", addr, timeout)
		}
	}
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.Username || password != ss.s.Password {
			return errors.New("bad credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.Reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Mail{From: ss.from, To: ss.to, Raw: raw}
	if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		dec := new(mime.WordDecoder)
		m.Subject, _ = dec.DecodeHeader(msg.Header.Get("Subject"))
		body, _ := io.ReadAll(msg.Body)
		if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		}
		m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	if ss.s.onMail != nil {
		ss.s.onMail(m)
		return nil
	}
	ss.s.mu.Lock()
	ss.s.mails = append(ss.s.mails, m)
	ss.s.mu.Unlock()
	select {
	case ss.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
