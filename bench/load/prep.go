package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/app"
	"micuenta/internal/config"
	"micuenta/internal/portal"
)

// password is every load account's password: it meets the rules, and one
// argon2id hash (production settings) serves them all, so preparing
// thousands of accounts takes seconds. Each account still checks it at
// full cost on every sign-in.
const password = "Pozole-Carga-2026!"

// user is a person with an account the scripts sign in as, and the
// device token of a browser they have already proved.
type user struct {
	personID int64
	email    string
	mobile   string
	device   string
	borrower bool // has a credit, so the credit pages are theirs to see
}

// registrant is a person without an account, with the identifiers they
// type to register.
type registrant struct {
	personID       int64
	nss, curp, rfc string
	givenName      string
	email, mobile  string
}

// dataset is what the scripts draw on.
type dataset struct {
	people      int
	users       []user
	registrants []registrant
}

// prepare gives n people an account each (if they have none
// from an earlier run) and a freshly proved device, and picks people
// without an account to register during the run. It opens the database
// the way `micuenta` does, with the dataset's keys, and closes it before
// the servers start.
func prepare(ctx context.Context, dsn string, n, registrants int, seed uint64) (*dataset, error) {
	cfg := config.Config{DB: dsn, DataKey: os.Getenv("MICUENTA_DATA_KEY"), LookupKey: os.Getenv("MICUENTA_LOOKUP_KEY"),
		LogFormat: "text", LogLevel: "error"}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		return nil, fmt.Errorf("open the dataset (are MICUENTA_DATA_KEY and MICUENTA_LOOKUP_KEY the ones `micuenta seed` used?): %w", err)
	}
	defer a.Close()
	people, err := a.DB.CountPeople(ctx)
	if err != nil {
		return nil, err
	}
	if people < n+registrants {
		return nil, fmt.Errorf("the dataset has %d people; --users %d and --registrants %d need at least %d: seed more with `micuenta seed --people N`", people, n, registrants, n+registrants)
	}
	hash, err := a.Hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	ds := &dataset{people: people}
	now := time.Now().UTC()
	// Users are spread evenly over the registry, so their records lie
	// all through the tables and indexes as real visitors' do, not in the
	// first pages of each.
	stride := int64(people / n)
	for k := int64(0); k < int64(n); k++ {
		id := 1 + k*stride
		u := user{personID: id, email: fmt.Sprintf("carga%d@correo.example", id), mobile: fmt.Sprintf("55%08d", id)}
		acc, err := a.DB.FindAccountByPerson(ctx, id)
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			acc = &account.Account{PersonID: id, Email: u.email, Mobile: u.mobile, PasswordHash: hash,
				TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: now}
			err = a.DB.CreateAccount(ctx, acc)
		}
		if err != nil {
			return nil, fmt.Errorf("account for person %d: %w", id, err)
		}
		if acc.Email != u.email {
			// The person registered on their own during an earlier run.
			continue
		}
		credits, err := a.DB.CreditsOf(ctx, id)
		if err != nil {
			return nil, err
		}
		u.borrower = len(credits) > 0
		u.device = account.NewToken()
		if err := a.DB.CreateDevice(ctx, &account.Device{AccountID: acc.ID, TokenHash: account.TokenHash(u.device), CreatedAt: now, LastSeenAt: now}); err != nil {
			return nil, err
		}
		ds.users = append(ds.users, u)
	}
	// Registrants come from a random stretch of the rest, so runs after
	// the first still find people who have not registered.
	rng := rand.New(rand.NewPCG(seed, uint64(now.UnixNano())))
	first := int64(n) + 1 + rng.Int64N(int64(max(1, people-n-registrants)))
	for id := first; len(ds.registrants) < registrants && id <= int64(people); id++ {
		if _, err := a.DB.FindAccountByPerson(ctx, id); err == nil {
			continue
		}
		p, err := a.DB.FindPersonByID(ctx, id)
		if err != nil || p.PensionStatus != "" {
			continue
		}
		ds.registrants = append(ds.registrants, registrant{personID: id, nss: p.NSS.String(), curp: p.CURP.String(), rfc: p.RFC.String(),
			givenName: p.GivenNames, email: fmt.Sprintf("registro%d@correo.example", id), mobile: fmt.Sprintf("56%08d", id)})
	}
	return ds, nil
}
