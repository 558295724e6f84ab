package prequal_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/prequal"
)

var (
	d       = portal.NewDate
	jun2024 = d(2024, time.June, 15)  // under T1000
	mar2026 = d(2026, time.March, 15) // under T100
)

const (
	uma2024 = portal.Money(10857) // 108.57
	uma2026 = portal.Money(11731) // 117.31
)

// expect is what a person's pre-qualification should say for one product.
type expect struct {
	product          string
	points           int // with any bonus
	qualifies        bool
	reasons          []string
	missingPoints    int
	missingBimesters int
}

// People scored by hand from the published tables (domain.md §4.1 and
// migration 0013). T1000 blocks, in order: edad, salario, ahorro,
// cotización, contratación, estabilidad, pago del patrón, contexto.
// A permanent worker with a job and a paying employer has the last four
// in full: 123 + 130 + 129 + 148 = 530.
func TestPrequalifyPeople(t *testing.T) {
	cat := catalog(t)
	cases := []struct {
		name    string
		on      portal.Date
		uma     portal.Money
		a       prequal.Applicant
		model   string
		blocks  []int
		general []string
		want    []expect
	}{
		{
			// 35 years → 124; 500.00 / 108.57 = 4.61 UMA (≥ 4.2) → 144;
			// 120,000 → 124; 20 bimesters (18-29) → 149; + 530 = 1,071:
			// 9 short of 1,080. The next continuity band, 30 bimesters
			// (191, total 1,113), is 10 bimesters away; she is still 36
			// then (Feb 2026), in the same age band.
			name: "mid-career, T1000", on: jun2024, uma: uma2024, model: "T1000",
			a:      prequal.Applicant{BirthDate: d(1989, time.March, 1), Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true},
			blocks: []int{124, 144, 124, 149, 123, 130, 129, 148},
			want: []expect{
				{product: "infonavit", points: 1071, reasons: []string{prequal.ReasonPuntos}, missingPoints: 9, missingBimesters: 10},
				{product: "mejoravit", points: 1071, qualifies: true},
			},
		},
		{
			// 22 → 105; 300.00 / 108.57 = 2.76 UMA (< 2.8) → 111; 8,000 →
			// 116; 12 bimesters (9-17) → 123; + 530 = 985, 95 short. More
			// continuity alone reaches 985 − 123 + 191 = 1,053: it also
			// takes turning 30 (124) and 50,000 saved (124). The employer's
			// 5% of 300.00 is 15.00 a day; the 46 bimesters May 2024 -
			// December 2031 are 2,801 days → 8,000 + 42,015 = 50,015.00,
			// and on 15 Feb 2032 (46 bimesters on) the person is 30:
			// 124 + 111 + 124 + 191 + 530 = 1,080.
			name: "young, low salary, T1000", on: jun2024, uma: uma2024, model: "T1000",
			a:      prequal.Applicant{BirthDate: d(2002, time.January, 10), Sex: "H", DailySalary: 30_000, Balance: 800_000, ContinuousBimesters: 12, Employed: true, EmployerPaying: true},
			blocks: []int{105, 111, 116, 123, 123, 130, 129, 148},
			want:   []expect{{product: "infonavit", points: 985, reasons: []string{prequal.ReasonPuntos}, missingPoints: 95, missingBimesters: 46}},
		},
		{
			// 28 → 118; 300.00 → 111; 30,000 → 122; 30 bimesters → 191;
			// + 530 = 1,072, plus the Mujer Infonavit bonus of 20 = 1,092.
			name: "woman with the bonus, T1000", on: jun2024, uma: uma2024, model: "T1000",
			a:      prequal.Applicant{BirthDate: d(1996, time.February, 1), Sex: "M", DailySalary: 30_000, Balance: 3_000_000, ContinuousBimesters: 30, Employed: true, EmployerPaying: true},
			blocks: []int{118, 111, 122, 191, 123, 130, 129, 148},
			want:   []expect{{product: "infonavit", points: 1092, qualifies: true}},
		},
		{
			// The same record for a man: 1,072, 8 short. Continuity is
			// full; turning 30 in Feb 2026 adds 6 (1,078) and 50,000 saved
			// adds 2: 20,000 at 15.00 a day is 1,334 days, and the 22
			// bimesters May 2024 - December 2027 are 1,340 (50,100.00).
			name: "the same man, T1000", on: jun2024, uma: uma2024, model: "T1000",
			a:      prequal.Applicant{BirthDate: d(1996, time.February, 1), Sex: "H", DailySalary: 30_000, Balance: 3_000_000, ContinuousBimesters: 30, Employed: true, EmployerPaying: true},
			blocks: []int{118, 111, 122, 191, 123, 130, 129, 148},
			want:   []expect{{product: "infonavit", points: 1072, reasons: []string{prequal.ReasonPuntos}, missingPoints: 8, missingBimesters: 22}},
		},
		{
			// 57 → 114; 700.00 → 6.45 UMA → 144; 300,000 → 124; 40 → 191;
			// + 530 = 1,103: qualifies; 57 + 1 ≤ 70.
			name: "near the age limit, T1000", on: jun2024, uma: uma2024, model: "T1000",
			a:      prequal.Applicant{BirthDate: d(1967, time.March, 1), Sex: "H", DailySalary: 70_000, Balance: 30_000_000, ContinuousBimesters: 40, Employed: true, EmployerPaying: true},
			blocks: []int{114, 144, 124, 191, 123, 130, 129, 148},
			want:   []expect{{product: "infonavit", points: 1103, qualifies: true}},
		},
		{
			// 70 on the day: 70 + the shortest term (1) passes 70. Time
			// cannot fix it, so no bimester estimate.
			name: "past the age limit, T1000", on: jun2024, uma: uma2024, model: "T1000",
			a:      prequal.Applicant{BirthDate: d(1954, time.June, 15), Sex: "H", DailySalary: 70_000, Balance: 30_000_000, ContinuousBimesters: 40, Employed: true, EmployerPaying: true},
			blocks: []int{114, 144, 124, 191, 123, 130, 129, 148},
			want:   []expect{{product: "infonavit", points: 1103, reasons: []string{prequal.ReasonEdad}}},
		},
		{
			// T1000 counted the employer's payment: 1,071 − 129 = 942,
			// and it is a reason of its own. Projected with a paying
			// employer, the 10 bimesters of the first case come back.
			name: "employer not paying, T1000", on: jun2024, uma: uma2024, model: "T1000",
			a:       prequal.Applicant{BirthDate: d(1989, time.March, 1), Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true},
			blocks:  []int{124, 144, 124, 149, 123, 130, 0, 148},
			general: []string{prequal.ReasonPatronSinPago},
			want:    []expect{{product: "infonavit", points: 942, reasons: []string{prequal.ReasonPatronSinPago, prequal.ReasonPuntos}, missingPoints: 138, missingBimesters: 10}},
		},
		{
			// T100 (approximation): 37 → 29; 500.00 / 117.31 = 4.26 UMA →
			// 34; 120,000 → 29; 20 bimesters → 35: 127 ≥ 100.
			name: "mid-career, T100", on: mar2026, uma: uma2026, model: "T100",
			a:      prequal.Applicant{BirthDate: d(1989, time.March, 1), Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true},
			blocks: []int{29, 34, 29, 35},
			want: []expect{
				{product: "infonavit", points: 127, qualifies: true},
				{product: "cofinavit", points: 127, qualifies: true},
				{product: "unamos", points: 127, qualifies: true},
				{product: "mejoravit", points: 127, qualifies: true},
			},
		},
		{
			// Under T100 an employer who does not pay no longer counts
			// against the worker.
			name: "employer not paying, T100", on: mar2026, uma: uma2026, model: "T100",
			a:      prequal.Applicant{BirthDate: d(1989, time.March, 1), Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true},
			blocks: []int{29, 34, 29, 35},
			want:   []expect{{product: "infonavit", points: 127, qualifies: true}},
		},
		{
			// 21 → 25; the minimum wage 315.04 / 117.31 = 2.69 UMA → 26;
			// 4,000 → 28; 2 bimesters → 0: 79, 21 short, and 1 bimester
			// short of the 3 asked. With a third: 21 points, exactly 100.
			name: "young, low salary, T100", on: mar2026, uma: uma2026, model: "T100",
			a:      prequal.Applicant{BirthDate: d(2004, time.May, 20), Sex: "M", DailySalary: 31_504, Balance: 400_000, ContinuousBimesters: 2, Employed: true, EmployerPaying: true},
			blocks: []int{25, 26, 28, 0},
			want: []expect{
				{product: "infonavit", points: 79, reasons: []string{prequal.ReasonBimestres, prequal.ReasonPuntos}, missingPoints: 21, missingBimesters: 1},
				{product: "mejoravit", points: 79, qualifies: true},
			},
		},
		{
			// An active credit stops every product whatever the points.
			name: "active credit, T100", on: mar2026, uma: uma2026, model: "T100",
			a:       prequal.Applicant{BirthDate: d(1989, time.March, 1), Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true, ActiveCredit: true},
			blocks:  []int{29, 34, 29, 35},
			general: []string{prequal.ReasonCreditoActivo},
			want: []expect{
				{product: "infonavit", points: 127, reasons: []string{prequal.ReasonCreditoActivo}},
				{product: "mejoravit", points: 127, reasons: []string{prequal.ReasonCreditoActivo}},
			},
		},
		{
			// No current job: the 10 bimesters of the last one are lost
			// (continuity 0 points). 30 → 29; 450.00 / 117.31 = 3.84 UMA →
			// 30; 40,000 → 29: 88. A new employer paying 3 bimesters gives
			// 21 more (109) and the minimum continuity.
			name: "no current employment, T100", on: mar2026, uma: uma2026, model: "T100",
			a:       prequal.Applicant{BirthDate: d(1995, time.September, 1), Sex: "H", DailySalary: 45_000, Balance: 4_000_000, ContinuousBimesters: 10},
			blocks:  []int{29, 30, 29, 0},
			general: []string{prequal.ReasonSinRelacion},
			want: []expect{
				{product: "infonavit", points: 88, reasons: []string{prequal.ReasonSinRelacion, prequal.ReasonBimestres, prequal.ReasonPuntos}, missingPoints: 12, missingBimesters: 3},
				{product: "mejoravit", points: 88, reasons: []string{prequal.ReasonSinRelacion}},
			},
		},
		{
			name: "pension in process, T100", on: mar2026, uma: uma2026, model: "T100",
			a:       prequal.Applicant{BirthDate: d(1963, time.January, 5), Sex: "M", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true, PensionInProcess: true},
			blocks:  []int{27, 34, 29, 35},
			general: []string{prequal.ReasonPension},
			want:    []expect{{product: "infonavit", points: 125, reasons: []string{prequal.ReasonPension}}},
		},
		{
			// A missing birth date is a data problem to correct, not an
			// error: the age block scores its first band.
			name: "no birth date, T100", on: mar2026, uma: uma2026, model: "T100",
			a:       prequal.Applicant{Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true},
			blocks:  []int{25, 34, 29, 35},
			general: []string{prequal.ReasonDatos},
			want:    []expect{{product: "infonavit", points: 123, reasons: []string{prequal.ReasonDatos}}},
		},
		{
			// Women may add the term up to 75: at 72 a woman still can, a
			// man (next case) cannot.
			name: "woman of 72, T100", on: mar2026, uma: uma2026, model: "T100",
			a:      prequal.Applicant{BirthDate: d(1953, time.July, 1), Sex: "M", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true},
			blocks: []int{27, 34, 29, 35},
			want:   []expect{{product: "infonavit", points: 125, qualifies: true}},
		},
		{
			name: "man of 72, T100", on: mar2026, uma: uma2026, model: "T100",
			a:      prequal.Applicant{BirthDate: d(1953, time.July, 1), Sex: "H", DailySalary: 50_000, Balance: 12_000_000, ContinuousBimesters: 20, Employed: true, EmployerPaying: true},
			blocks: []int{27, 34, 29, 35},
			want:   []expect{{product: "infonavit", points: 125, reasons: []string{prequal.ReasonEdad}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := cat.Prequalify(c.on, c.uma, c.a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Model.Code != c.model || !res.Uncertain {
				t.Fatalf("model %s (uncertain %v), want %s, flagged uncertain", res.Model.Code, res.Uncertain, c.model)
			}
			var blocks []int
			sum := 0
			for _, b := range res.Blocks {
				blocks = append(blocks, b.Points)
				sum += b.Points
			}
			if !slices.Equal(blocks, c.blocks) || sum != res.Points {
				t.Fatalf("blocks %v (sum %d, Points %d), want %v", blocks, sum, res.Points, c.blocks)
			}
			if got := codes(res.Reasons); !slices.Equal(got, c.general) {
				t.Errorf("general reasons %v, want %v", got, c.general)
			}
			for _, w := range c.want {
				pr := product(t, res, w.product)
				got := expect{product: w.product, points: pr.Points, qualifies: pr.Qualifies, reasons: codes(pr.Reasons),
					missingPoints: pr.MissingPoints, missingBimesters: pr.MissingBimesters}
				if !equalExpect(got, w) {
					t.Errorf("%s: got %+v, want %+v", w.product, got, w)
				}
				for _, r := range pr.Reasons {
					if r.Text == "" || !strings.HasSuffix(r.Text, ".") {
						t.Errorf("%s: reason %q has no sentence", w.product, r.Code)
					}
				}
			}
		})
	}
}

// The reasons read as the portal words them, with the figures in.
func TestReasonTexts(t *testing.T) {
	res, err := catalog(t).Prequalify(mar2026, uma2026, prequal.Applicant{BirthDate: d(2004, time.May, 20), Sex: "M",
		DailySalary: 31_504, Balance: 400_000, ContinuousBimesters: 2, Employed: true, EmployerPaying: true})
	if err != nil {
		t.Fatal(err)
	}
	pr := product(t, res, "infonavit")
	want := []string{
		"Necesitas al menos 3 bimestres de cotización continua y tienes 2.",
		"Tienes 79 puntos y este crédito pide 100.",
	}
	if len(pr.Reasons) != 2 || pr.Reasons[0].Text != want[0] || pr.Reasons[1].Text != want[1] {
		t.Fatalf("reasons %+v", pr.Reasons)
	}
	if pr.Product.Name != "Crédito Infonavit" || pr.Note == "" || !pr.Uncertain {
		t.Fatalf("product %+v", pr)
	}
}

// The model in force changes on 18 August 2025; before May 2021 there is
// none loaded.
func TestModelInForce(t *testing.T) {
	cat := catalog(t)
	for on, want := range map[portal.Date]string{
		d(2021, time.May, 1): "T1000", d(2025, time.August, 17): "T1000", d(2025, time.August, 18): "T100", d(2030, time.January, 1): "T100",
	} {
		m, err := cat.ModelAt(on)
		if err != nil || m.Code != want {
			t.Errorf("ModelAt(%v) = %s, %v; want %s", on, m.Code, err, want)
		}
	}
	if _, err := cat.ModelAt(d(2021, time.April, 30)); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("before any model: %v", err)
	}
	if _, err := cat.Prequalify(d(2021, time.April, 30), uma2024, prequal.Applicant{}); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("Prequalify before any model: %v", err)
	}
	// The T1000 block maxima are the published ones (edad and salario
	// are only published together, 235; the bands give 128 + 144).
	m, _ := cat.ModelAt(jun2024)
	maxima := map[string]int{}
	for _, b := range m.Blocks {
		maxima[b.Code] = b.MaxPoints
	}
	if maxima["ahorro"] != 124 || maxima["cotizacion"] != 191 || maxima["contratacion"] != 123 || maxima["estabilidad"] != 130 ||
		maxima["pago_patron"] != 129 || m.WomenBonus != 20 {
		t.Fatalf("T1000 maxima %v, bonus %d", maxima, m.WomenBonus)
	}
	if th, ok := m.Threshold("infonavit"); !ok || th.MinPoints != 1080 {
		t.Fatalf("T1000 threshold %+v", th)
	}
	// Whoever has the minimum 3 bimesters reaches T100's 100 points, and
	// nobody with fewer does: that is how the approximation is built.
	cat100, _ := cat.ModelAt(mar2026)
	low, high := 0, 0
	for _, b := range cat100.Blocks {
		lo, hi := b.Bands[0].Points, 0
		for _, band := range b.Bands {
			lo, hi = min(lo, band.Points), max(hi, band.Points)
		}
		if b.Code == "cotizacion" {
			lo = b.Bands[1].Points // 3 bimesters
			hi = b.Bands[0].Points // fewer than 3
		}
		low, high = low+lo, high+hi
	}
	if low != 100 || high >= 100 {
		t.Fatalf("T100: least with 3 bimesters %d (want 100), most with fewer %d (want < 100)", low, high)
	}
}

