package origination

import (
	"testing"

	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
)

// 24 November 2026: the previous bimester is the 5th (September–October),
// reported up to 31 October.
var today = portal.NewDate(2026, 11, 24)

func job(employer int64, start, end portal.Date, salary portal.Money) employment.Job {
	return employment.Job{Relation: employment.Relation{EmployerID: employer, Start: start, End: end, DailySalary: salary},
		RazonSocial: "PATRON " + string(rune('A'+employer))}
}

// paid lists the bimesters from first to last (inclusive) as paid by an
// employer.
func paid(employer int64, first, last portal.Bimestre) []PaidBimester {
	var out []PaidBimester
	for b := first; !last.Before(b); b = b.Next() {
		out = append(out, PaidBimester{Bimestre: b, EmployerID: employer})
	}
	return out
}

func bim(y, n int) portal.Bimestre { return portal.Bimestre{Year: y, N: n} }

var none portal.Date

func TestApplicantFrom(t *testing.T) {
	woman := &person.Person{ID: 1, BirthDate: portal.NewDate(1990, 3, 10), Sex: "M"}
	balances := []savings.BucketBalance{{Bucket: savings.BucketViv97, Balance: 100_000_00}, {Bucket: savings.BucketViv92, Balance: 20_000_00}}
	cases := []struct {
		name string
		r    Records
		want prequal.Applicant
		// the job whose salary counts: its employer, 0 for none
		employer int64
	}{
		{"a current job paid without a gap since January 2020",
			Records{Person: woman, Jobs: []employment.Job{job(7, portal.NewDate(2020, 1, 6), none, 500_00)}, Buckets: balances,
				Paid: paid(7, bim(2020, 1), bim(2026, 5))},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 500_00, Balance: 120_000_00, ContinuousBimesters: 41,
				Employed: true, EmployerPaying: true}, 7},
		{"two current jobs: the better paid counts, the other employer's payment counts too",
			Records{Person: woman, Jobs: []employment.Job{job(1, portal.NewDate(2019, 5, 1), none, 400_00), job(2, portal.NewDate(2025, 3, 1), none, 600_00)},
				Paid: paid(1, bim(2025, 1), bim(2026, 5))},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 600_00, ContinuousBimesters: 11, Employed: true, EmployerPaying: true}, 2},
		{"a job begun this bimester is not reported yet",
			Records{Person: woman, Jobs: []employment.Job{job(3, portal.NewDate(2026, 11, 2), none, 350_00), job(1, portal.NewDate(2018, 1, 1), portal.NewDate(2026, 6, 30), 300_00)},
				Paid: paid(1, bim(2018, 1), bim(2026, 3))},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 350_00}, 3},
		{"no current job: the salary of the job that ended last",
			Records{Person: woman, Jobs: []employment.Job{job(1, portal.NewDate(2015, 1, 1), portal.NewDate(2022, 1, 31), 300_00), job(2, portal.NewDate(2022, 3, 1), portal.NewDate(2024, 6, 30), 450_00)},
				Paid: paid(2, bim(2022, 2), bim(2024, 3))},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 450_00}, 2},
		{"a job that ended this bimester is no longer current, though it was paid",
			Records{Person: woman, Jobs: []employment.Job{job(4, portal.NewDate(2021, 1, 1), portal.NewDate(2026, 11, 10), 500_00)},
				Paid: paid(4, bim(2021, 1), bim(2026, 5))},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 500_00, ContinuousBimesters: 35}, 4},
		{"a gap in the contributions restarts the count",
			Records{Person: woman, Jobs: []employment.Job{job(5, portal.NewDate(2023, 1, 1), none, 500_00)},
				Paid: append(paid(5, bim(2023, 1), bim(2026, 2)), paid(5, bim(2026, 4), bim(2026, 5))...)},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 500_00, ContinuousBimesters: 2, Employed: true, EmployerPaying: true}, 5},
		{"the employer has not paid the previous bimester",
			Records{Person: woman, Jobs: []employment.Job{job(5, portal.NewDate(2023, 1, 1), none, 500_00)}, Paid: paid(5, bim(2023, 1), bim(2026, 4))},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 500_00, Employed: true}, 5},
		{"two employers paying the same bimesters count once; a former employer's payment is not the current one's",
			Records{Person: woman, Jobs: []employment.Job{job(1, portal.NewDate(2020, 1, 1), portal.NewDate(2026, 10, 15), 300_00), job(2, portal.NewDate(2026, 10, 16), none, 320_00)},
				Paid: append(paid(1, bim(2025, 1), bim(2026, 5)), paid(2, bim(2026, 5), bim(2026, 5))...)},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", DailySalary: 320_00, ContinuousBimesters: 11, Employed: true, EmployerPaying: true}, 2},
		{"a live credit",
			Records{Person: woman, Credits: []credit.Credit{{Number: "2612345678", State: credit.StateLiquidado}, {Number: "1500000001", State: credit.StateEnProrroga}}},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", ActiveCredit: true}, 0},
		{"a paid-off credit is not active",
			Records{Person: woman, Credits: []credit.Credit{{Number: "2612345678", State: credit.StateLiquidado}}},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M"}, 0},
		{"an application in course counts as a credit in process",
			Records{Person: woman, InCourse: &request.Request{Folio: "SCR-2026-000001-X", State: request.EnRevision}},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "M", ActiveCredit: true}, 0},
		{"a pension in process; a pension granted is not in process",
			Records{Person: &person.Person{BirthDate: woman.BirthDate, Sex: "H", PensionStatus: person.PensionEnTramite}},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "H", PensionInProcess: true}, 0},
		{"no records but the registry",
			Records{Person: &person.Person{BirthDate: woman.BirthDate, Sex: "X", PensionStatus: person.Pensionado}},
			prequal.Applicant{BirthDate: woman.BirthDate, Sex: "X"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := ApplicantFrom(c.r, today)
			if st.Applicant != c.want {
				t.Errorf("applicant\n got %+v\nwant %+v", st.Applicant, c.want)
			}
			if st.Through != bim(2026, 5) {
				t.Errorf("through %v, want 2026-5", st.Through)
			}
			var employer int64
			if st.Job != nil {
				employer = st.Job.EmployerID
			}
			if employer != c.employer {
				t.Errorf("the job that counts is employer %d's, want %d's", employer, c.employer)
			}
			if (st.Credit != nil) != (c.r.Credits != nil && c.want.ActiveCredit) {
				t.Errorf("live credit %v", st.Credit)
			}
		})
	}
}

