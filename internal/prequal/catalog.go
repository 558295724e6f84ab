package prequal

import (
	"context"
	"fmt"
	"slices"

	"micuenta/internal/portal"
)

// Scale is the fixed-point scale of every E6 figure.
const Scale = 1_000_000

// Factors: the fields of a person's records a scoring block reads. The
// unit of a band's LowerBound is the factor's.
const (
	FactorEdad       = "edad"                  // completed years on the day of the query
	FactorSalarioUMA = "salario_uma"           // daily salary / daily UMA, times Scale, truncated
	FactorSaldoSCV   = "saldo_scv"             // subaccount balance, centavos
	FactorBimestres  = "bimestres_continuos"   // continuous bimesters; 0 without a current job
	FactorPermanente = "trabajador_permanente" // 1 permanent, 0 eventual
	FactorEmpleo     = "empleo_actual"         // 1 with a current labour relationship
	FactorPatronPaga = "patron_paga"           // 1 when the current employer pays
)

// What a product's rate table is indexed by.
const (
	RateBasisSalario = "salario" // the monthly salary in UMA mensual
	RateBasisMonto   = "monto"   // the credit amount in UMA mensual
)

// What a product is for.
const (
	PurposeVivienda = "vivienda" // buy, build or pay off a home
	PurposeMejora   = "mejora"   // improve the home
)

// maxTermYearsLimit bounds the data's terms; a sanity check, not a rule.
const maxTermYearsLimit = 40

var knownFactors = map[string]bool{FactorEdad: true, FactorSalarioUMA: true, FactorSaldoSCV: true, FactorBimestres: true,
	FactorPermanente: true, FactorEmpleo: true, FactorPatronPaga: true}

// ModelRow is a row of scoring_models: a scoring model, in force from
// ValidFrom until the next model's ValidFrom.
type ModelRow struct {
	Code            string // T1000, T100
	Name            string // shown to people
	ValidFrom       portal.Date
	WomenBonus      int  // points added for women (Mujer Infonavit)
	EmployerMustPay bool // an employer who does not pay stops the pre-qualification
	Uncertain       bool
	Note            string // Spanish, shown on the page
	Source          string
}

// BlockRow is a row of scoring_blocks: one block of points, read from one
// factor.
type BlockRow struct {
	Model     string
	Code      string
	SortOrder int
	Label     string // shown to people
	Factor    string // one of the Factor constants
	MaxPoints int
	Uncertain bool
	Note      string
}

// BandRow is a row of scoring_bands: from LowerBound (in the factor's unit)
// up to the next band's LowerBound a block earns Points.
type BandRow struct {
	Model      string
	Block      string
	LowerBound int64
	Points     int
}

// ProductRow is a row of credit_products.
type ProductRow struct {
	Code        string // infonavit, cofinavit, unamos, mejoravit
	Name        string // shown to people
	SortOrder   int
	Purpose     string // PurposeVivienda or PurposeMejora
	Description string // shown to people
}

// ThresholdRow is a row of scoring_thresholds: what a model asks for a
// product.
type ThresholdRow struct {
	Model        string
	Product      string
	MinPoints    int
	MinBimesters int  // continuous bimesters
	WomenBonus   bool // the model's bonus for women counts here
	Uncertain    bool
	Note         string
}

// RuleRow is a row of product_rules: a product's simulator rules from
// ValidFrom until the product's next row. See the migration for each
// column's meaning.
type RuleRow struct {
	Product            string
	ValidFrom          portal.Date
	CeilingUMAE6       int64 // the most the fund lends (all participants together), in UMA mensual
	PersonCeilingUMAE6 int64 // the most one participant gets; 0: no own limit
	MinAmountUMAE6     int64
	MinTermYears       int
	MaxTermYears       int
	AgeTermMen         int // age + term may not pass this
	AgeTermWomen       int
	LowSalarySME6      int64 // salaries up to this many monthly minimum wages...
	LowShareE6         int64 // ...pay at most this share of the salary a month
	ShareE6            int64 // higher salaries, this share
	AddsBalance        bool  // the subaccount balance is added to the credit
	BalanceCapE6       int64 // > 0: the credit may not pass this share of the balance
	RateBasis          string
	RateInterpolate    bool
	MinApplicants      int
	MaxApplicants      int          // 0: no limit
	InsuranceBimester  portal.Money // housing insurance charged each bimester with the payments
	Uncertain          bool
	Note               string
	Source             string
}

