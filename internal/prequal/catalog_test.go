package prequal

import (
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
)

// validData is the smallest catalog NewCatalog accepts: one model of one
// block, one product with one rule and a flat rate.
func validData() Data {
	from := portal.NewDate(2025, time.August, 18)
	return Data{
		Models:     []ModelRow{{Code: "M", Name: "Modelo", ValidFrom: from}},
		Blocks:     []BlockRow{{Model: "M", Code: "edad", Label: "Edad", Factor: FactorEdad, MaxPoints: 10}},
		Bands:      []BandRow{{Model: "M", Block: "edad", LowerBound: 0, Points: 5}, {Model: "M", Block: "edad", LowerBound: 30, Points: 10}},
		Products:   []ProductRow{{Code: "p", Name: "Producto", Purpose: PurposeVivienda}},
		Thresholds: []ThresholdRow{{Model: "M", Product: "p", MinPoints: 8}},
		Rules: []RuleRow{{Product: "p", ValidFrom: from, CeilingUMAE6: 823 * Scale, MinTermYears: 1, MaxTermYears: 30, AgeTermMen: 70, AgeTermWomen: 75,
			LowSalarySME6: Scale, LowShareE6: 200_000, ShareE6: 300_000, RateBasis: RateBasisSalario, MinApplicants: 1, MaxApplicants: 1}},
		Rates: []RateRow{{Product: "p", ValidFrom: from, RateE6: 104_500}},
	}
}

// A table the code cannot use safely is refused with an error that names
// the row, so an operator's bad UPDATE shows up at load, not as a wrong
// figure on a page.
func TestNewCatalogRefusesBadTables(t *testing.T) {
	if _, err := NewCatalog(validData()); err != nil {
		t.Fatalf("valid data refused: %v", err)
	}
	for name, c := range map[string]struct {
		change func(*Data)
		want   string
	}{
		"unknown factor":         {func(d *Data) { d.Blocks[0].Factor = "estatura" }, `unknown factor "estatura"`},
		"first band not at 0":    {func(d *Data) { d.Bands = d.Bands[1:] }, "first band must start at 0"},
		"band above the maximum": {func(d *Data) { d.Bands[1].Points = 11 }, "outside 0..10"},
		"band of no block":       {func(d *Data) { d.Bands[0].Block = "salario" }, "no such block"},
		"model without blocks":   {func(d *Data) { d.Blocks, d.Bands = nil, nil }, "has no blocks"},
		"two models the same day": {func(d *Data) {
			d.Models = append(d.Models, ModelRow{Code: "N", Name: "Otro", ValidFrom: d.Models[0].ValidFrom})
			d.Blocks = append(d.Blocks, BlockRow{Model: "N", Code: "edad", Factor: FactorEdad})
			d.Bands = append(d.Bands, BandRow{Model: "N", Block: "edad"})
		}, "start the same day"},
		"threshold of no product": {func(d *Data) { d.Thresholds[0].Product = "q" }, "no such model or product"},
		"terms upside down":       {func(d *Data) { d.Rules[0].MinTermYears = 31 }, "term range"},
		"share over 100%":         {func(d *Data) { d.Rules[0].ShareE6 = 2 * Scale }, "payment shares"},
		"rates not from 0":        {func(d *Data) { d.Rates[0].LowerUMAE6 = 1 }, "must start at 0 UMA"},
		"rate of no rules":        {func(d *Data) { d.Rates[0].ValidFrom = portal.NewDate(2020, 1, 1) }, "no such rules"},
		"interpolated amounts":    {func(d *Data) { d.Rules[0].RateBasis, d.Rules[0].RateInterpolate = RateBasisMonto, true }, "cannot be interpolated"},
		"rate of 100%":            {func(d *Data) { d.Rates[0].RateE6 = Scale }, "out of range"},
		"unknown purpose":         {func(d *Data) { d.Products[0].Purpose = "otro" }, "unknown purpose"},
	} {
		d := validData()
		c.change(&d)
		if _, err := NewCatalog(d); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want it to say %q", name, err, c.want)
		}
	}
}

// Bands are read "from LowerBound up to the next", whatever order the
// rows come in.
func TestBandsFromLowerBound(t *testing.T) {
	d := validData()
	d.Bands[0], d.Bands[1] = d.Bands[1], d.Bands[0]
	cat, err := NewCatalog(d)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := cat.ModelAt(portal.NewDate(2026, time.January, 1))
	for v, want := range map[int64]int{0: 5, 29: 5, 30: 10, 99: 10} {
		if got := m.Blocks[0].points(v); got != want {
			t.Errorf("points(%d) = %d, want %d", v, got, want)
		}
	}
}

// A step table (no interpolation) holds each row's rate until the next;
// an interpolating one draws a straight line, rounded to 0.01 points.
func TestRateFor(t *testing.T) {
	r := Rules{RuleRow: RuleRow{RateBasis: RateBasisSalario}, Rates: []RateRow{{LowerUMAE6: 0, RateE6: 20_000}, {LowerUMAE6: 2 * Scale, RateE6: 40_000}, {LowerUMAE6: 4 * Scale, RateE6: 100_000}}}
	for s, want := range map[int64]int64{0: 20_000, 1_999_999: 20_000, 2_000_000: 40_000, 3_999_999: 40_000, 9 * Scale: 100_000} {
		if got := r.rateFor(s); got != want {
			t.Errorf("step: rateFor(%d) = %d, want %d", s, got, want)
		}
	}
	r.RateInterpolate = true
	// 2.95 UMA → 2.9: 4% + 6% × 0.9 / 2 = 6.7%; 3.05 → 3.0: 7%; 1.0 → 3%.
	for s, want := range map[int64]int64{2_950_000: 67_000, 3_050_000: 70_000, 1_000_000: 30_000, 4_000_000: 100_000} {
		if got := r.rateFor(s); got != want {
			t.Errorf("interpolated: rateFor(%d) = %d, want %d", s, got, want)
		}
	}
	// Rounding to 0.01 points, half away from zero. 2021's first band runs
	// from 1.91% (0 UMA here) to 3.33% over 0.5 UMA: at 0.1, 1.91 + 1.42 ×
	// 0.2 = 2.194 → 2.19 (down); at 0.4, 1.91 + 1.42 × 0.8 = 3.046 → 3.05
	// (up); 0.25 counts as 0.2: 2.478 → 2.48.
	r.Rates = []RateRow{{LowerUMAE6: 0, RateE6: 19_100}, {LowerUMAE6: 500_000, RateE6: 33_300}}
	for s, want := range map[int64]int64{100_000: 21_900, 400_000: 30_500, 250_000: 24_800} {
		if got := r.rateFor(s); got != want {
			t.Errorf("rounding: rateFor(%d) = %d, want %d", s, got, want)
		}
	}
	// A half: 0 to 1% over 0.8 UMA, at 0.1 UMA 0.125% → 0.13%.
	r.Rates = []RateRow{{LowerUMAE6: 0, RateE6: 0}, {LowerUMAE6: 800_000, RateE6: 10_000}}
	if got := r.rateFor(100_000); got != 1_300 {
		t.Errorf("half: rateFor = %d, want 1300", got)
	}
}
