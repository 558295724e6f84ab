package account

import (
	"io/fs"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"micuenta/internal/notify"
)

// Every message template renders, e-mails have a subject, SMS fit in two
// segments, and no file in messages/ goes unused.
func TestMessageTemplates(t *testing.T) {
	d := messageData{Code: "123456", Name: "María José", Link: "https://micuenta.example/recuperar/nueva?clave=abc", When: whenText(time.Date(2026, 12, 2, 18, 5, 0, 0, time.UTC)),
		IP: "203.0.113.9", Browser: "Firefox", What: "número de celular", Masked: "******4321"}
	used := map[string]bool{}
	for _, c := range []struct {
		name string
		ch   notify.Channel
		want string
	}{
		{"codigo", notify.Email, "123456"}, {"codigo", notify.SMS, "123456"},
		{"bienvenida", notify.Email, "María José"}, {"dispositivo-nuevo", notify.Email, "Firefox"},
		{"recuperacion", notify.Email, "clave=abc"}, {"contrasena-cambiada", notify.Email, "203.0.113.9"},
		{"contacto-cambiado", notify.Email, "******4321"}, {"contacto-cambiado", notify.SMS, "******4321"},
		{"cuenta-borrada", notify.Email, "02/12/2026 12:05"},
	} {
		m, err := compose(c.name, c.ch, "x", notify.PriorityNotice, d)
		if err != nil {
			t.Fatalf("%s/%s: %v", c.name, c.ch, err)
		}
		if !strings.Contains(m.Body+m.Subject, c.want) || strings.Contains(m.Body, "no value") {
			t.Errorf("%s/%s: %q", c.name, c.ch, m.Body)
		}
		if c.ch == notify.Email && (m.Subject == "" || strings.HasPrefix(m.Body, "\n")) {
			t.Errorf("%s: subject %q", c.name, m.Subject)
		}
		if c.ch == notify.SMS && (utf8.RuneCountInString(m.Body) > 134 || strings.Contains(m.Body, "\n")) {
			t.Errorf("%s SMS is %d characters: %q", c.name, utf8.RuneCountInString(m.Body), m.Body)
		}
		file := c.name + ".correo.txt"
		if c.ch == notify.SMS {
			file = c.name + ".sms.txt"
		}
		used[file] = true
	}
	files, _ := fs.Glob(messageFiles, "messages/*.txt")
	for _, f := range files {
		if !used[strings.TrimPrefix(f, "messages/")] {
			t.Errorf("%s is not exercised", f)
		}
	}
	if _, err := compose("no-existe", notify.Email, "x", 0, d); err == nil {
		t.Error("an unknown message rendered")
	}
}
