package origination

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"micuenta/internal/credit"
	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
)

// The application's form fields beyond the simulator's (the product, the
// term and the co-borrower's figures come from the first step).
const (
	FieldAddress    = "domicilio"
	FieldState      = "estado"
	FieldPostalCode = "codigo_postal"
	FieldValue      = "valor"
	FieldSeller     = "vendedor"
	FieldAppraisal  = "avaluo"
	FieldCoNSS      = "co_nss"
	FieldAccept     = "acepto"
	// DocumentField prefixes a document's code: one file field each.
	DocumentField = "doc_"
)

// Choice is one product as the application's first step lists it.
type Choice struct {
	Product   prequal.Product
	Qualifies bool
	Joint     bool // it takes more than one person (Unamos Créditos)
	Why       []string
}

// Offer is the credit a person may apply for: the product's quote with
// their records (and the other person's figures, for Unamos Créditos).
type Offer struct {
	Product   prequal.Product
	Rules     prequal.RuleRow
	Quote     prequal.Quote
	Part      prequal.Part // the holder's credit
	Balance   portal.Money // the holder's balance the purchase adds (0 for an improvement)
	Payment   portal.Money // the holder's monthly payment, as the ledger will charge it
	Documents []DocumentRule
}

// Mejora reports whether the offer is an improvement credit (no seller,
// appraisal nor dwelling value).
func (o *Offer) Mejora() bool { return o.Product.Purpose == prequal.PurposeMejora }

// Application is /mi-cuenta/solicitud-credito: whether the person may
// apply and why not, the products, and, once one is chosen, its offer.
type Application struct {
	Prequal  *Prequalification
	Eligible bool
	Why      []string
	Open     *request.Request // an application in course
	Choices  []Choice
	Offer    *Offer            // nil until a product is chosen and quoted
	Errors   map[string]string // the first step's, by field
}

// Application answers the page for the signed-in person; chosen says the
// first step was sent (f holds the product, the term and the other
// person's figures).
func (s *Service) Application(ctx context.Context, personID int64, f SimulatorForm, chosen bool) (*Application, error) {
	r, err := s.records(ctx, personID)
	if err != nil {
		return nil, err
	}
	return s.application(ctx, r, f, chosen)
}

func (s *Service) application(ctx context.Context, r Records, f SimulatorForm, chosen bool) (*Application, error) {
	today := s.today()
	pq, err := s.prequalify(ctx, r, today)
	if err != nil {
		return nil, err
	}
	cat, _, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	a := &Application{Prequal: pq, Open: r.InCourse, Errors: map[string]string{}}
	for _, pr := range pq.Result.Products {
		c := Choice{Product: pr.Product, Qualifies: pr.Qualifies}
		if rules, err := cat.RulesAt(pr.Product.Code, today); err == nil {
			c.Joint = rules.MaxApplicants != 1
		}
		for _, why := range pr.Reasons {
			c.Why = append(c.Why, why.Text)
		}
		a.Choices = append(a.Choices, c)
	}
	switch {
	case r.InCourse != nil:
		a.Why = append(a.Why, "Ya tienes una solicitud de crédito en trámite: folio "+r.InCourse.Folio+". Consulta su avance en Mis trámites.")
	case pq.Standing.Credit != nil:
		a.Why = append(a.Why, "Tienes un crédito Infonavit vigente (número "+pq.Standing.Credit.Number+"): podrás solicitar otro cuando lo termines de pagar.")
	case !pq.Qualifies():
		for _, why := range pq.Result.Reasons {
			a.Why = append(a.Why, why.Text)
		}
		a.Why = append(a.Why, "Hoy no precalificas para ningún crédito. En Precalificación y puntos ves por qué y cuántos bimestres te faltan.")
	}
	a.Eligible = len(a.Why) == 0
	if !chosen || !a.Eligible {
		return a, nil
	}
	a.Offer = s.offer(ctx, r, pq, f, today, a.Errors)
	if len(a.Errors) > 0 {
		a.Offer = nil
	}
	return a, nil
}

