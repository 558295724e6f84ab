package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"micuenta/internal/account"
	"micuenta/internal/admin"
	"micuenta/internal/operator"
	"micuenta/internal/person"
)

// DemoEmail is the demo account's address.
const DemoEmail = "demo@micuenta.example"

// CreateDemoAccount gives a seeded person with savings and a live credit
// an account, so a newcomer sees a full borrower's portal at once. The
// password is new each run and meets the password rules.
func (a *App) CreateDemoAccount(ctx context.Context) (email, password string, err error) {
	personID, err := a.DB.DemoPersonID(ctx)
	if err != nil {
		return "", "", fmt.Errorf("demo account: %w", err)
	}
	n, err := rand.Int(rand.Reader, big.NewInt(9000))
	if err != nil {
		return "", "", err
	}
	password = fmt.Sprintf("Pozole-%04d!", 1000+n.Int64())
	hash, err := a.Hasher.Hash(ctx, password)
	if err != nil {
		return "", "", err
	}
	now := a.clock.Now().UTC()
	acc := &account.Account{PersonID: personID, Email: DemoEmail, Mobile: "5500000001", PasswordHash: hash,
		TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: now}
	if err := a.DB.CreateAccount(ctx, acc); err != nil {
		return "", "", fmt.Errorf("demo account: %w", err)
	}
	return DemoEmail, password, nil
}

// DemoRegistrant is a seeded person without an account, whose identifiers
// serve --demo prints so a visitor can try registering.
func (a *App) DemoRegistrant(ctx context.Context) (*person.Person, error) {
	for id := int64(1); id <= 50; id++ {
		if _, err := a.DB.FindAccountByPerson(ctx, id); err == nil {
			continue
		}
		p, err := a.DB.FindPersonByID(ctx, id)
		if err == nil && p.PensionStatus == "" {
			return p, nil
		}
	}
	return nil, fmt.Errorf("demo: no person without an account")
}

// DemoOperatorEmail is the demo back office's supervisor.
const DemoOperatorEmail = "supervisora@fondo.example"

// CreateDemoOperator adds a national supervisor to the demo's back office,
// with a new password each run; the second factor is enrolled at the
// first sign-in, as for anyone.
func (a *App) CreateDemoOperator(ctx context.Context) (email, password string, err error) {
	password = admin.TemporaryPassword()
	_, err = a.Operators.Create(ctx, operator.New{Email: DemoOperatorEmail, Name: "Supervisora de demostración",
		Role: operator.Supervisor, Password: password}, nil, "")
	if err != nil {
		return "", "", fmt.Errorf("demo operator: %w", err)
	}
	return DemoOperatorEmail, password, nil
}