// RateRow is a row of product_rates.
type RateRow struct {
	Product      string
	ValidFrom    portal.Date
	LowerUMAE6   int64 // salary (or amount) from this many UMA mensual
	RateE6       int64 // annual, a fraction times Scale
	MaxTermYears int   // > 0 shortens the product's longest term in this band
}

// Data is every row of the scoring and simulator tables, as the store
// reads them; NewCatalog checks and assembles it.
type Data struct {
	Models     []ModelRow
	Blocks     []BlockRow
	Bands      []BandRow
	Products   []ProductRow
	Thresholds []ThresholdRow
	Rules      []RuleRow
	Rates      []RateRow
}

// Store reads the tables.
type Store interface {
	ScoringData(ctx context.Context) (Data, error)
}

// Model is a scoring model with its blocks and thresholds.
type Model struct {
	ModelRow
	Blocks     []Block        // by SortOrder
	Thresholds []ThresholdRow // in the products' order
}

// Block is a block with its bands, ascending by LowerBound.
type Block struct {
	BlockRow
	Bands []BandRow
}

// Product is a credit product.
type Product = ProductRow

// Rules are a product's simulator rules with their rate table, ascending
// by LowerUMAE6.
type Rules struct {
	RuleRow
	Rates []RateRow
}

// Threshold returns what the model asks for a product.
func (m Model) Threshold(product string) (ThresholdRow, bool) {
	for _, t := range m.Thresholds {
		if t.Product == product {
			return t, true
		}
	}
	return ThresholdRow{}, false
}

// Catalog is the loaded, checked tables. It never changes after
// NewCatalog: every accessor returns copies, so one Catalog may serve
// every request at once.
type Catalog struct {
	models   []Model // ascending by ValidFrom
	products []Product
	rules    map[string][]Rules // ascending by ValidFrom
}

// Load reads and checks the tables.
func Load(ctx context.Context, s Store) (*Catalog, error) {
	d, err := s.ScoringData(ctx)
	if err != nil {
		return nil, fmt.Errorf("prequal: load: %w", err)
	}
	return NewCatalog(d)
}