// offer quotes the product chosen for the holder's records; what is
// wrong goes to errs by field.
func (s *Service) offer(ctx context.Context, r Records, pq *Prequalification, f SimulatorForm, today portal.Date, errs map[string]string) *Offer {
	cat, docs, err := s.catalog(ctx)
	if err != nil {
		errs[FieldProduct] = portal.ErrorMessage(err)
		return nil
	}
	code, product, joint := s.parseProduct(cat, strings.TrimSpace(f.Product), today, errs)
	if code == "" {
		return nil
	}
	pr, ok := pq.Product(code)
	if !ok || !pr.Qualifies {
		why := "no reúnes las condiciones"
		if ok && len(pr.Reasons) > 0 {
			why = strings.TrimSuffix(pr.Reasons[0].Text, ".")
		}
		errs[FieldProduct] = fmt.Sprintf("Por ahora no puedes solicitar %s: %s.", product.Name, lowerFirst(why))
		return nil
	}
	uma, minimum, err := s.values(ctx, today)
	if err != nil {
		errs[FieldProduct] = portal.ErrorMessage(err)
		return nil
	}
	st := pq.Standing
	req := prequal.Request{Product: code, On: today, UMADaily: uma, MinimumWageDaily: minimum, TermYears: parseTerm(f.Term, errs)}
	req.Participants = []prequal.Participant{{BirthDate: r.Person.BirthDate, Sex: r.Person.Sex,
		MonthlySalary: prequal.MonthlySalary(st.Applicant.DailySalary), Balance: st.Balance}}
	if joint {
		req.Participants = append(req.Participants, parseParticipant(f.CoSalary, f.CoBalance, f.CoAge, f.CoSex, today, portal.Date{}, true, errs))
	}
	if len(errs) > 0 {
		return nil
	}
	q, err := cat.Simulate(req)
	if err != nil {
		errs[simulateField(err)] = portal.ErrorMessage(err)
		return nil
	}
	if !q.Eligible {
		var why []string
		for _, reason := range q.Reasons {
			why = append(why, reason.Text)
		}
		errs[FieldProduct] = strings.Join(why, " ")
		return nil
	}
	o := &Offer{Product: product, Rules: q.Rules, Quote: q, Part: q.Parts[0], Documents: docs[code]}
	if q.Rules.AddsBalance {
		o.Balance = st.Balance
	}
	o.Payment = ledgerPayment(o.Part.Credit, o.Part.RateE6, o.Part.TermYears)
	return o
}

// ledgerPayment is the fixed monthly payment of a credit with the
// ledger's own rounding (credit.Payment), which the exercised credit
// charges; it can differ by a centavo from the simulator's.
func ledgerPayment(amount portal.Money, rateE6 int64, years int) portal.Money {
	return portal.Money(credit.Payment(int64(amount), rateBP(rateE6), years*12))
}

// rateBP is an annual rate times 1,000,000 in basis points (the rate
// tables step by 0.01 points, so it is exact).
func rateBP(rateE6 int64) int { return int(portal.RoundDiv(rateE6, 100)) }

// ApplicationForm is the second step: the first step's choice again
// (hidden fields), the dwelling, the seller, the appraisal, the other
// person's NSS and the acceptance.
type ApplicationForm struct {
	Choice                                    SimulatorForm
	Address, State, PostalCode, Value, Seller string
	Appraisal, CoNSS, Accept                  string
	Documents                                 map[string]request.Upload // by document code, checked by content
	Refused                                   map[string]string         // by field: the files the site refused, and why
}

