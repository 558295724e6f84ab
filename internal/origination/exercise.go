package origination

import (
	"context"
	"encoding/json"
	"fmt"

	"micuenta/internal/credit"
	"micuenta/internal/portal"
	"micuenta/internal/prequal"
	"micuenta/internal/request"
	"micuenta/internal/savings"
)

// Appliers are what approving the service's request types does, by
// prefix, for request.Service.RegisterApplier: approving a credit
// application exercises the credit.
func (s *Service) Appliers() map[string]request.Applier {
	return map[string]request.Applier{request.SolicitudCredito.Prefix: applierFunc(s.applyExercise)}
}

type applierFunc func(ctx context.Context, r *request.Request, a request.Action) (string, error)

func (f applierFunc) Apply(ctx context.Context, r *request.Request, a request.Action) (string, error) {
	return f(ctx, r, a)
}

// creditNumber is the number of a credit the portal exercises:
// YY9NNNNNNN, the year's last two digits, a 9 that keeps it apart from
// the numbers the fund's files bring, and the year's sequence.
func creditNumber(year int, seq int64) (string, error) {
	if seq < 1 || seq > 9_999_999 {
		return "", fmt.Errorf("origination: credit number sequence %d of %d out of range", seq, year)
	}
	return fmt.Sprintf("%02d9%07d", year%100, seq), nil
}

// applyExercise exercises the credit of an application in its last stage,
// inside the approval's transaction: a new peso credit with the amount,
// rate, term and payment of the application, vigente from today, paid by
// payroll discount from the current employer; its disbursement in the
// ledger; and, for a purchase, the subaccount balance of the day applied
// to it (one withdrawal per bucket). It refuses an application that has
// not gone through its stages, or a person who meanwhile got a credit.
func (s *Service) applyExercise(ctx context.Context, r *request.Request, a request.Action) (string, error) {
	var d request.CreditApplicationData
	if err := json.Unmarshal(r.Data, &d); err != nil {
		return "", portal.Wrap(portal.EINVALID, err, "Los datos de la solicitud no se pueden leer.")
	}
	rows, err := s.store.ApplicationStages(ctx, r.ID)
	if err != nil {
		return "", err
	}
	if cur := current(rows); cur != len(Stages)-1 {
		where := "ya pasó por todas"
		if cur < len(Stages) {
			where = "está en «" + Stages[cur].Name + "»"
		}
		return "", portal.Errorf(portal.ECONFLICT, "El crédito se ejerce al terminar la última etapa, «%s»; la solicitud %s. Avánzala etapa por etapa.",
			Stages[len(Stages)-1].Name, where)
	}
	rec, err := s.records(ctx, r.PersonID)
	if err != nil {
		return "", err
	}
	today := s.today()
	st := ApplicantFrom(rec, today)
	if st.Credit != nil {
		return "", portal.Errorf(portal.ECONFLICT, "La persona ya tiene un crédito vigente (%s): no se puede ejercer otro. Rechaza la solicitud.", st.Credit.Number)
	}
	if d.Amount <= 0 || d.TermYears <= 0 || d.Payment <= 0 {
		return "", portal.Errorf(portal.EINVALID, "La solicitud no tiene monto, plazo o mensualidad: recházala y pide a la persona que la presente de nuevo.")
	}
	seq, err := s.store.NextCreditNumber(ctx, today.Y)
	if err != nil {
		return "", err
	}
	number, err := creditNumber(today.Y, seq)
	if err != nil {
		return "", err
	}
	c := credit.Credit{Number: number, PersonID: r.PersonID, Product: d.Product, Denomination: credit.DenomPesos, Origination: today,
		OriginalAmount: portal.Money(d.Amount), AnnualRateBP: rateBP(d.RateE6), TermMonths: d.TermYears * 12,
		MonthlyPayment: portal.Money(d.Payment), DiscountType: credit.DiscountCuotaFija, DiscountFactorE4: d.Payment,
		State: credit.StateVigente}
	if st.Applicant.Employed && st.Job != nil {
		c.EmployerID = st.Job.EmployerID
	}
	if err := s.store.CreateCredit(ctx, &c); err != nil {
		return "", err
	}
	if err := s.store.PostCreditMovements(ctx, []credit.Movement{{CreditID: c.ID, Kind: credit.KindDisposicion, Period: credit.MonthKey(today),
		SourceID: r.ID, ValueDate: today, Amount: portal.Money(d.Amount)}}); err != nil {
		return "", err
	}
	var applied portal.Money
	if d.Purpose == prequal.PurposeVivienda && d.Balance > 0 {
		var ms []savings.Movement
		for _, b := range rec.Buckets {
			if b.Balance > 0 {
				ms = append(ms, savings.Movement{PersonID: r.PersonID, Bucket: b.Bucket, Kind: savings.KindAplicacionCred,
					Period: credit.MonthKey(today), SourceID: r.ID, ValueDate: today, Amount: -b.Balance})
				applied += b.Balance
			}
		}
		if err := s.store.PostSavingsMovements(ctx, ms); err != nil {
			return "", err
		}
	}
	if err := s.store.FinishStage(ctx, r.ID, Stages[len(Stages)-1].Code, s.now().UTC(), a.ActorID); err != nil {
		return "", err
	}
	note := fmt.Sprintf("Tu crédito %s quedó ejercido: %s con una tasa fija de %s anual, a %d años, con una mensualidad de %s. Ya puedes consultarlo en Mi crédito.",
		number, portal.Money(d.Amount), prequal.Percent(d.RateE6), d.TermYears, portal.Money(d.Payment))
	if applied > 0 {
		note += fmt.Sprintf(" A la compra se aplicaron %s de tu Subcuenta de Vivienda.", applied)
	}
	return note, nil
}
