package batch

import (
	"context"
	"errors"
	"io"
	"strings"

	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
)

// PeopleHeader is the people layout (docs/imports.md).
var PeopleHeader = []string{"nss", "curp", "rfc", "nombre", "primer_apellido", "segundo_apellido", "fecha_nacimiento", "sexo", "estado", "pension"}

// EmploymentHeader is the employment-relations layout (docs/imports.md).
var EmploymentHeader = []string{"nss", "registro_patronal", "razon_social", "fecha_alta", "fecha_baja", "salario_diario"}

// RecordStore is what importing people and relations needs.
type RecordStore interface {
	// AddPeople inserts people with new identifiers and reports which were
	// new; a person whose NSS or CURP is registered already is not.
	AddPeople(ctx context.Context, ps []*person.Person) (added []bool, err error)
	PersonIDsByNSS(ctx context.Context, nss []ident.NSS) ([]int64, error)
	EmployerIDs(ctx context.Context, es []employment.Employer) ([]int64, error)
	// PutRelations inserts relations or updates the end date and salary
	// of one already there (a baja after its alta), and reports which
	// changed anything.
	PutRelations(ctx context.Context, rs []employment.Relation) (changed []bool, err error)
}

// RecordImport posts a people or employment file.
type RecordImport struct {
	Store    RecordStore
	Today    portal.Date
	Report   *Report
	Progress Progress
	Size     int64
}

