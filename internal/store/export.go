package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"micuenta/internal/portal"
)

// PersonExport is everything the portal keeps of a person, for the ARCO
// access and portability answer (issue 6): a JSON document any program
// can read. Money is in centavos, instants in UTC (RFC 3339), dates as
// YYYY-MM-DD; identifiers and contacts are unsealed — it is the person's
// own copy. Secrets (password hashes, tokens, codes) and operators'
// internal notes are left out.
type PersonExport struct {
	Generated  time.Time        `json:"generado"`
	Person     map[string]any   `json:"persona"`
	Account    map[string]any   `json:"cuenta,omitempty"`
	Devices    []map[string]any `json:"dispositivos"`
	Sessions   []map[string]any `json:"sesiones"`
	Prefs      []map[string]any `json:"preferencias_de_avisos"`
	Jobs       []map[string]any `json:"relaciones_laborales"`
	Savings    []map[string]any `json:"movimientos_subcuenta_vivienda"`
	Credits    []map[string]any `json:"creditos"`
	CreditMovs []map[string]any `json:"movimientos_de_credito"`
	Requests   []exportRequest  `json:"tramites"`
	Notices    []map[string]any `json:"avisos"`
	History    []map[string]any `json:"historial_de_cambios"`
	Audit      []map[string]any `json:"bitacora_de_seguridad"`
}

type exportRequest struct {
	Folio     string           `json:"folio"`
	Kind      string           `json:"tipo"`
	State     string           `json:"estado"`
	Received  time.Time        `json:"recibido"`
	Due       string           `json:"fecha_compromiso"`
	Data      map[string]any   `json:"datos"`
	Events    []map[string]any `json:"historial"`
	Documents []map[string]any `json:"documentos"`
}

// ExportPerson implements ui.PersonalDataExport.
func (db *DB) ExportPerson(ctx context.Context, personID int64) (any, error) {
	p, err := db.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	x := &PersonExport{Generated: db.clock.Now().UTC(), Person: map[string]any{
		"nss": p.NSS.String(), "curp": p.CURP.String(), "rfc": p.RFC.String(), "nombres": p.GivenNames,
		"primer_apellido": p.FirstSurname, "segundo_apellido": p.SecondSurname, "fecha_nacimiento": p.BirthDate.String(),
		"sexo": p.Sex, "entidad": p.State, "situacion_pension": p.PensionStatus, "ley_pension": p.PensionLaw}}
	one := func(dst *[]map[string]any, q string, args ...any) {
		if err == nil {
			*dst, err = db.exportRows(ctx, q, args...)
		}
	}
	acc, aerr := db.FindAccountByPerson(ctx, personID)
	var accountID int64
	switch {
	case aerr == nil:
		accountID = acc.ID
		x.Account = map[string]any{"correo": acc.Email, "celular": acc.Mobile, "version_terminos": acc.TermsVersion,
			"version_aviso_privacidad": acc.PrivacyVersion, "aceptado": acc.AcceptedAt, "creada": acc.CreatedAt}
	case portal.ErrorCode(aerr) != portal.ENOTFOUND:
		return nil, aerr
	}
	one(&x.Devices, "SELECT user_agent, first_ip, created_at, last_seen_at FROM devices WHERE account_id = ? ORDER BY id", accountID)
	one(&x.Sessions, "SELECT ip, user_agent, created_at, last_seen_at, expires_at FROM sessions WHERE account_id = ? ORDER BY id", accountID)
	one(&x.Prefs, "SELECT contributions_email, contributions_sms, requests_sms, updated_at FROM notification_prefs WHERE account_id = ?", accountID)
	one(&x.Jobs, `SELECT e.registro_patronal, e.razon_social, r.start_date, r.end_date, r.daily_salary AS daily_salary_centavos
		FROM employment_relations r JOIN employers e ON e.id = r.employer_id WHERE r.person_id = ? ORDER BY r.start_date`, personID)
	one(&x.Savings, `SELECT bucket, kind, period, value_date, amount AS amount_centavos, daily_salary AS daily_salary_centavos, days
		FROM savings_movements WHERE person_id = ? ORDER BY value_date, id`, personID)
	one(&x.Credits, `SELECT number, product, denomination, origination_date, original_amount AS original_amount_centavos, annual_rate_bp,
		term_months, monthly_payment AS monthly_payment_centavos, discount_type, state FROM credits WHERE person_id = ? ORDER BY id`, personID)
	one(&x.CreditMovs, `SELECT c.number, m.kind, m.period, m.value_date, m.amount AS amount_centavos FROM credit_movements m
		JOIN credits c ON c.id = m.credit_id WHERE c.person_id = ? ORDER BY m.value_date, m.id`, personID)
	one(&x.Notices, "SELECT kind, subject, body, created_at FROM notices WHERE person_id = ? ORDER BY created_at, id", personID)
	one(&x.Audit, `SELECT at, action, ip, user_agent, detail FROM audit_log WHERE (account_id = ? AND account_id <> 0) OR person_id = ?
		ORDER BY at, id`, accountID, personID)
	if err != nil {
		return nil, fmt.Errorf("store: export person: %w", err)
	}
	if x.History, err = db.exportHistory(ctx, personID); err != nil {
		return nil, err
	}
	if x.Requests, err = db.exportRequests(ctx, personID); err != nil {
		return nil, err
	}
	return x, nil
}

