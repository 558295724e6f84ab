package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"micuenta/internal/testutil/smtptest"
)

// mailbox receives what the portal sends: e-mail through a real SMTP
// server in this process and SMS through a stand-in for the SMS gateway
// (the one part outside the machine). Scripts that register or prove a
// new device wait here for their code, as a person waits for the message:
// the codes travel the same way as in production — outbox, worker,
// transport.
type mailbox struct {
	mu      sync.Mutex
	changed *sync.Cond
	codes   map[string]delivery // newest code by recipient
	mails   atomic.Int64
	sms     atomic.Int64

	SMTP      *smtptest.Server
	SMSURL    string
	stopSMTP  func() error
	smsServer *http.Server
}

type delivery struct {
	code string
	at   time.Time
}

var codeRe = regexp.MustCompile(`\b\d{6}\b`)

func openMailbox() (*mailbox, error) {
	m := &mailbox{codes: map[string]delivery{}}
	m.changed = sync.NewCond(&m.mu)
	s, stop, err := smtptest.Listen(func(mail smtptest.Mail) {
		m.mails.Add(1)
		for _, to := range mail.To {
			m.deliver(strings.ToLower(to), mail.Body)
		}
	})
	if err != nil {
		return nil, err
	}
	m.SMTP, m.stopSMTP = s, stop
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		stop()
		return nil, err
	}
	m.SMSURL = "http://" + ln.Addr().String() + "/sms"
	m.smsServer = &http.Server{Handler: http.HandlerFunc(m.receiveSMS), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = m.smsServer.Serve(ln) }()
	return m, nil
}

func (m *mailbox) receiveSMS(w http.ResponseWriter, r *http.Request) {
	var msg struct{ To, Message string }
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m.sms.Add(1)
	m.deliver(strings.TrimPrefix(msg.To, "+52"), msg.Message)
	w.WriteHeader(http.StatusAccepted)
}

func (m *mailbox) deliver(to, body string) {
	code := codeRe.FindString(body)
	if code == "" {
		return
	}
	m.mu.Lock()
	m.codes[to] = delivery{code: code, at: time.Now()}
	m.mu.Unlock()
	m.changed.Broadcast()
}

// waitCode returns the code sent to a recipient after since, waiting up to
// timeout for it to arrive.
func (m *mailbox) waitCode(to string, since time.Time, timeout time.Duration) (string, error) {
	to = strings.ToLower(to)
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, m.changed.Broadcast)
	defer timer.Stop()
	m.mu.Lock()
	defer m.mu.Unlock()
	for {
		if d, ok := m.codes[to]; ok && !d.at.Before(since) {
			return d.code, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no code for %s within %s", to, timeout)
		}
		m.changed.Wait()
	}
}

func (m *mailbox) close() {
	_ = m.smsServer.Close()
	_ = m.stopSMTP()
}
