package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/notify"
	"micuenta/internal/testutil/smtptest"
)

// `micuenta worker --once` delivers what the portal queued, over SMTP.
func TestWorkerOnceDeliversTheQueue(t *testing.T) {
	mail := smtptest.Start(t)
	env := keys("sqlite:" + filepath.Join(t.TempDir(), "w.db"))
	env["MICUENTA_SMTP_ADDR"], env["MICUENTA_SMTP_USER"], env["MICUENTA_SMTP_PASSWORD"] = mail.Addr, mail.Username, mail.Password
	env["MICUENTA_SMTP_SECURITY"] = "none"
	if code, _, stderr := run(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	cfg := config.Config{DB: env["MICUENTA_DB"], DataKey: env["MICUENTA_DATA_KEY"], LookupKey: env["MICUENTA_LOOKUP_KEY"]}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"uno@correo.example", "dos@correo.example"} {
		if _, err := a.Outbox.Enqueue(context.Background(), notify.Message{Channel: notify.Email, To: to, Subject: "Aviso de prueba", Body: "Hola"}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()

	code, out, stderr := run(t, env, "worker", "--once")
	if code != 0 || !strings.Contains(out, "2 message(s) handled") {
		t.Fatalf("worker: %d %q %q", code, out, stderr)
	}
	if m := mail.WaitFor(t, "dos@correo.example", 5*time.Second); m.Subject != "Aviso de prueba" {
		t.Fatalf("subject %q", m.Subject)
	}
	// Nothing is sent twice.
	if code, out, _ := run(t, env, "worker", "--once"); code != 0 || !strings.Contains(out, "0 message(s)") {
		t.Fatalf("second run: %d %q", code, out)
	}
	if n := len(mail.Mails()); n != 2 {
		t.Fatalf("%d mails", n)
	}
	// A schema that is not migrated is refused with advice.
	env2 := keys("sqlite:" + filepath.Join(t.TempDir(), "empty.db"))
	if code, _, stderr := run(t, env2, "worker", "--once"); code != 2 || !strings.Contains(stderr, "migrate") {
		t.Fatalf("unmigrated: %d %q", code, stderr)
	}
}