// NewCatalog checks the rows and assembles them. A table the code cannot
// use safely (a block with no band starting at 0, an unknown factor, a rate
// table that does not start at 0 UMA, a term range upside down) is an
// error naming the row, for the operator who edited it.
func NewCatalog(d Data) (*Catalog, error) {
	c := &Catalog{rules: map[string][]Rules{}}
	products := map[string]bool{}
	for _, p := range d.Products {
		if p.Code == "" || p.Name == "" || products[p.Code] {
			return nil, fmt.Errorf("prequal: product %q: empty or repeated code or name", p.Code)
		}
		if p.Purpose != PurposeVivienda && p.Purpose != PurposeMejora {
			return nil, fmt.Errorf("prequal: product %s: unknown purpose %q", p.Code, p.Purpose)
		}
		products[p.Code] = true
		c.products = append(c.products, p)
	}
	slices.SortStableFunc(c.products, func(a, b Product) int { return a.SortOrder - b.SortOrder })
	productOrder := map[string]int{}
	for i, p := range c.products {
		productOrder[p.Code] = i
	}

	models := map[string]*Model{}
	for _, m := range d.Models {
		if m.Code == "" || models[m.Code] != nil || m.ValidFrom.IsZero() || m.WomenBonus < 0 {
			return nil, fmt.Errorf("prequal: model %q: empty or repeated code, no date or a negative bonus", m.Code)
		}
		models[m.Code] = &Model{ModelRow: m}
	}
	blocks := map[[2]string]*Block{}
	for _, b := range d.Blocks {
		m := models[b.Model]
		if m == nil {
			return nil, fmt.Errorf("prequal: block %s/%s: no such model", b.Model, b.Code)
		}
		if !knownFactors[b.Factor] {
			return nil, fmt.Errorf("prequal: block %s/%s: unknown factor %q", b.Model, b.Code, b.Factor)
		}
		key := [2]string{b.Model, b.Code}
		if blocks[key] != nil || b.MaxPoints < 0 {
			return nil, fmt.Errorf("prequal: block %s/%s: repeated, or a negative maximum", b.Model, b.Code)
		}
		blocks[key] = &Block{BlockRow: b}
	}
	for _, band := range d.Bands {
		b := blocks[[2]string{band.Model, band.Block}]
		if b == nil {
			return nil, fmt.Errorf("prequal: band %s/%s from %d: no such block", band.Model, band.Block, band.LowerBound)
		}
		if band.Points < 0 || band.Points > b.MaxPoints {
			return nil, fmt.Errorf("prequal: band %s/%s from %d: %d points is outside 0..%d", band.Model, band.Block, band.LowerBound, band.Points, b.MaxPoints)
		}
		b.Bands = append(b.Bands, band)
	}
	for key, b := range blocks {
		slices.SortFunc(b.Bands, func(x, y BandRow) int { return cmp64(x.LowerBound, y.LowerBound) })
		if len(b.Bands) == 0 || b.Bands[0].LowerBound != 0 {
			return nil, fmt.Errorf("prequal: block %s/%s: its first band must start at 0", key[0], key[1])
		}
		for i := 1; i < len(b.Bands); i++ {
			if b.Bands[i].LowerBound == b.Bands[i-1].LowerBound {
				return nil, fmt.Errorf("prequal: block %s/%s: two bands start at %d", key[0], key[1], b.Bands[i].LowerBound)
			}
		}
		m := models[key[0]]
		m.Blocks = append(m.Blocks, *b)
	}
	for _, t := range d.Thresholds {
		m := models[t.Model]
		if m == nil || !products[t.Product] {
			return nil, fmt.Errorf("prequal: threshold %s/%s: no such model or product", t.Model, t.Product)
		}
		if t.MinPoints < 0 || t.MinBimesters < 0 {
			return nil, fmt.Errorf("prequal: threshold %s/%s: negative minimum", t.Model, t.Product)
		}
		if _, dup := m.Threshold(t.Product); dup {
			return nil, fmt.Errorf("prequal: threshold %s/%s: repeated", t.Model, t.Product)
		}
		m.Thresholds = append(m.Thresholds, t)
	}
	for _, m := range models {
		if len(m.Blocks) == 0 {
			return nil, fmt.Errorf("prequal: model %s has no blocks", m.Code)
		}
		slices.SortStableFunc(m.Blocks, func(a, b Block) int { return a.SortOrder - b.SortOrder })
		slices.SortStableFunc(m.Thresholds, func(a, b ThresholdRow) int { return productOrder[a.Product] - productOrder[b.Product] })
		c.models = append(c.models, *m)
	}
	slices.SortFunc(c.models, func(a, b Model) int { return cmpDate(a.ValidFrom, b.ValidFrom) })
	for i := 1; i < len(c.models); i++ {
		if c.models[i].ValidFrom == c.models[i-1].ValidFrom {
			return nil, fmt.Errorf("prequal: models %s and %s start the same day", c.models[i-1].Code, c.models[i].Code)
		}
	}

	rules := map[string]*Rules{}
	keyOf := func(product string, d portal.Date) string { return product + "@" + d.String() }
	for _, r := range d.Rules {
		if err := checkRule(r, products); err != nil {
			return nil, err
		}
		k := keyOf(r.Product, r.ValidFrom)
		if rules[k] != nil {
			return nil, fmt.Errorf("prequal: rules %s: repeated", k)
		}
		rules[k] = &Rules{RuleRow: r}
	}
	for _, rate := range d.Rates {
		r := rules[keyOf(rate.Product, rate.ValidFrom)]
		if r == nil {
			return nil, fmt.Errorf("prequal: rate %s@%s: no such rules", rate.Product, rate.ValidFrom)
		}
		if rate.RateE6 < 0 || rate.RateE6 >= Scale || rate.MaxTermYears < 0 || rate.MaxTermYears > r.MaxTermYears {
			return nil, fmt.Errorf("prequal: rate %s@%s from %d UMA: rate or term out of range", rate.Product, rate.ValidFrom, rate.LowerUMAE6)
		}
		if rate.MaxTermYears > 0 && rate.MaxTermYears < r.MinTermYears {
			return nil, fmt.Errorf("prequal: rate %s@%s from %d UMA: its longest term is shorter than the product's shortest", rate.Product, rate.ValidFrom, rate.LowerUMAE6)
		}
		r.Rates = append(r.Rates, rate)
	}
	for k, r := range rules {
		slices.SortFunc(r.Rates, func(x, y RateRow) int { return cmp64(x.LowerUMAE6, y.LowerUMAE6) })
		if len(r.Rates) == 0 || r.Rates[0].LowerUMAE6 != 0 {
			return nil, fmt.Errorf("prequal: rules %s: the rate table must start at 0 UMA", k)
		}
		for i := 1; i < len(r.Rates); i++ {
			if r.Rates[i].LowerUMAE6 == r.Rates[i-1].LowerUMAE6 {
				return nil, fmt.Errorf("prequal: rules %s: two rates start at the same salary", k)
			}
		}
		c.rules[r.Product] = append(c.rules[r.Product], *r)
	}
	for _, rs := range c.rules {
		slices.SortFunc(rs, func(a, b Rules) int { return cmpDate(a.ValidFrom, b.ValidFrom) })
	}
	return c, nil
}

