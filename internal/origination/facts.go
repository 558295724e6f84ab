package origination

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"micuenta/internal/ident"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
	"micuenta/internal/servicing"
)

// Facts lists what an operator needs to decide a credit application,
// from the records as they are now: the stage, the pre-qualification
// today, the credit asked for, the savings the purchase would take, the
// other person of an Unamos Créditos as the fund knows them, and which of
// the product's documents are attached. nil for other request types.
func (s *Service) Facts(ctx context.Context, q *request.Request) ([]servicing.Section, error) {
	if q.Kind != request.SolicitudCredito.Prefix {
		return nil, nil
	}
	var d request.CreditApplicationData
	if err := json.Unmarshal(q.Data, &d); err != nil {
		return nil, portal.Wrap(portal.EINVALID, err, "Los datos de la solicitud no se pueden leer.")
	}
	today := s.today()
	rec, err := s.records(ctx, q.PersonID)
	if err != nil {
		return nil, err
	}
	// The application itself is in course: it must not count against
	// its own person as "a credit in process".
	if rec.InCourse != nil && rec.InCourse.ID == q.ID {
		rec.InCourse = nil
	}
	pq, err := s.prequalify(ctx, rec, today)
	if err != nil {
		return nil, err
	}
	steps, _, err := s.Steps(ctx, q)
	if err != nil {
		return nil, err
	}
	sec := servicing.Section{Title: "La solicitud hoy"}
	for _, st := range steps {
		if st.Current {
			sec.Rows = append(sec.Rows, [2]string{"Etapa", st.Name + " · fecha compromiso " + st.DueText()})
		}
	}
	if pr, ok := pq.Product(d.Product); ok {
		v := fmt.Sprintf("%d puntos; %s pide %d y %d bimestres continuos (tiene %d)", pr.Points, pr.Product.Name, pr.MinPoints, pr.MinBimesters,
			pq.Standing.Applicant.ContinuousBimesters)
		if pr.Qualifies {
			v += " · precalifica"
		} else {
			var why []string
			for _, r := range pr.Reasons {
				why = append(why, r.Text)
			}
			v += " · no precalifica: " + strings.Join(why, " ")
		}
		sec.Rows = append(sec.Rows, [2]string{"Precalificación hoy", v})
	}
	sec.Rows = append(sec.Rows,
		[2]string{"Crédito solicitado", fmt.Sprintf("%s (simulado %s) a %s anual, %d años, mensualidad %s", portal.Money(d.Amount),
			portal.Money(d.Quoted), prequal.Percent(d.RateE6), d.TermYears, portal.Money(d.Payment))})
	if d.Purpose == prequal.PurposeVivienda {
		sec.Rows = append(sec.Rows, [2]string{"Ahorro que se aplicaría hoy", pq.Standing.Balance.String() + " (al solicitar: " + portal.Money(d.Balance).String() + ")"})
	}
	if c := pq.Standing.Credit; c != nil {
		sec.Notes = append(sec.Notes, "No se puede ejercer: la persona tiene el crédito vigente "+c.Number+". Rechaza la solicitud.")
	}
	sec.Notes = append(sec.Notes, "Cada etapa se termina con su botón; la última registra el crédito ejercido: crea el crédito con el monto, la tasa, el plazo y la mensualidad de la solicitud, su disposición en el historial del crédito y, en los créditos para comprar, aplica a la compra el ahorro de la Subcuenta de Vivienda de ese día.")
	out := []servicing.Section{sec}
	if d.CoNSS != "" {
		out = append(out, s.coFacts(ctx, d, today))
	}
	docs := servicing.Section{Title: "Documentos que pide " + d.ProductName}
	_, rules, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	attached := map[string]string{}
	for _, doc := range d.Documents {
		attached[doc.Code] = doc.File
	}
	for _, rule := range rules[d.Product] {
		v := attached[rule.Code]
		if v == "" {
			v = "Falta"
		}
		docs.Rows = append(docs.Rows, [2]string{rule.Label, v})
	}
	return append(out, docs), nil
}

// coFacts checks the other person of an Unamos Créditos against the
// fund's records: operators may see them, the applicant may not.
func (s *Service) coFacts(ctx context.Context, d request.CreditApplicationData, today portal.Date) servicing.Section {
	sec := servicing.Section{Title: "La otra persona (Unamos Créditos)", Rows: [][2]string{{"NSS", d.CoNSS},
		{"Según la solicitud", fmt.Sprintf("%s, %d años, salario mensual %s, ahorro %s", request.SexNames[d.CoSex], d.CoAge,
			portal.Money(d.CoSalary), portal.Money(d.CoBalance))}}}
	nss, err := ident.ParseNSS(d.CoNSS)
	if err != nil {
		sec.Notes = append(sec.Notes, "El NSS no es válido.")
		return sec
	}
	p, err := s.store.FindPersonByNSS(ctx, nss)
	if err != nil {
		sec.Notes = append(sec.Notes, "No hay una persona con ese NSS en los registros del Fondo: pide información a la persona o rechaza la solicitud.")
		return sec
	}
	rec, err := s.records(ctx, p.ID)
	if err != nil {
		sec.Notes = append(sec.Notes, portal.ErrorMessage(err))
		return sec
	}
	pq, err := s.prequalify(ctx, rec, today)
	if err != nil {
		sec.Notes = append(sec.Notes, portal.ErrorMessage(err))
		return sec
	}
	st := pq.Standing
	sec.Rows = append(sec.Rows, [2]string{"En los registros del Fondo", fmt.Sprintf("%s, %s, %s años, salario mensual %s, ahorro %s", p.FullName(),
		request.SexNames[p.Sex], strconv.Itoa(pq.Result.Age), prequal.MonthlySalary(st.Applicant.DailySalary), st.Balance)})
	if pr, ok := pq.Product(d.Product); ok {
		if pr.Qualifies {
			sec.Notes = append(sec.Notes, fmt.Sprintf("Precalifica para %s con %d puntos.", pr.Product.Name, pr.Points))
		} else {
			var why []string
			for _, r := range pr.Reasons {
				why = append(why, r.Text)
			}
			sec.Notes = append(sec.Notes, "No precalifica para "+pr.Product.Name+": "+strings.Join(why, " "))
		}
	}
	if pq.Result.Age != d.CoAge || p.Sex != d.CoSex || prequal.MonthlySalary(st.Applicant.DailySalary) != portal.Money(d.CoSalary) || st.Balance != portal.Money(d.CoBalance) {
		sec.Notes = append(sec.Notes, "Las cifras de la solicitud no coinciden con los registros: el monto se calculó con las de la solicitud. Revísalas antes de avanzar.")
	}
	return sec
}
