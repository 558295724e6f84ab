// Package figures produces the portal's own figures for the operations
// dashboard (issue 11): accounts, growth, states, daily users, visit
// length, the most used trámites and pages, the registration funnel and
// how often codes fail to arrive.
//
// Nothing here reads the large tables when the dashboard is shown. Every
// figure is kept per day (Mexico City) in daily_figures, filled three ways:
//
//   - derived, recomputed by RollUp for yesterday and today on every
//     housekeeping pass, from indexed ranges of one day of the audit log,
//     the requests and the outbox (new and deleted accounts, daily active
//     accounts, requests filed by type, registration funnel, codes sent and
//     failed);
//   - snapshots, taken once per day for the previous day's close (total
//     accounts, from an index; accounts by state, the one full join;
//     accounts active in the last 30 days, kept up to date one day of
//     sign-ins at a time in active_accounts) — BENCHMARKS.md has their
//     cost at 1 and 9.1 million accounts;
//   - added as they happen (visits, added by the store when a session ends;
//     page views, counted in memory by each serve process and added on
//     every pass, so several processes sum correctly).
package figures

import (
	"context"
	"time"

	"micuenta/internal/portal"
)

// Figure names, stored in daily_figures and exported in the CSV. Stable.
const (
	AccountsNew     = "accounts_new"        // registrations completed that day
	AccountsDeleted = "accounts_deleted"    // accounts deleted that day
	DailyActive     = "daily_active"        // distinct accounts that signed in that day
	RequestsFiled   = "requests_filed"      // dim: request type (COR, ARC …)
	Funnel          = "registration_funnel" // dim: FunnelSteps key
	CodesSent       = "codes_sent"          // dim: channel; one-time codes created that day and sent
	CodesFailed     = "codes_failed"        // dim: channel; one-time codes given up on

	AccountsTotal   = "accounts_total"    // snapshot at the close of the day
	AccountsByState = "accounts_by_state" // snapshot; dim: state of the person's record
	Active30        = "active_30d"        // snapshot: accounts with a sign-in in the 30 days to the close

	Visits       = "visits"        // sessions that ended, by the day they began
	VisitSeconds = "visit_seconds" // their length: first to last request
	PageViews    = "page_views"    // dim: route; successful page loads of the people's site
)

// FunnelStep is one step of registration as the dashboard names it.
type FunnelStep struct {
	Key, Label string
}

// FunnelSteps are registration's steps in order. Keys are stored.
var FunnelSteps = []FunnelStep{
	{"1_identidad", "Envió NSS, CURP y RFC"},
	{"2_coincide", "Sus datos coincidieron"},
	{"3_nombre", "Confirmó su nombre"},
	{"4_contacto", "Dio correo y celular"},
	{"5_codigos", "Confirmó los códigos"},
	{"6_cuenta", "Creó su contraseña (cuenta activa)"},
}

// Row is one stored figure.
type Row struct {
	Day    portal.Date
	Figure string
	Dim    string
	Value  int64
}

// Store keeps and computes the daily figures.
type Store interface {
	// RollUpDay replaces day's derived figures with counts over [from, to).
	RollUpDay(ctx context.Context, day portal.Date, from, to time.Time) error
	// SnapshotDay records the close of day (at close): total accounts,
	// accounts by state and accounts active in the 30 days before close.
	SnapshotDay(ctx context.Context, day portal.Date, close time.Time) error
	// AddFigures adds counts (by dim) to a figure of a day.
	AddFigures(ctx context.Context, day portal.Date, figure string, counts map[string]int64) error
	// Figures returns every stored figure of the days from..to, in order.
	Figures(ctx context.Context, from, to portal.Date) ([]Row, error)
	// FirstActivity is when the audit log's oldest entry was written (zero
	// when empty), to know how far back a first roll-up goes.
	FirstActivity(ctx context.Context) (time.Time, error)
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
}

// DayBounds returns the instants a Mexico City day starts and ends.
func DayBounds(d portal.Date) (time.Time, time.Time) {
	from := time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, portal.MexicoCity)
	to := time.Date(d.Y, d.M, d.D+1, 0, 0, 0, 0, portal.MexicoCity)
	return from.UTC(), to.UTC()
}
