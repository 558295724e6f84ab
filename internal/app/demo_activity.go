package app

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/audit"
	"micuenta/internal/portal"
)

// Demo activity: the shape of the real portal's use, scaled to the demo's
// population, so the operations dashboard has months of figures to show.
const (
	demoAccountShare   = 0.45 // of the seeded people (the real portal: ~9 of ~20 million active workers)
	demoHistoryMonths  = 24   // accounts created over the last two years, more of them lately
	demoActivityDays   = 90   // sign-ins and visits of the last 90 days
	demoDailyActive    = 0.03 // share of accounts that sign in on a weekday
	demoVisitMedianSec = 400  // the real portal's average visit is 6 min 54 s
)

// CreateDemoActivity gives a share of the seeded people an account created
// at some point in the last two years, and replays the last 90 days of
// sign-ups (through each registration step, with the drop-offs), sign-ins
// and visits into the audit log and the sessions, as they would have been
// written. Only for serve --demo: every account gets the same unusable
// password hash, nobody can sign in with them. Deterministic: the same
// population gives the same history. It returns how many accounts it made.
func (a *App) CreateDemoActivity(ctx context.Context) (int, error) {
	people, err := a.DB.MaxPersonID(ctx)
	if err != nil {
		return 0, err
	}
	hash, err := a.Hasher.Hash(ctx, fmt.Sprintf("demo-%d", time.Now().UnixNano()))
	if err != nil {
		return 0, err
	}
	now := a.clock.Now().UTC()
	rng := rand.New(rand.NewPCG(7, uint64(people)))
	var accounts []*account.Account
	err = a.DB.InTx(ctx, func(ctx context.Context) error {
		// People 1–50 stay without an account: serve --demo offers one of
		// them to try /registro.
		for id := int64(51); id <= people; id++ {
			if rng.Float64() >= demoAccountShare {
				continue
			}
			if _, err := a.DB.FindAccountByPerson(ctx, id); err == nil {
				continue // the demo account's person
			}
			// Growth: the density of creation rises towards today.
			ago := time.Duration(math.Pow(rng.Float64(), 1.6) * float64(demoHistoryMonths) * 30.4 * 24 * float64(time.Hour))
			created := now.Add(-ago)
			acc := &account.Account{PersonID: id, Email: fmt.Sprintf("persona%d@demo.example", id), Mobile: fmt.Sprintf("55%08d", id),
				PasswordHash: hash, TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion,
				AcceptedAt: created, CreatedAt: created}
			if err := a.DB.CreateAccount(ctx, acc); err != nil {
				return err
			}
			accounts = append(accounts, acc)
			if ago <= demoActivityDays*24*time.Hour {
				if err := a.demoRegistration(ctx, rng, acc); err != nil {
					return err
				}
			}
		}
		return a.demoSignIns(ctx, rng, accounts, now)
	})
	if err != nil {
		return 0, fmt.Errorf("demo activity: %w", err)
	}
	// The demo's visits ended long ago: count them as the housekeeping
	// pass would have.
	if _, err := a.DB.PurgeExpiredSessions(ctx, now); err != nil {
		return 0, err
	}
	return len(accounts), nil
}

// demoRegistration writes the registration steps that led to acc, and
// for some of them an earlier attempt that stopped half-way, as real
// funnels do.
func (a *App) demoRegistration(ctx context.Context, rng *rand.Rand, acc *account.Account) error {
	at := acc.CreatedAt.Add(-8 * time.Minute)
	rec := func(action string, accountID int64, detail string) error {
		at = at.Add(time.Duration(30+rng.IntN(90)) * time.Second)
		return a.DB.AppendAudit(ctx, audit.Entry{At: at, Action: action, PersonID: acc.PersonID, AccountID: accountID, IP: demoIP(rng), Detail: detail})
	}
	if rng.Float64() < 0.35 { // a first try with a typo in the CURP or RFC
		if err := a.DB.AppendAudit(ctx, audit.Entry{At: at.Add(-time.Minute), Action: audit.RegistrationFailed, IP: demoIP(rng), Detail: "registro: no coinciden"}); err != nil {
			return err
		}
	}
	for _, action := range []string{audit.RegistrationMatched, audit.RegistrationNamed, audit.RegistrationContact, audit.RegistrationVerified} {
		if err := rec(action, 0, ""); err != nil {
			return err
		}
	}
	if err := rec(audit.RegistrationCompleted, acc.ID, ""); err != nil {
		return err
	}
	// Someone without an account (the first 50 people never get one) got
	// as far as a step and left.
	steps := []string{audit.RegistrationMatched, audit.RegistrationNamed, audit.RegistrationContact, audit.RegistrationVerified}
	stop := rng.IntN(len(steps) + 2)
	for i := 0; i < stop && i < len(steps); i++ {
		if err := a.DB.AppendAudit(ctx, audit.Entry{At: acc.CreatedAt.Add(time.Duration(i+1) * time.Hour), Action: steps[i], PersonID: 1 + rng.Int64N(50), IP: demoIP(rng)}); err != nil {
			return err
		}
	}
	return nil
}

// demoSignIns replays the last days' sign-ins — fewer at weekends — each
// with a session as long as a visit, already over.
func (a *App) demoSignIns(ctx context.Context, rng *rand.Rand, accounts []*account.Account, now time.Time) error {
	today := portal.DateOf(now)
	for back := demoActivityDays; back >= 1; back-- {
		d := today.AddDays(-back)
		dayStart := time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, portal.MexicoCity)
		share := demoDailyActive
		if wd := dayStart.Weekday(); wd == time.Saturday || wd == time.Sunday {
			share /= 3
		}
		for _, acc := range accounts {
			if !acc.CreatedAt.Before(dayStart) || rng.Float64() >= share {
				continue
			}
			// Mostly in office hours, Mexico City.
			start := dayStart.Add(time.Duration(7*3600+rng.IntN(15*3600)) * time.Second).UTC()
			length := time.Duration(float64(demoVisitMedianSec)*math.Exp(rng.NormFloat64()*0.6)) * time.Second
			ip := demoIP(rng)
			if err := a.DB.AppendAudit(ctx, audit.Entry{At: start, Action: audit.SignInSucceeded, AccountID: acc.ID, PersonID: acc.PersonID, IP: ip}); err != nil {
				return err
			}
			if err := a.DB.CreateSession(ctx, &account.Session{TokenHash: account.TokenHash(account.NewToken()), AccountID: acc.ID, IP: ip,
				CreatedAt: start, LastSeenAt: start.Add(length), ExpiresAt: start.Add(length + account.IdleTimeout)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoIP is an address from the documentation ranges.
func demoIP(rng *rand.Rand) string { return fmt.Sprintf("198.51.100.%d", 1+rng.IntN(250)) }