// Run imports a people file (kind "people") or an employment file
// (kind "employment").
func (im *RecordImport) Run(ctx context.Context, kind string, r io.Reader) (Summary, error) {
	var sum Summary
	header := PeopleHeader
	if kind == "employment" {
		header = EmploymentHeader
	}
	sc := newScan(r, header, im.Report, &sum)
	if im.Progress != nil {
		im.Progress.Start(im.Size)
		defer im.Progress.Finish()
	}
	var people []*person.Person
	var jobs []pendingJob
	employers := employerCache{}
	flush := func() error {
		var err error
		if kind == "employment" {
			err = im.postJobs(ctx, jobs, employers, &sum, sc)
			jobs = jobs[:0]
		} else {
			err = im.postPeople(ctx, people, &sum)
			people = people[:0]
		}
		if im.Progress != nil {
			im.Progress.Set(sc.bytesRead())
		}
		return err
	}
	err := sc.run(ctx, func(n int, f []string) (string, string, error) {
		if kind == "employment" {
			j, reject := im.parseJob(n, f)
			if reject != "" {
				return reject, "", nil
			}
			jobs = append(jobs, j)
			if len(jobs) == ResolveRows {
				return "", "", flush()
			}
			return "", "", nil
		}
		p, reject, warn := im.parsePerson(f)
		if reject != "" {
			return reject, "", nil
		}
		people = append(people, p)
		if len(people) == ResolveRows {
			return "", warn, flush()
		}
		return "", warn, nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return sum, err
	}
	return sum, im.Report.Flush()
}

func (im *RecordImport) parsePerson(f []string) (*person.Person, string, string) {
	nss, err := ident.ParseNSS(f[0])
	if err != nil {
		return nil, "El NSS no es válido (11 dígitos con dígito verificador).", ""
	}
	curp, err := ident.ParseCURP(f[1])
	if err != nil {
		return nil, "La CURP no es válida (18 caracteres con dígito verificador).", ""
	}
	rfc, err := ident.ParseRFC(f[2])
	if err != nil && !errors.Is(err, ident.ErrCheckDigit) || rfc.IsMoral() || rfc.IsGeneric() {
		return nil, "El RFC no es el de una persona física (13 caracteres).", ""
	}
	p := &person.Person{NSS: nss, CURP: curp, RFC: rfc, GivenNames: strings.ToUpper(f[3]), FirstSurname: strings.ToUpper(f[4]),
		SecondSurname: strings.ToUpper(f[5]), Sex: strings.ToUpper(f[7]), State: strings.ToUpper(f[8]), PensionStatus: f[9]}
	if p.GivenNames == "" || p.FirstSurname == "" || len(p.GivenNames)+len(p.FirstSurname)+len(p.SecondSurname) > 200 {
		return nil, "Faltan el nombre o el primer apellido, o son demasiado largos.", ""
	}
	if p.BirthDate, err = portal.ParseDate(f[6]); err != nil || im.Today.Before(p.BirthDate) || p.BirthDate.Y < 1900 {
		return nil, "La fecha de nacimiento no es una fecha AAAA-MM-DD válida y pasada.", ""
	}
	if b := portal.CivilDate(curp.BirthDate()); b != p.BirthDate {
		return nil, "La fecha de nacimiento no coincide con la de la CURP.", ""
	}
	if p.Sex != "H" && p.Sex != "M" && p.Sex != "X" || string(curp.Sex()) != p.Sex && p.Sex != "X" {
		return nil, "El sexo debe ser H, M o X y coincidir con la CURP.", ""
	}
	if !ident.State(p.State).Valid() {
		return nil, "El estado debe ser la clave de dos letras de la CURP, por ejemplo JC o DF.", ""
	}
	switch p.PensionStatus {
	case person.PensionNone, person.PensionEnTramite, person.Pensionado:
	default:
		return nil, "La pensión debe quedar vacía o ser en_tramite o pensionado.", ""
	}
	warn := ""
	for _, w := range ident.CrossCheck(nss, curp, rfc) {
		switch w.Code {
		case ident.WarnCURPRFCPrefix:
			warn = "La CURP y el RFC no empiezan igual; se registró como llegó."
		case ident.WarnNSSBirthYear:
			warn = "El año de nacimiento del NSS no es el de la CURP; se registró como llegó."
		}
	}
	return p, "", warn
}

func (im *RecordImport) postPeople(ctx context.Context, ps []*person.Person, sum *Summary) error {
	if len(ps) == 0 {
		return nil
	}
	added, err := im.Store.AddPeople(ctx, ps)
	if err != nil {
		return err
	}
	sum.count(added)
	return nil
}

type pendingJob struct {
	line     int
	nss      ident.NSS
	employer employment.Employer
	rel      employment.Relation
}

func (im *RecordImport) parseJob(n int, f []string) (pendingJob, string) {
	j := pendingJob{line: n}
	var err error
	if j.nss, err = ident.ParseNSS(f[0]); err != nil {
		return j, "El NSS no es válido (11 dígitos con dígito verificador)."
	}
	var reject string
	if j.employer, reject = parseEmployer(f[1], f[2]); reject != "" {
		return j, reject
	}
	if j.rel.Start, err = portal.ParseDate(f[3]); err != nil || im.Today.Before(j.rel.Start) {
		return j, "La fecha de alta no es una fecha AAAA-MM-DD válida y pasada."
	}
	if f[4] != "" {
		if j.rel.End, err = portal.ParseDate(f[4]); err != nil || im.Today.Before(j.rel.End) || j.rel.End.Before(j.rel.Start) {
			return j, "La fecha de baja no es una fecha AAAA-MM-DD válida, pasada y posterior al alta (déjala vacía si sigue vigente)."
		}
	}
	var ok bool
	if j.rel.DailySalary, ok = parseAmount(f[5]); !ok || j.rel.DailySalary == 0 {
		return j, "El salario diario no es una cantidad mayor que cero con dos decimales, por ejemplo 520.00."
	}
	return j, ""
}

func (im *RecordImport) postJobs(ctx context.Context, js []pendingJob, employers employerCache, sum *Summary, sc *scan) error {
	if len(js) == 0 {
		return nil
	}
	nss := make([]ident.NSS, len(js))
	es := make([]employment.Employer, len(js))
	for i, j := range js {
		nss[i], es[i] = j.nss, j.employer
	}
	people, err := im.Store.PersonIDsByNSS(ctx, nss)
	if err != nil {
		return err
	}
	if err := employers.resolve(ctx, im.Store.EmployerIDs, es); err != nil {
		return err
	}
	rs := make([]employment.Relation, 0, len(js))
	for i, j := range js {
		if people[i] == 0 {
			if err := sc.note(j.line, rejectUnknownPerson, ""); err != nil {
				return err
			}
			continue
		}
		r := j.rel
		r.PersonID, r.EmployerID = people[i], employers[j.employer.RegistroPatronal]
		rs = append(rs, r)
	}
	changed, err := im.Store.PutRelations(ctx, rs)
	if err != nil {
		return err
	}
	sum.count(changed)
	return nil
}
