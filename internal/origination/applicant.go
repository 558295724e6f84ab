package origination

import (
	"context"

	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
)

// Records are what the fund holds of a person that pre-qualification
// reads.
type Records struct {
	Person  *person.Person
	Jobs    []employment.Job
	Buckets []savings.BucketBalance
	Paid    []PaidBimester
	Credits []credit.Credit
	// InCourse is the person's credit application still open (received,
	// in review or waiting for them), nil when none.
	InCourse *request.Request
}

// Standing is the records read as pre-qualification reads them: the
// applicant, and what the page says it came from.
type Standing struct {
	Applicant prequal.Applicant
	// Job is the job whose salary counts: the current one (the best paid
	// when there are several), else the one that ended last; nil without
	// any job on record.
	Job *employment.Job
	// Through is the bimester pre-qualification looks at: the one before
	// today's. Continuity counts back from it.
	Through portal.Bimestre
	Balance portal.Money
	// Credit is a live credit of the person, nil when none.
	Credit *credit.Credit
}

// ApplicantFrom reads a person's records as pre-qualification does on
// day today (domain.md §4.1, §4.2):
//
//   - age and sex from the registry (BirthDate, Sex);
//   - employed: a relation with no end that began by the last day of the
//     previous bimester — the one the fund's files report; a job begun
//     this bimester is not reported yet, one that has ended is not
//     current;
//   - the daily salary of that job (the best paid of several), or, with
//     no current job, of the job that ended last;
//   - the employer paying: a contribution from a current employer for the
//     previous bimester;
//   - continuous bimesters: bimesters with contributions (from any
//     employer) without a gap back from the previous one;
//   - the balance: every bucket of the subaccount;
//   - an active credit: a live credit (vigente or en prórroga) or a
//     credit application in course;
//   - a pension in process: the registry's pension status.
func ApplicantFrom(r Records, today portal.Date) Standing {
	through := prequal.PreviousBimestre(today)
	st := Standing{Through: through}
	if r.Person != nil {
		st.Applicant.BirthDate, st.Applicant.Sex = r.Person.BirthDate, r.Person.Sex
		st.Applicant.PensionInProcess = r.Person.PensionStatus == person.PensionEnTramite
	}
	reported := through.Last()
	current := map[int64]bool{} // the employers of the current jobs
	for i := range r.Jobs {
		j := &r.Jobs[i]
		if !j.Current() || reported.Before(j.Start) {
			continue
		}
		current[j.EmployerID] = true
		if st.Job == nil || j.DailySalary > st.Job.DailySalary || j.DailySalary == st.Job.DailySalary && st.Job.Start.Before(j.Start) {
			st.Job = j
		}
	}
	st.Applicant.Employed = st.Job != nil
	if st.Job == nil {
		// The salary of the job that ended last. A current job begun this
		// bimester counts as the newest.
		var latest portal.Date
		for i := range r.Jobs {
			j := &r.Jobs[i]
			end := j.End
			if j.Current() {
				end = portal.NewDate(9999, 12, 31)
			}
			if st.Job == nil || latest.Before(end) {
				st.Job, latest = j, end
			}
		}
	}
	if st.Job != nil {
		st.Applicant.DailySalary = st.Job.DailySalary
	}
	paid := make([]portal.Bimestre, 0, len(r.Paid))
	for _, p := range r.Paid {
		paid = append(paid, p.Bimestre)
		if p.Bimestre == through && current[p.EmployerID] {
			st.Applicant.EmployerPaying = true
		}
	}
	st.Applicant.ContinuousBimesters = prequal.ContinuousBimesters(paid, through)
	for _, b := range r.Buckets {
		st.Balance += b.Balance
	}
	st.Applicant.Balance = st.Balance
	for i := range r.Credits {
		if r.Credits[i].Live() {
			st.Credit = &r.Credits[i]
			break
		}
	}
	st.Applicant.ActiveCredit = st.Credit != nil || r.InCourse != nil
	return st
}

// open reports whether a request is still in course (not resolved).
func open(q *request.Request) bool {
	return q.State == request.Recibida || q.State == request.EnRevision || q.State == request.RequiereInfo
}

// records reads what pre-qualification needs of a person.
func (s *Service) records(ctx context.Context, personID int64) (Records, error) {
	var r Records
	var err error
	if r.Person, err = s.store.FindPersonByID(ctx, personID); err != nil {
		return r, err
	}
	if r.Jobs, err = s.store.JobsOf(ctx, personID); err != nil {
		return r, err
	}
	if r.Buckets, _, err = s.store.SavingsBalances(ctx, personID); err != nil {
		return r, err
	}
	if r.Paid, err = s.store.PaidBimesters(ctx, personID); err != nil {
		return r, err
	}
	if r.Credits, err = s.store.CreditsOf(ctx, personID); err != nil {
		return r, err
	}
	r.InCourse, err = s.inCourse(ctx, personID)
	return r, err
}

// inCourse returns the person's credit application still open.
func (s *Service) inCourse(ctx context.Context, personID int64) (*request.Request, error) {
	rs, err := s.requests.Mine(ctx, personID)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if rs[i].Kind == request.SolicitudCredito.Prefix && open(&rs[i]) {
			return &rs[i], nil
		}
	}
	return nil, nil
}
