package batch

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"micuenta/internal/portal"
)

// Sorting in pieces ends in the order of one whole sort, and hands out
// growing prefixes, the last being the whole run.
func TestSortInPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 15, 16, 17, 1000, 20_000} {
		for _, spread := range []int64{1, 3, 100, 1 << 40} {
			ps := make([]Posting, n)
			for i := range ps {
				ps[i] = Posting{PersonID: 1 + rng.Int64N(spread), EmployerID: 1 + rng.Int64N(3),
					Bimestre: portal.Bimestre{Year: 2026, N: 5 + rng.IntN(2)}, line: i + 2}
			}
			want := slices.Clone(ps)
			sortPostings(want)
			var prefixes []int
			if err := sortInPieces(ps, func(to int) error { prefixes = append(prefixes, to); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ps, want) {
				t.Fatalf("n %d, spread %d: not the order of one sort", n, spread)
			}
			if !slices.IsSorted(prefixes) || len(prefixes) == 0 || len(prefixes) > sortBuckets || prefixes[len(prefixes)-1] != n ||
				slices.Contains(prefixes, 0) || len(slices.Compact(slices.Clone(prefixes))) != len(prefixes) {
				t.Fatalf("n %d, spread %d: prefixes %v", n, spread, prefixes)
			}
		}
	}
}

type countOnly struct {
	ContributionStore
	people int64
}

func (c countOnly) PeopleCount(context.Context) (int64, error) { return c.people, nil }

// The directory is loaded when the registry is at most twice the file's
// lines, estimated from the size when it is known.
func TestWantDirectory(t *testing.T) {
	cases := []struct {
		people, size int64
		lines        int
		bytes        int64
		want         bool
	}{
		{200_000, 10_000_000, 1_000, 100_000, true}, // 100,000 lines expected
		{200_001, 10_000_000, 1_000, 100_000, false},
		{2_000, 0, 1_000, 100_000, true}, // standard input: the lines so far
		{2_001, 0, 1_000, 100_000, false},
		{directoryMaxPeople + 1, 1 << 40, 1_000, 100_000, false},
	}
	for _, c := range cases {
		f := finder{im: &ContributionImport{Store: countOnly{people: c.people}, Size: c.size}}
		got, err := f.wantDirectory(context.Background(), parsedChunk{lines: c.lines, bytes: c.bytes})
		if err != nil || got != c.want {
			t.Errorf("%+v: %v %v", c, got, err)
		}
	}
}
