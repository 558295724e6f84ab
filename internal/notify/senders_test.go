package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"micuenta/internal/notify"
	"micuenta/internal/testutil/smtptest"
)

func TestSMTPSenderDeliversSpanishMail(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := notify.NewSMTPSender(notify.SMTPConfig{Addr: srv.Addr, From: "Mi Cuenta <no-responder@micuenta.example>",
		Username: srv.Username, Password: srv.Password, Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	m := notify.Message{Channel: notify.Email, To: "lupita@correo.example", Subject: "Tu código de verificación: ¿lo pediste?",
		Body: "Hola, María José Muñoz:\nTu código es 482913. Vence en 10 minutos.\n¡Gracias!"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, "lupita@correo.example", 5*time.Second)
	if got.Subject != m.Subject {
		t.Errorf("subject %q", got.Subject)
	}
	if !strings.Contains(got.Body, "María José Muñoz") || !strings.Contains(got.Body, "482913") || !strings.Contains(got.Body, "¡Gracias!") {
		t.Errorf("body %q", got.Body)
	}
	if got.From != "no-responder@micuenta.example" {
		t.Errorf("envelope from %q", got.From)
	}
}

func TestSMTPRefusedRecipientIsPermanent(t *testing.T) {
	srv := smtptest.Start(t)
	srv.Reject["nadie@correo.example"] = true
	s, _ := notify.NewSMTPSender(notify.SMTPConfig{Addr: srv.Addr, From: "no-responder@micuenta.example",
		Username: srv.Username, Password: srv.Password, Security: "none"})
	err := s.Send(context.Background(), notify.Message{To: "nadie@correo.example", Subject: "x", Body: "x"})
	if !errors.Is(err, notify.ErrPermanent) {
		t.Fatalf("err %v, want ErrPermanent", err)
	}
	bad, _ := notify.NewSMTPSender(notify.SMTPConfig{Addr: srv.Addr, From: "no-responder@micuenta.example",
		Username: srv.Username, Password: "otra", Security: "none"})
	if err := bad.Send(context.Background(), notify.Message{To: "a@b.example", Body: "x"}); err == nil || errors.Is(err, notify.ErrPermanent) {
		t.Fatalf("wrong password: err %v, want a retryable error", err)
	}
	if _, err := notify.NewSMTPSender(notify.SMTPConfig{Addr: "nohost", From: "x@y.example"}); err == nil {
		t.Fatal("address without port accepted")
	}
}

func TestSMSGateway(t *testing.T) {
	var got map[string]string
	status := http.StatusOK
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer ficha" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewDecoder(r.Body).Decode(&got)
		w.WriteHeader(status)
	}))
	defer gw.Close()
	s := notify.NewSMSGateway(gw.URL, "ficha")
	m := notify.Message{Channel: notify.SMS, To: "5512345678", Body: "Tu código de Mi Cuenta es 482913."}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got["to"] != "+525512345678" || got["message"] != m.Body {
		t.Fatalf("gateway got %v", got)
	}
	status = http.StatusServiceUnavailable
	if err := s.Send(context.Background(), m); err == nil || errors.Is(err, notify.ErrPermanent) {
		t.Fatalf("503: err %v, want retryable", err)
	}
	status = http.StatusBadRequest
	if err := s.Send(context.Background(), m); !errors.Is(err, notify.ErrPermanent) {
		t.Fatalf("400: err %v, want permanent", err)
	}
	if err := s.Send(context.Background(), notify.Message{To: "123", Body: "x"}); !errors.Is(err, notify.ErrPermanent) {
		t.Fatalf("short number: %v", err)
	}
}
