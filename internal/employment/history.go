package employment

import (
	"context"
	"slices"

	"micuenta/internal/portal"
)

// Job is a relation with its employer, as the history page shows it.
type Job struct {
	Relation
	RegistroPatronal string
	RazonSocial      string
}

// Gap is a stretch without any employment between two jobs.
type Gap struct {
	From, To portal.Date // both inclusive
	Days     int
}

// Store reads employment histories.
type Store interface {
	// JobsOf returns a person's relations with their employers.
	JobsOf(ctx context.Context, personID int64) ([]Job, error)
}

// SortJobs puts current jobs first, then the rest by start date, newest
// first — the order the history page shows.
func SortJobs(js []Job) {
	slices.SortStableFunc(js, func(a, b Job) int {
		if a.Current() != b.Current() {
			if a.Current() {
				return -1
			}
			return 1
		}
		switch {
		case b.Start.Before(a.Start):
			return -1
		case a.Start.Before(b.Start):
			return 1
		}
		return 0
	})
}

// Gaps returns the stretches between the first job's start and today (or
// the last job's end) covered by no job, oldest first. Overlapping and
// back-to-back jobs leave no gap.
func Gaps(js []Job, today portal.Date) []Gap {
	if len(js) == 0 {
		return nil
	}
	spans := make([][2]portal.Date, 0, len(js))
	for _, j := range js {
		end := j.End
		if j.Current() {
			end = today
		}
		spans = append(spans, [2]portal.Date{j.Start, end})
	}
	slices.SortFunc(spans, func(a, b [2]portal.Date) int {
		switch {
		case a[0].Before(b[0]):
			return -1
		case b[0].Before(a[0]):
			return 1
		}
		return 0
	})
	var gaps []Gap
	covered := spans[0][1]
	for _, s := range spans[1:] {
		if next := covered.AddDays(1); next.Before(s[0]) {
			to := s[0].AddDays(-1)
			gaps = append(gaps, Gap{From: next, To: to, Days: daysBetween(next, to) + 1})
		}
		if covered.Before(s[1]) {
			covered = s[1]
		}
	}
	return gaps
}

func daysBetween(a, b portal.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }
