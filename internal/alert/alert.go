// Package alert watches the audit log for suspicious activity (issue 11):
// credential stuffing, code guessing, bursts of recovery requests, one
// account signed into from many addresses, an operator reading unusually
// many people's records. Each rule raises an alert once per subject and
// window; the first two also block the address for a while. The rules
// run in serve's housekeeping pass and read the log through indexed
// counts, never row by row.
package alert

import (
	"context"
	"fmt"
	"time"
)

// Rule names (stable: the alerts page and tests use them).
const (
	CredentialStuffing = "relleno_credenciales"
	CodeGuessing       = "codigos_fallidos"
	RecoveryBurst      = "rafaga_recuperacion"
	ManyAddresses      = "cuenta_muchas_direcciones"
	OperatorReading    = "operador_lecturas"
)

// Titles are the rules as staff read them.
var Titles = map[string]string{
	CredentialStuffing: "Muchos ingresos fallidos a distintas cuentas desde una dirección",
	CodeGuessing:       "Muchos códigos equivocados desde una dirección",
	RecoveryBurst:      "Ráfaga de solicitudes de recuperación de contraseña",
	ManyAddresses:      "Una cuenta con ingresos desde muchas direcciones",
	OperatorReading:    "Una persona operadora consultó inusualmente muchos registros",
}

// Thresholds are the rules' figures; kept together so they can be tuned
// in one place (and, later, made settings).
type Thresholds struct {
	Window, LongWindow time.Duration
	StuffingFailures   int // failed sign-ins from one address …
	StuffingAccounts   int // … to at least this many accounts
	CodeFailures       int // wrong codes from one address
	RecoveryRequests   int // recovery requests in the window, all addresses
	AccountAddresses   int // distinct addresses signing into one account (long window)
	OperatorPeople     int // distinct people viewed by one operator (long window)
	Block              time.Duration
}

// DefaultThresholds are the rules' figures.
var DefaultThresholds = Thresholds{Window: 15 * time.Minute, LongWindow: time.Hour, StuffingFailures: 20, StuffingAccounts: 5,
	CodeFailures: 20, RecoveryRequests: 100, AccountAddresses: 5, OperatorPeople: 200, Block: time.Hour}

// Finding is one subject over a rule's threshold.
type Finding struct {
	Subject string // an address, "todas", an account or operator id
	Events  int
	Detail  string
}

// Alert is a raised alert.
type Alert struct {
	ID          int64
	Rule        string
	Subject     string
	Events      int
	Detail      string
	WindowStart time.Time
	RaisedAt    time.Time
}

// Store counts in the audit log and keeps alerts and blocks.
type Store interface {
	// AddressesFailing lists addresses with at least minEvents audit
	// events of action since, touching at least minAccounts accounts
	// (unknown accounts count as one).
	AddressesFailing(ctx context.Context, action string, since time.Time, minEvents, minAccounts int) ([]Finding, error)
	CountAction(ctx context.Context, action string, since time.Time) (int, error)
	AccountsFromManyAddresses(ctx context.Context, since time.Time, minAddresses int) ([]Finding, error)
	OperatorsReadingMany(ctx context.Context, since time.Time, minPeople int) ([]Finding, error)
	// RaiseAlert records an alert unless the same rule, subject and
	// window already has one; it reports whether it was new.
	RaiseAlert(ctx context.Context, a *Alert) (bool, error)
	BlockAddress(ctx context.Context, ip string, until time.Time, reason string) error
	AddressBlocked(ctx context.Context, ip string, now time.Time) (bool, error)
	RecentAlerts(ctx context.Context, limit int) ([]Alert, error)
}

// Notify tells the security contact of a new alert (optional).
type Notify func(ctx context.Context, a *Alert) error

// Detector runs the rules.
type Detector struct {
	store  Store
	t      Thresholds
	notify Notify
	now    func() time.Time
}

// NewDetector builds a detector.
func NewDetector(s Store, t Thresholds, notify Notify, now func() time.Time) *Detector {
	return &Detector{store: s, t: t, notify: notify, now: now}
}

// Detect runs every rule once and returns the alerts it raised (those
// already raised in the same window are not raised again).
func (d *Detector) Detect(ctx context.Context) ([]Alert, error) {
	now := d.now().UTC()
	short, long := now.Add(-d.t.Window), now.Add(-d.t.LongWindow)
	var raised []Alert
	add := func(rule string, fs []Finding, window time.Duration, block bool) error {
		for _, f := range fs {
			a := &Alert{Rule: rule, Subject: f.Subject, Events: f.Events, Detail: f.Detail, WindowStart: now.Truncate(window), RaisedAt: now}
			fresh, err := d.store.RaiseAlert(ctx, a)
			if err != nil {
				return err
			}
			if block {
				if err := d.store.BlockAddress(ctx, f.Subject, now.Add(d.t.Block), Titles[rule]); err != nil {
					return err
				}
			}
			if fresh {
				raised = append(raised, *a)
				if d.notify != nil {
					if err := d.notify(ctx, a); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	stuffing, err := d.store.AddressesFailing(ctx, "signin.failed", short, d.t.StuffingFailures, d.t.StuffingAccounts)
	if err != nil {
		return raised, err
	}
	if err := add(CredentialStuffing, stuffing, d.t.Window, true); err != nil {
		return raised, err
	}
	codes, err := d.store.AddressesFailing(ctx, "code.failed", short, d.t.CodeFailures, 1)
	if err != nil {
		return raised, err
	}
	if err := add(CodeGuessing, codes, d.t.Window, true); err != nil {
		return raised, err
	}
	n, err := d.store.CountAction(ctx, "recovery.requested", short)
	if err != nil {
		return raised, err
	}
	if n >= d.t.RecoveryRequests {
		if err := add(RecoveryBurst, []Finding{{Subject: "todas", Events: n, Detail: fmt.Sprintf("%d solicitudes en %s", n, d.t.Window)}}, d.t.Window, false); err != nil {
			return raised, err
		}
	}
	many, err := d.store.AccountsFromManyAddresses(ctx, long, d.t.AccountAddresses)
	if err != nil {
		return raised, err
	}
	if err := add(ManyAddresses, many, d.t.LongWindow, false); err != nil {
		return raised, err
	}
	readers, err := d.store.OperatorsReadingMany(ctx, long, d.t.OperatorPeople)
	if err != nil {
		return raised, err
	}
	return raised, add(OperatorReading, readers, d.t.LongWindow, false)
}

// Blocked reports whether an address is blocked now.
func (d *Detector) Blocked(ctx context.Context, ip string) (bool, error) {
	if ip == "" {
		return false, nil
	}
	return d.store.AddressBlocked(ctx, ip, d.now().UTC())
}

// Recent lists the newest alerts.
func (d *Detector) Recent(ctx context.Context, limit int) ([]Alert, error) {
	return d.store.RecentAlerts(ctx, limit)
}
