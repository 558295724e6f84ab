package origination

import (
	"context"
	"strconv"
	"strings"

	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
)

// The simulator's form fields, as the pages name them; errors come back
// keyed by them.
const (
	FieldProduct   = "producto"
	FieldTerm      = "plazo"
	FieldSalary    = "salario"
	FieldBalance   = "ahorro"
	FieldAge       = "edad"
	FieldSex       = "sexo"
	FieldCoSalary  = "co_salario"
	FieldCoBalance = "co_ahorro"
	FieldCoAge     = "co_edad"
	FieldCoSex     = "co_sexo"
)

// SimulatorForm is the simulator's fields as typed. The co-borrower's are
// read only for a product that takes two people (Unamos Créditos).
type SimulatorForm struct {
	Product, Term, Salary, Balance, Age, Sex string
	CoSalary, CoBalance, CoAge, CoSex        string
}

// Values returns the form as field → value, for a page to show it again.
func (f SimulatorForm) Values() map[string]string {
	return map[string]string{FieldProduct: f.Product, FieldTerm: f.Term, FieldSalary: f.Salary, FieldBalance: f.Balance,
		FieldAge: f.Age, FieldSex: f.Sex, FieldCoSalary: f.CoSalary, FieldCoBalance: f.CoBalance, FieldCoAge: f.CoAge, FieldCoSex: f.CoSex}
}

// SimulatorFormFrom reads the form from field → value (a query string).
func SimulatorFormFrom(get func(string) string) SimulatorForm {
	return SimulatorForm{Product: get(FieldProduct), Term: get(FieldTerm), Salary: get(FieldSalary), Balance: get(FieldBalance),
		Age: get(FieldAge), Sex: get(FieldSex), CoSalary: get(FieldCoSalary), CoBalance: get(FieldCoBalance), CoAge: get(FieldCoAge),
		CoSex: get(FieldCoSex)}
}

// Limits on what the simulator accepts; beyond them the figures mean
// nothing (prequal refuses them too).
const (
	maxMonthlySalary = portal.Money(10_000_000_00)
	maxBalance       = portal.Money(1_000_000_000_00)
	minAge, maxAge   = 15, 99
	maxTermYears     = 40
)

// Simulation is the simulator's answer: the products to choose from, and
// the quote — or what is wrong with the form, by field.
type Simulation struct {
	Today    portal.Date
	Products []prequal.Product
	Product  prequal.Product // the one asked for (zero when unknown)
	Joint    bool            // the product takes more than one person
	// JointProducts are the codes of the products that take more than one
	// person, for the page to show the other person's fields with them.
	JointProducts map[string]bool
	Quote         *prequal.Quote // nil when the form has errors
	Errors        map[string]string
}

// SimulatorDefaults fills the simulator from the person's records: the
// salary of their job (× 30.4), their balance, age and sex, the Crédito
// Infonavit, the longest term; the co-borrower's fields stay empty.
func (s *Service) SimulatorDefaults(ctx context.Context, personID int64) (SimulatorForm, error) {
	r, err := s.records(ctx, personID)
	if err != nil {
		return SimulatorForm{}, err
	}
	today := s.today()
	st := ApplicantFrom(r, today)
	f := SimulatorForm{Product: "infonavit", Balance: st.Balance.Decimal(), Sex: r.Person.Sex}
	if st.Applicant.DailySalary > 0 {
		f.Salary = prequal.MonthlySalary(st.Applicant.DailySalary).Decimal()
	}
	if !r.Person.BirthDate.IsZero() && r.Person.BirthDate.Before(today) {
		f.Age = strconv.Itoa(prequal.Age(r.Person.BirthDate, today))
	}
	if _, ok := request.SexNames[f.Sex]; !ok {
		f.Sex = ""
	}
	return f, nil
}

// Simulate checks the form and quotes it for the signed-in person (whose
// birth date is used when the age typed is theirs).
func (s *Service) Simulate(ctx context.Context, personID int64, f SimulatorForm) (*Simulation, error) {
	cat, _, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	uma, minimum, err := s.values(ctx, today)
	if err != nil {
		return nil, err
	}
	sim := &Simulation{Today: today, Products: cat.Products(), Errors: map[string]string{}, JointProducts: map[string]bool{}}
	for _, p := range sim.Products {
		if r, err := cat.RulesAt(p.Code, today); err == nil && r.MaxApplicants != 1 {
			sim.JointProducts[p.Code] = true
		}
	}
	req := prequal.Request{On: today, UMADaily: uma, MinimumWageDaily: minimum}
	req.Product, sim.Product, sim.Joint = s.parseProduct(cat, strings.TrimSpace(f.Product), today, sim.Errors)
	req.TermYears = parseTerm(f.Term, sim.Errors)
	holder := parseParticipant(f.Salary, f.Balance, f.Age, f.Sex, today, p.BirthDate, false, sim.Errors)
	req.Participants = []prequal.Participant{holder}
	if sim.Joint {
		req.Participants = append(req.Participants, parseParticipant(f.CoSalary, f.CoBalance, f.CoAge, f.CoSex, today, portal.Date{}, true, sim.Errors))
	}
	if len(sim.Errors) > 0 {
		return sim, nil
	}
	q, err := cat.Simulate(req)
	if err != nil {
		if portal.ErrorCode(err) != portal.EINVALID {
			return nil, err
		}
		sim.Errors[simulateField(err)] = portal.ErrorMessage(err)
		return sim, nil
	}
	sim.Quote = &q
	return sim, nil
}