// The catalog hands out copies: changing one does not change it.
func TestCatalogIsImmutable(t *testing.T) {
	cat := catalog(t)
	m, _ := cat.ModelAt(mar2026)
	m.Blocks[0].Bands[0].Points = 999
	m.Thresholds[0].MinPoints = 0
	again, _ := cat.ModelAt(mar2026)
	if again.Blocks[0].Bands[0].Points == 999 || again.Thresholds[0].MinPoints == 0 {
		t.Fatal("a caller changed the catalog")
	}
	r, _ := cat.RulesAt("infonavit", mar2026)
	r.Rates[0].RateE6 = 1
	if again, _ := cat.RulesAt("infonavit", mar2026); again.Rates[0].RateE6 == 1 {
		t.Fatal("a caller changed the rate table")
	}
}

func codes(rs []prequal.Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

func product(t *testing.T, res prequal.Result, code string) prequal.ProductResult {
	t.Helper()
	for _, p := range res.Products {
		if p.Product.Code == code {
			return p
		}
	}
	t.Fatalf("no result for %s", code)
	return prequal.ProductResult{}
}

func equalExpect(a, b expect) bool {
	return a.product == b.product && a.points == b.points && a.qualifies == b.qualifies && slices.Equal(a.reasons, b.reasons) &&
		a.missingPoints == b.missingPoints && a.missingBimesters == b.missingBimesters
}
