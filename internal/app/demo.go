package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"codeberg.org/go-pdf/fpdf"

	"micuenta/internal/account"
	"micuenta/internal/operator"
	"micuenta/internal/person"
	"micuenta/internal/request"
	"micuenta/internal/upload"
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
	password = operator.TemporaryPassword()
	_, err = a.Operators.Create(ctx, operator.New{Email: DemoOperatorEmail, Name: "Supervisora de demostración",
		Role: operator.Supervisor, Password: password}, nil, "")
	if err != nil {
		return "", "", fmt.Errorf("demo operator: %w", err)
	}
	return DemoOperatorEmail, password, nil
}

// CreateDemoRequests files a few data corrections for seeded people, each
// with a small PDF, so the demo's back office has a queue to work.
func (a *App) CreateDemoRequests(ctx context.Context) (int, error) {
	n := 0
	for id := int64(2); id <= 60 && n < 3; id++ {
		p, err := a.DB.FindPersonByID(ctx, id)
		if err != nil || p.PensionStatus != "" {
			continue
		}
		rfc := p.RFC.String()
		data, errs := request.ParseCorrection(request.FieldRFC, rfc[:10]+"XY"+rfc[12:], "Actualicé mi RFC en el SAT.")
		if len(errs) > 0 {
			continue
		}
		doc, err := upload.Check(bytes.NewReader(demoPDF("Constancia de situación fiscal de " + p.FullName() + " (demostración)")))
		if err != nil {
			return n, fmt.Errorf("demo requests: %w", err)
		}
		if _, err := a.Requests.File(ctx, request.Correccion, p.ID, data, []request.Upload{{Doc: doc, FileName: "constancia-sat.pdf"}}); err != nil {
			return n, fmt.Errorf("demo requests: %w", err)
		}
		n++
	}
	return n, nil
}

// demoPDF is a one-page PDF with a line of text.
func demoPDF(line string) []byte {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddPage()
	doc.SetFont("Helvetica", "", 12)
	tr := doc.UnicodeTranslatorFromDescriptor("")
	doc.Cell(0, 10, tr(line))
	var buf bytes.Buffer
	_ = doc.Output(&buf)
	return buf.Bytes()
}