// exportRows reads any query into maps keyed by column name, with
// instants in UTC and dates as text.
func (db *DB) exportRows(ctx context.Context, q string, args ...any) ([]map[string]any, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := map[string]any{}
		for i, c := range cols {
			m[c] = exportValue(c, vals[i])
		}
		out = append(out, m)
	}
	return out, mapError(rows.Err())
}

func exportValue(col string, v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		if strings.HasSuffix(col, "_date") || strings.HasSuffix(col, "_on") {
			return x.Format(time.DateOnly)
		}
		return x.UTC()
	}
	return v
}

func (db *DB) exportHistory(ctx context.Context, personID int64) ([]map[string]any, error) {
	rows, err := db.query(ctx, "SELECT field, old_sealed, new_sealed, changed_at, source FROM person_history WHERE person_id = ? ORDER BY changed_at, id", personID)
	if err != nil {
		return nil, fmt.Errorf("store: export history: %w", err)
	}
	defer rows.Close()
	out := []map[string]any{}
	for rows.Next() {
		var field, source string
		var oldS, newS []byte
		var at timeValue
		if err := rows.Scan(&field, &oldS, &newS, &at, &source); err != nil {
			return nil, fmt.Errorf("store: export history: %w", err)
		}
		old, err1 := db.vault.Open("person_history", oldS)
		val, err2 := db.vault.Open("person_history", newS)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("store: export history: cannot open a sealed value")
		}
		out = append(out, map[string]any{"dato": field, "anterior": old, "nuevo": val, "fecha": at.t, "origen": source})
	}
	return out, mapError(rows.Err())
}

func (db *DB) exportRequests(ctx context.Context, personID int64) ([]exportRequest, error) {
	rs, err := db.RequestsOf(ctx, personID)
	if err != nil {
		return nil, err
	}
	out := []exportRequest{}
	for _, r := range rs {
		x := exportRequest{Folio: r.Folio, Kind: r.Kind, State: string(r.State), Received: r.ReceivedAt, Due: r.DueOn.String(), Data: map[string]any{}}
		_ = json.Unmarshal(r.Data, &x.Data)
		if x.Events, err = db.exportRows(ctx, `SELECT at, actor, from_state, to_state, message FROM request_events
			WHERE request_id = ? AND internal = 0 ORDER BY at, id`, r.ID); err != nil {
			return nil, err
		}
		if x.Documents, err = db.exportRows(ctx, `SELECT file_name, kind, size, sha256, uploaded_by, uploaded_at FROM request_documents
			WHERE request_id = ? ORDER BY id`, r.ID); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
