package batch_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"micuenta/internal/batch"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/store"
	"micuenta/internal/testutil/idgen"
)

func runRecords(t *testing.T, db *store.DB, kind, file string) (batch.Summary, string) {
	t.Helper()
	var rep bytes.Buffer
	r, _ := batch.NewReport(&rep)
	im := &batch.RecordImport{Store: db, Today: portal.NewDate(2026, 12, 2), Report: r}
	sum, err := im.Run(context.Background(), kind, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != sum.Posted+sum.Duplicates+sum.Rejected {
		t.Fatalf("counts do not add up: %+v", sum)
	}
	return sum, rep.String()
}

func TestImportPeopleAndEmployment(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db, _ := seeded(t, engine)
			birth := time.Date(1990, 7, 4, 0, 0, 0, 0, time.UTC)
			nss, curp, rfc := idgen.For(ident.Name{Given: "JOSE LUIS", First: "MUÑOZ", Second: "PEÑA"}, birth, "H", "JC", "0417900123")
			nss2, curp2, rfc2 := idgen.For(ident.Name{Given: "ANA", First: "SOTO", Second: "RUIZ"}, birth, "M", "NL", "0417600124") // NSS says born 1976
			old, _ := db.FindPersonByID(ctx, 5)
			people := strings.Join(batch.PeopleHeader, ",") + "\n" +
				fmt.Sprintf("%s,%s,%s,José Luis,Muñoz,Peña,1990-07-04,H,JC,\n", nss, curp, rfc) + // 2: new
				fmt.Sprintf("%s,%s,%s,x,y,z,%s,%s,%s,\n", old.NSS, old.CURP, old.RFC, old.BirthDate, old.Sex, old.State) + // 3: already there
				fmt.Sprintf("%s,%s,%s,José Luis,Muñoz,Peña,1990-07-05,H,JC,\n", nss, curp, rfc) + // 4: date ≠ CURP
				fmt.Sprintf("%s,%s,%s,Ana,Soto,Ruiz,1990-07-04,M,NL,pensionado\n", nss2, curp2, rfc2) + // 5: new, flagged
				fmt.Sprintf("%s,%s,%s,Ana,Soto,Ruiz,1990-07-04,M,NL,jubilada\n", nss2, curp2, rfc2) // 6: bad pension
			sum, report := runRecords(t, db, "people", people)
			if want := (batch.Summary{Read: 5, Posted: 2, Duplicates: 1, Rejected: 2, Warnings: 1}); sum != want {
				t.Fatalf("people: %+v\n%s", sum, report)
			}
			for _, w := range []string{"4,rechazada,La fecha de nacimiento no coincide con la de la CURP", "5,advertencia,El año de nacimiento del NSS", "6,rechazada,La pensión"} {
				if !strings.Contains(report, w) {
					t.Errorf("report lacks %q:\n%s", w, report)
				}
			}
			p, err := db.FindPersonByNSS(ctx, mustNSS(t, nss))
			if err != nil || p.GivenNames != "JOSÉ LUIS" || p.FirstSurname != "MUÑOZ" {
				t.Fatalf("new person: %+v %v", p, err)
			}
			if sum, _ := runRecords(t, db, "people", people); sum.Posted != 0 || sum.Duplicates != 3 {
				t.Fatalf("people again: %+v", sum)
			}

			// Employment: an alta for the new person, a baja for a known
			// relation, the same known relation unchanged, nobody, bad dates.
			jobs, _ := db.JobsOf(ctx, 5)
			employment.SortJobs(jobs)
			j := jobs[0]
			end := ""
			if !j.Current() {
				end = j.End.String()
			}
			file := strings.Join(batch.EmploymentHeader, ",") + "\n" +
				fmt.Sprintf("%s,Q1234567890,\"LA ESPERANZA, S.C.\",2026-06-01,,480.00\n", nss) + // 2: new
				fmt.Sprintf("%s,%s,X,%s,%s,%s\n", old.NSS, j.RegistroPatronal, j.Start, end, j.DailySalary.Decimal()) + // 3: unchanged
				fmt.Sprintf("%s,%s,X,%s,2026-11-30,%s\n", old.NSS, j.RegistroPatronal, j.Start, j.DailySalary.Decimal()) + // 4: baja
				fmt.Sprintf("%s,Q1234567890,X,2026-06-01,,480.00\n", stranger(t)) + // 5: nobody
				fmt.Sprintf("%s,Q1234567890,X,2026-06-01,2026-05-01,480.00\n", nss) // 6: ends before it starts
			if j.End == portal.NewDate(2026, 11, 30) {
				t.Skip("the seeded relation already ends on the test's date")
			}
			sum, report = runRecords(t, db, "employment", file)
			if want := (batch.Summary{Read: 5, Posted: 2, Duplicates: 1, Rejected: 2}); sum != want {
				t.Fatalf("employment: %+v\n%s", sum, report)
			}
			after, _ := db.JobsOf(ctx, 5)
			found := false
			for _, a := range after {
				found = found || a.EmployerID == j.EmployerID && a.Start == j.Start && a.End == portal.NewDate(2026, 11, 30)
			}
			if !found {
				t.Fatal("the baja did not end the relation")
			}
			if js, _ := db.JobsOf(ctx, p.ID); len(js) != 1 || !js[0].Current() || js[0].RazonSocial != "LA ESPERANZA, S.C." {
				t.Fatalf("new person's job: %+v", js)
			}
			if sum, _ := runRecords(t, db, "employment", file); sum.Posted != 0 || sum.Duplicates != 3 {
				t.Fatalf("employment again: %+v", sum)
			}
		})
	}
}

func mustNSS(t *testing.T, s string) ident.NSS {
	n, err := ident.ParseNSS(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func stranger(*testing.T) string {
	d, _ := ident.NSSCheckDigit("9999999999")
	return "9999999999" + string(d)
}
