package request

import (
	"encoding/json"
	"strconv"

	"micuenta/internal/ident"
	"micuenta/internal/portal"
)

// SolicitudCredito is the credit application (issue 9): filed from
// /mi-cuenta/solicitud-credito by a person who pre-qualifies, it goes
// through five stages while in review — integración del expediente,
// revisión, inscripción, firma de escrituras, crédito ejercido — and its
// approval exercises the credit. The stages, the eligibility and what
// approval writes are internal/origination's; here is only what the
// request carries. The 40 working days are the stages' service levels
// added up (the portal's own: the fund publishes none).
var SolicitudCredito = Type{Prefix: "SCR", Name: "solicitud de crédito", Title: "Solicitud de crédito", DueDays: 40,
	Documents: DocumentsRequired, OneInCourse: true,
	DocumentHint: "Los documentos que pide el crédito que elegiste, cada uno en su campo. En PDF, JPG o PNG, hasta 10 MB cada uno."}

// CreditApplicationData is what a credit application carries: the product
// and the figures the person saw when filing, kept as they were (the
// credit is exercised with them), the dwelling, the seller, the
// appraisal, the co-borrower of an Unamos Créditos as typed, and which
// file is which document.
type CreditApplicationData struct {
	Product     string `json:"producto"`
	ProductName string `json:"producto_nombre"`
	Purpose     string `json:"proposito"` // vivienda or mejora
	On          string `json:"fecha"`     // the day of the quote, YYYY-MM-DD
	Model       string `json:"modelo"`
	Points      int    `json:"puntos"`
	// The credit: the holder's part, held down by the dwelling's value.
	TermYears int   `json:"plazo_anios"`
	RateE6    int64 `json:"tasa_e6"` // annual, a fraction times 1,000,000
	Amount    int64 `json:"monto_centavos"`
	Payment   int64 `json:"mensualidad_centavos"`
	Balance   int64 `json:"ahorro_centavos"` // the subaccount balance the purchase adds (0 for Mejoravit)
	Quoted    int64 `json:"monto_simulado_centavos"`
	Joint     int64 `json:"credito_conjunto_centavos,omitempty"` // Unamos Créditos: both parts
	// The dwelling.
	Address    string `json:"domicilio"`
	State      string `json:"estado"`
	PostalCode string `json:"codigo_postal"`
	Value      int64  `json:"valor_centavos,omitempty"`
	Seller     string `json:"vendedor,omitempty"`
	Appraisal  string `json:"avaluo,omitempty"`
	// Unamos Créditos: the other person, as typed.
	CoNSS     string `json:"coacreditado_nss,omitempty"`
	CoSalary  int64  `json:"coacreditado_salario_centavos,omitempty"`
	CoAge     int    `json:"coacreditado_edad,omitempty"`
	CoSex     string `json:"coacreditado_sexo,omitempty"`
	CoBalance int64  `json:"coacreditado_ahorro_centavos,omitempty"`
	// Documents: which attached file is which.
	Documents []ApplicationDocument `json:"documentos"`
}

// ApplicationDocument is one document of an application: what it is and
// the file attached for it.
type ApplicationDocument struct {
	Code   string `json:"clave"`
	Label  string `json:"documento"`
	File   string `json:"archivo"`
	SHA256 string `json:"sha256"`
}

// SexNames are the CURP's sex codes as the forms offer them.
var SexNames = map[string]string{"M": "Mujer", "H": "Hombre", "X": "No binario"}

// describeApplication lists what a credit application carries.
func describeApplication(data []byte) [][2]string {
	var d CreditApplicationData
	if json.Unmarshal(data, &d) != nil {
		return nil
	}
	money := func(c int64) string { return portal.Money(c).String() }
	rate := portal.Percent(portal.RoundDiv(d.RateE6, 100)) + "% anual, fija"
	rows := [][2]string{{"Crédito", d.ProductName}, {"Monto del crédito", money(d.Amount)}, {"Tasa de interés", rate},
		{"Plazo", strconv.Itoa(d.TermYears) + " años"}, {"Mensualidad", money(d.Payment)}}
	if d.Balance > 0 {
		rows = append(rows, [2]string{"Ahorro de tu Subcuenta de Vivienda", money(d.Balance)})
	}
	if d.Joint > 0 {
		rows = append(rows, [2]string{"Crédito de las dos personas", money(d.Joint)})
	}
	home := d.Address + ", C.P. " + d.PostalCode + ", " + ident.State(d.State).Name()
	rows = append(rows, [2]string{"Vivienda", home})
	if d.Value > 0 {
		rows = append(rows, [2]string{"Valor de la vivienda", money(d.Value)})
	}
	if d.Seller != "" {
		rows = append(rows, [2]string{"Quien vende", d.Seller})
	}
	if d.Appraisal != "" {
		rows = append(rows, [2]string{"Clave del avalúo", d.Appraisal})
	}
	if d.CoNSS != "" {
		rows = append(rows, [2]string{"NSS de la persona con quien unes tu crédito", d.CoNSS})
	}
	if day, err := portal.ParseDate(d.On); err == nil {
		rows = append(rows, [2]string{"Precalificación y simulación del", day.Spanish() + " (" + strconv.Itoa(d.Points) + " puntos)"})
	}
	return rows
}