func checkRule(r RuleRow, products map[string]bool) error {
	bad := func(what string) error {
		return fmt.Errorf("prequal: rules %s@%s: %s", r.Product, r.ValidFrom, what)
	}
	switch {
	case !products[r.Product]:
		return bad("no such product")
	case r.ValidFrom.IsZero():
		return bad("no date")
	case r.CeilingUMAE6 <= 0 || r.PersonCeilingUMAE6 < 0 || r.MinAmountUMAE6 < 0 || r.MinAmountUMAE6 > r.CeilingUMAE6:
		return bad("ceilings out of range")
	case r.MinTermYears < 1 || r.MaxTermYears < r.MinTermYears || r.MaxTermYears > maxTermYearsLimit:
		return bad("term range out of order")
	case r.AgeTermMen <= 0 || r.AgeTermWomen <= 0:
		return bad("age limits must be positive")
	case r.LowSalarySME6 < 0 || r.LowShareE6 <= 0 || r.LowShareE6 > Scale || r.ShareE6 <= 0 || r.ShareE6 > Scale:
		return bad("payment shares out of range")
	case r.BalanceCapE6 < 0 || r.BalanceCapE6 > Scale || r.InsuranceBimester < 0:
		return bad("balance share or insurance out of range")
	case r.RateBasis != RateBasisSalario && r.RateBasis != RateBasisMonto:
		return bad("unknown rate basis")
	case r.RateBasis == RateBasisMonto && r.RateInterpolate:
		return bad("amount-based rates cannot be interpolated")
	case r.MinApplicants < 1 || (r.MaxApplicants != 0 && r.MaxApplicants < r.MinApplicants):
		return bad("applicant range out of order")
	}
	return nil
}

// Models returns every model, oldest first.
func (c *Catalog) Models() []Model {
	out := make([]Model, len(c.models))
	for i, m := range c.models {
		out[i] = m.clone()
	}
	return out
}

// ModelAt returns the model in force on date d: the newest one whose
// ValidFrom is not after d.
func (c *Catalog) ModelAt(d portal.Date) (Model, error) {
	i, ok := c.modelIndex(d)
	if !ok {
		return Model{}, portal.Errorf(portal.ENOTFOUND, "No hay un modelo de puntos vigente el %s.", d.Spanish())
	}
	return c.models[i].clone(), nil
}

func (c *Catalog) modelIndex(d portal.Date) (int, bool) {
	i, _ := slices.BinarySearchFunc(c.models, d, func(m Model, d portal.Date) int {
		if d.Before(m.ValidFrom) {
			return 1
		}
		return -1
	})
	return i - 1, i > 0
}

// Products returns every product in the order pages list them.
func (c *Catalog) Products() []Product { return slices.Clone(c.products) }

// Product returns one product.
func (c *Catalog) Product(code string) (Product, bool) {
	for _, p := range c.products {
		if p.Code == code {
			return p, true
		}
	}
	return Product{}, false
}

// RulesAt returns a product's simulator rules in force on date d.
func (c *Catalog) RulesAt(product string, d portal.Date) (Rules, error) {
	r, ok := c.rulesAt(product, d)
	if !ok {
		name := product
		if p, ok := c.Product(product); ok {
			name = p.Name
		}
		return Rules{}, portal.Errorf(portal.ENOTFOUND, "%s no estaba disponible el %s.", name, d.Spanish())
	}
	r.Rates = slices.Clone(r.Rates)
	return r, nil
}

// rulesAt returns the shared value: callers must not change its slices.
func (c *Catalog) rulesAt(product string, d portal.Date) (Rules, bool) {
	rs := c.rules[product]
	for i := len(rs) - 1; i >= 0; i-- {
		if !d.Before(rs[i].ValidFrom) {
			return rs[i], true
		}
	}
	return Rules{}, false
}

func (m Model) clone() Model {
	out := m
	out.Blocks = make([]Block, len(m.Blocks))
	for i, b := range m.Blocks {
		out.Blocks[i] = Block{BlockRow: b.BlockRow, Bands: slices.Clone(b.Bands)}
	}
	out.Thresholds = slices.Clone(m.Thresholds)
	return out
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpDate(a, b portal.Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}
