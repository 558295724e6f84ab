package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"micuenta/internal/web"
)

// While serving, a signed-in person's activity is batched and written at
// the latest when the server stops: the next process to read the session
// sees the time of the last page.
func TestServeWritesBatchedActivity(t *testing.T) {
	a, clock, email, password := portalWithClock(t, "sqlite")
	b := signedIn(t, a, email, password)
	ctx := context.Background()
	acc, err := a.DB.FindAccountByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := a.Listen()
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Serve(serveCtx, ln) }()

	clock.Add(10 * time.Minute)
	seenAt := clock.Now().UTC()
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/mi-cuenta", nil)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: b.cookies[web.SessionCookie]})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("signed-in page over HTTP: %d", res.StatusCode)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	list, err := a.DB.AccountSessions(ctx, acc.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("sessions: %+v %v", list, err)
	}
	if got := list[0].LastSeenAt.UTC(); got.Sub(seenAt).Abs() > time.Millisecond {
		t.Fatalf("last seen %v after serve stopped, want the page's %v", got, seenAt)
	}
}
