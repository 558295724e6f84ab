package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/statement"
	"micuenta/internal/web"
)

// The documents issued with a folio and a QR code (issue 8), rendered to
// io.Discard: the constancia de intereses (one page: 9 figures, 12
// month-end balances, notes, QR), an aviso de retención and the carta de
// cancelación de hipoteca. Budget: a PDF certificate in under 10 ms.
//
//	go test ./bench/ -run '^$' -bench 'Constancia|Aviso|CartaCancelacion' -benchtime=300x -count 3
//
// BenchmarkConstanciaDownload is the whole second download through the
// site on SQLite: session, ledger, reference values, the figures, the
// issued document's lookup, drawing, hashing and the audit row.

var benchVerified = statement.Verified{Folio: "7K2Q-M9XA-RT8H-ZP3W-N6C1", Issued: time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC),
	VerifyURL: "https://micuenta.example/verificar/7K2Q-M9XA-RT8H-ZP3W-N6C1"}

func BenchmarkConstanciaPDF(b *testing.B) {
	c := benchCredit()
	moves := benchLedger(400) // March 2014 to 2027
	ic, err := credit.ComputeInterest(c, moves, 2025, credit.InterestRefs{INPC: 143_039_000, INPCPrev: 137_949_000, UDI: 8_340_909})
	if err != nil {
		b.Fatal(err)
	}
	if ic.Nominal == 0 {
		b.Fatal("no interest paid in 2025 in the bench ledger")
	}
	s := &statement.InterestStatement{Name: "María Fernanda Muñoz Peña", RFC: "MUPM800517AB1", CreditNumber: c.Number, InterestCertificate: ic,
		Uncertain: true, Sources: []string{"UDI al 31 de diciembre de 2024: Banxico; verificar"}, Verified: benchVerified}
	benchPDF(b, func(w io.Writer) error { return statement.WriteInterestStatement(w, s) })
}

func BenchmarkAvisoPDF(b *testing.B) {
	n := &statement.DiscountNotice{Kind: credit.AvisoRetencion, Name: "María Fernanda Muñoz Peña", NSS: "41800500014", CURP: "MUPM800517MDFXXX09",
		CreditNumber: "2500000001", EmployerName: "PANADERÍA LA ESPIGA, S.A. DE C.V.", EmployerRegistro: "B9876543210",
		DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: 4_320_90, Start: portal.NewDate(2024, 8, 16), Reason: "Cambio de patrón", Verified: benchVerified}
	benchPDF(b, func(w io.Writer) error { return statement.WriteDiscountNotice(w, n) })
}

func BenchmarkCartaCancelacionPDF(b *testing.B) {
	v := benchVerified
	v.ValidUntil = portal.NewDate(2027, 5, 31)
	l := &statement.CancellationLetter{Name: "María Fernanda Muñoz Peña", CreditNumber: "2500000001", Origination: portal.NewDate(2004, 3, 12),
		SettledOn: portal.NewDate(2025, 8, 14), Verified: v}
	benchPDF(b, func(w io.Writer) error { return statement.WriteCancellationLetter(w, l) })
}

func benchPDF(b *testing.B, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := write(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}

func BenchmarkConstanciaDownload(b *testing.B) {
	ctx := context.Background()
	a := seededApp(b, "sqlite", 300, account.HashParams{MemoryKiB: 8, Time: 1, Threads: 1})
	// Someone whose ledger covers 2025.
	var pid int64
	for id := int64(1); id <= 300 && pid == 0; id++ {
		cs, _ := a.DB.CreditsOf(ctx, id)
		if len(cs) == 0 || cs[0].State != credit.StateVigente {
			continue
		}
		moves, _ := a.DB.CreditMovements(ctx, cs[0].ID)
		if years, _ := credit.InterestYears(moves, portal.DateOf(time.Now())); len(years) > 0 && years[0] == 2025 {
			pid = id
		}
	}
	if pid == 0 {
		b.Fatal("no borrower with 2025 in the ledger")
	}
	hash, err := a.Hasher.Hash(ctx, "Pozole-2026!")
	if err != nil {
		b.Fatal(err)
	}
	acc := &account.Account{PersonID: pid, Email: "bench@correo.example", Mobile: "5512345678", PasswordHash: hash,
		TermsVersion: account.TermsVersion, PrivacyVersion: account.PrivacyVersion, AcceptedAt: time.Now()}
	if err := a.DB.CreateAccount(ctx, acc); err != nil {
		b.Fatal(err)
	}
	token := account.NewToken()
	if err := a.DB.CreateDevice(ctx, &account.Device{AccountID: acc.ID, TokenHash: account.TokenHash(token), CreatedAt: time.Now(), LastSeenAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	cookies := []*http.Cookie{{Name: web.DeviceCookie, Value: token}}
	req := httptest.NewRequest("POST", "/ingresar", bytes.NewBufferString(url.Values{"identificador": {acc.Email}, "contrasena": {"Pozole-2026!"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(cookies[0])
	rec := httptest.NewRecorder()
	a.Site.ServeHTTP(rec, req)
	cookies = append(cookies, rec.Result().Cookies()...)
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/mi-cuenta/credito/constancia-intereses/2025.pdf", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		a.Site.ServeHTTP(rec, req)
		return rec
	}
	if rec := get(); rec.Code != 200 {
		b.Fatalf("first download: %d %s", rec.Code, rec.Body.String())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if rec := get(); rec.Code != 200 {
			b.Fatal(fmt.Sprint(rec.Code))
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
}