// parseProduct checks the product chosen: one of the catalog's, in force
// today. It returns its code, the product and whether it takes more than
// one person.
func (s *Service) parseProduct(cat *prequal.Catalog, code string, today portal.Date, errs map[string]string) (string, prequal.Product, bool) {
	p, ok := cat.Product(code)
	if !ok {
		errs[FieldProduct] = "Elige un tipo de crédito de la lista."
		return "", prequal.Product{}, false
	}
	r, err := cat.RulesAt(code, today)
	if err != nil {
		errs[FieldProduct] = portal.ErrorMessage(err)
		return "", p, false
	}
	return code, p, r.MaxApplicants != 1
}

// parseTerm reads the term in years; empty asks for the longest.
func parseTerm(text string, errs map[string]string) int {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(text, "años")))
	if err != nil || n < 1 || n > maxTermYears {
		errs[FieldTerm] = "Escribe el plazo en años, solo el número (por ejemplo 20), o déjalo vacío para el plazo más largo."
		return 0
	}
	return n
}

// parseParticipant reads one person's salary, balance, age and sex. recorded
// is their birth date on record (zero for the co-borrower): when the age
// typed is the one it gives, it is used as is.
func parseParticipant(salary, balance, age, sex string, today, recorded portal.Date, co bool, errs map[string]string) prequal.Participant {
	var pa prequal.Participant
	keys := [4]string{FieldSalary, FieldBalance, FieldAge, FieldSex}
	msgs := [4]string{
		"Escribe tu salario mensual en pesos, mayor que 0 y hasta 10,000,000.00, por ejemplo 12000.00.",
		"Escribe tu ahorro en la Subcuenta de Vivienda en pesos, por ejemplo 85000.00 (puede ser 0).",
		"Escribe tu edad en años cumplidos, de 15 a 99.",
		"Elige tu sexo como aparece en tu CURP.",
	}
	if co {
		keys = [4]string{FieldCoSalary, FieldCoBalance, FieldCoAge, FieldCoSex}
		msgs = [4]string{
			"Escribe el salario mensual de la otra persona en pesos, mayor que 0 y hasta 10,000,000.00, por ejemplo 12000.00.",
			"Escribe el ahorro de la otra persona en su Subcuenta de Vivienda en pesos, por ejemplo 85000.00 (puede ser 0).",
			"Escribe la edad de la otra persona en años cumplidos, de 15 a 99.",
			"Elige el sexo de la otra persona como aparece en su CURP.",
		}
	}
	m, err := portal.ParseMoney(salary)
	if err != nil || m <= 0 || m > maxMonthlySalary {
		errs[keys[0]] = msgs[0]
	}
	pa.MonthlySalary = m
	b, err := portal.ParseMoney(balance)
	if err != nil || b < 0 || b > maxBalance {
		errs[keys[1]] = msgs[1]
	}
	pa.Balance = b
	n, err := strconv.Atoi(strings.TrimSpace(age))
	if err != nil || n < minAge || n > maxAge {
		errs[keys[2]] = msgs[2]
	} else {
		pa.BirthDate = birthFor(n, today, recorded)
	}
	pa.Sex = strings.TrimSpace(sex)
	if _, ok := request.SexNames[pa.Sex]; !ok {
		errs[keys[3]] = msgs[3]
	}
	return pa
}

// birthFor is a birth date that makes someone age years old today: the one
// on record when it does, else today's day that many years ago (the day
// before, for a 29 February that year lacks).
func birthFor(age int, today, recorded portal.Date) portal.Date {
	if !recorded.IsZero() && recorded.Before(today) && prequal.Age(recorded, today) == age {
		return recorded
	}
	b := portal.NewDate(today.Y-age, today.M, today.D)
	for prequal.Age(b, today) < age {
		b = b.AddDays(-1)
	}
	return b
}

// simulateField puts a refusal of the simulator at its field: every form
// error prequal can still give once the fields are checked is about the
// term.
func simulateField(err error) string {
	if strings.Contains(portal.ErrorMessage(err), "plazo") {
		return FieldTerm
	}
	return FieldProduct
}