// File files a credit application: it checks again that the person may
// apply, quotes the product chosen, checks every field and that each of
// the product's documents is attached, and files the request with its
// documents — or nothing at all. errs are the form's problems by field;
// err a refusal of the whole application (shown at the eligibility box)
// or a failure.
func (s *Service) File(ctx context.Context, personID int64, f ApplicationForm) (*request.Request, map[string]string, error) {
	r, err := s.records(ctx, personID)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.application(ctx, r, f.Choice, true)
	if err != nil {
		return nil, nil, err
	}
	if !a.Eligible {
		return nil, nil, portal.Errorf(portal.ECONFLICT, "%s", strings.Join(a.Why, " "))
	}
	errs := a.Errors
	if a.Offer == nil {
		return nil, errs, nil
	}
	o := a.Offer
	d := request.CreditApplicationData{Product: o.Product.Code, ProductName: o.Product.Name, Purpose: o.Product.Purpose,
		On: a.Prequal.Today.String(), Model: a.Prequal.Result.Model.Code, TermYears: o.Part.TermYears, RateE6: o.Part.RateE6,
		Quoted: int64(o.Part.Credit), Balance: int64(o.Balance)}
	if pr, ok := a.Prequal.Product(o.Product.Code); ok {
		d.Points = pr.Points
	}
	if len(o.Quote.Parts) > 1 {
		d.Joint = int64(o.Quote.Credit)
		co := o.Quote.Parts[1]
		d.CoAge, d.CoSex = co.Age, strings.TrimSpace(f.Choice.CoSex)
		d.CoSalary = int64(mustMoney(f.Choice.CoSalary))
		d.CoBalance = int64(mustMoney(f.Choice.CoBalance))
	}
	parseDwelling(f, o, &d, errs)
	if len(o.Quote.Parts) > 1 {
		d.CoNSS = parseCoNSS(f.CoNSS, r.Person.NSS.String(), errs)
	}
	if f.Accept != "si" {
		errs[FieldAccept] = "Para enviar tu solicitud confirma que los datos y los documentos son verdaderos."
	}
	// The credit: the holder's part, held down by what the dwelling is
	// worth once the savings are added.
	amount := o.Part.Credit
	if !o.Mejora() && d.Value > 0 {
		need := portal.Money(d.Value) - o.Quote.Balance
		if need < o.Quote.Credit {
			amount = portal.Money(int64(o.Part.Credit) * max(int64(need), 0) / max(int64(o.Quote.Credit), 1))
		}
		if amount <= 0 && errs[FieldValue] == "" {
			errs[FieldValue] = "Con el ahorro de tu Subcuenta de Vivienda alcanzas el valor de la vivienda: no necesitas un crédito para comprarla."
		}
	}
	d.Amount = int64(amount)
	d.Payment = int64(ledgerPayment(amount, o.Part.RateE6, o.Part.TermYears))

	var ups []request.Upload
	for _, doc := range o.Documents {
		field := DocumentField + doc.Code
		if msg := f.Refused[field]; msg != "" {
			errs[field] = msg
			continue
		}
		up, ok := f.Documents[doc.Code]
		if !ok || up.Doc == nil {
			errs[field] = "Adjunta este documento: " + doc.Label + "."
			continue
		}
		up.FileName = request.CleanFileName(doc.Label+" - "+up.FileName, up.Doc.Kind)
		ups = append(ups, up)
		d.Documents = append(d.Documents, request.ApplicationDocument{Code: doc.Code, Label: doc.Label, File: up.FileName, SHA256: up.Doc.SHA256})
	}
	for field, msg := range f.Refused {
		if _, known := errs[field]; !known && strings.HasPrefix(field, DocumentField) {
			errs[field] = msg
		}
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	data, err := json.Marshal(d)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.requests.File(ctx, request.SolicitudCredito, personID, data, ups)
	return q, nil, err
}

// parseDwelling checks the dwelling, the seller and the appraisal (the
// last three only for a purchase).
func parseDwelling(f ApplicationForm, o *Offer, d *request.CreditApplicationData, errs map[string]string) {
	d.Address = strings.Join(strings.Fields(f.Address), " ")
	if n := len([]rune(d.Address)); n < 10 || n > 250 || strings.ContainsAny(d.Address, "<>") {
		errs[FieldAddress] = "Escribe el domicilio de la vivienda: calle, número, colonia y municipio (de 10 a 250 caracteres)."
	}
	st := ident.State(strings.ToUpper(strings.TrimSpace(f.State)))
	if !st.Valid() || st == "NE" {
		errs[FieldState] = "Elige el estado donde está la vivienda."
	}
	d.State = string(st)
	d.PostalCode = strings.TrimSpace(f.PostalCode)
	if n, err := strconv.Atoi(d.PostalCode); len(d.PostalCode) != 5 || err != nil || n < 1000 {
		errs[FieldPostalCode] = "Escribe el código postal de la vivienda: 5 números, por ejemplo 06700."
	}
	if o.Mejora() {
		return
	}
	v, err := portal.ParseMoney(f.Value)
	if err != nil || v <= 0 || v > maxBalance {
		errs[FieldValue] = "Escribe el valor de la vivienda en pesos, como aparece en el avalúo, por ejemplo 850000.00."
	} else {
		d.Value = int64(v)
	}
	d.Seller = strings.Join(strings.Fields(f.Seller), " ")
	if !nameLike(d.Seller, 3, 150) {
		errs[FieldSeller] = "Escribe el nombre completo de quien vende la vivienda (una persona o una empresa), de 3 a 150 caracteres."
	}
	d.Appraisal = strings.ToUpper(strings.TrimSpace(f.Appraisal))
	if !appraisalKey(d.Appraisal) {
		errs[FieldAppraisal] = "Escribe la clave del avalúo como aparece en el documento: de 8 a 30 letras y números, puede llevar guiones."
	}
}

// nameLike accepts a person's or a company's name: letters (accented
// too), digits, spaces and the signs company names use.
func nameLike(s string, minLen, maxLen int) bool {
	n := len([]rune(s))
	if n < minLen || n > maxLen {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r) || r == ' ' || strings.ContainsRune(".,&-'", r):
		default:
			return false
		}
	}
	return letters >= 2
}

// appraisalKey accepts an appraisal's key as printed: 8 to 30 letters,
// digits and hyphens. The format of the fund's keys is not published
// (uncertain), so only its alphabet and length are checked.
func appraisalKey(s string) bool {
	if len(s) < 8 || len(s) > 30 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// parseCoNSS checks the other person's NSS with internal/ident.
func parseCoNSS(text, own string, errs map[string]string) string {
	nss, err := ident.ParseNSS(text)
	switch {
	case err == nil && nss.String() == own:
		errs[FieldCoNSS] = "Ese es tu NSS: escribe el de la persona con quien unes tu crédito."
	case errors.Is(err, ident.ErrCheckDigit):
		errs[FieldCoNSS] = "El NSS de la otra persona no es válido: revisa que lo copiaste completo y sin errores."
	case err != nil:
		errs[FieldCoNSS] = "Escribe el NSS de la persona con quien unes tu crédito: 11 números, sin espacios ni guiones."
	}
	return nss.String()
}

// mustMoney reads an amount already checked.
func mustMoney(s string) portal.Money {
	m, _ := portal.ParseMoney(s)
	return m
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}