// On the first day of a bimester the one looked at is the one just
// ended; a job begun on its last day counts.
func TestApplicantFromBimesterEdges(t *testing.T) {
	p := &person.Person{BirthDate: portal.NewDate(1985, 1, 1), Sex: "H"}
	r := Records{Person: p, Jobs: []employment.Job{job(1, portal.NewDate(2026, 10, 31), none, 400_00)}, Paid: paid(1, bim(2026, 5), bim(2026, 5))}
	st := ApplicantFrom(r, portal.NewDate(2026, 11, 1))
	if !st.Applicant.Employed || !st.Applicant.EmployerPaying || st.Applicant.ContinuousBimesters != 1 {
		t.Errorf("1 November: %+v", st.Applicant)
	}
	// On 31 October the previous bimester is the 4th: the job had not begun.
	st = ApplicantFrom(r, portal.NewDate(2026, 10, 31))
	if st.Applicant.Employed || st.Through != bim(2026, 4) || st.Applicant.ContinuousBimesters != 0 {
		t.Errorf("31 October: %+v through %v", st.Applicant, st.Through)
	}
	// January looks at the last bimester of the year before.
	r.Paid = paid(1, bim(2026, 5), bim(2026, 6))
	st = ApplicantFrom(r, portal.NewDate(2027, 1, 15))
	if !st.Applicant.EmployerPaying || st.Applicant.ContinuousBimesters != 2 || st.Through != bim(2026, 6) {
		t.Errorf("January: %+v through %v", st.Applicant, st.Through)
	}
}
