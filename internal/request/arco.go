package request

import (
	"encoding/json"
	"strings"
)

// ARCO is the request for the rights over one's personal data under the
// Ley General de Protección de Datos Personales en Posesión de Sujetos
// Obligados (DOF 20 March 2025): access, rectification, cancellation and
// opposition, plus portability. The answer is due within 20 working days
// (the timetable public-sector notices reproduce; peers.md §7). Access and
// portability are answered at once: the portal itself hands over the
// file with every datum it keeps of the person.
var ARCO = Type{Prefix: "ARC", Name: "derechos ARCO", Title: "Derechos ARCO y portabilidad", DueDays: 20,
	Documents:    DocumentsOptional,
	DocumentHint: "Si pides rectificar un dato, adjunta el documento que muestra el dato correcto. En PDF, JPG o PNG, hasta 10 MB.",
	Instant: func(data []byte) bool {
		var d ARCOData
		_ = json.Unmarshal(data, &d)
		return d.Right == RightAccess || d.Right == RightPortability
	},
	InstantMessage: "Tu archivo con todos los datos personales que el Fondo guarda de ti está listo. Descárgalo desde este trámite."}

// ARCO rights.
const (
	RightAccess         = "acceso"
	RightRectification  = "rectificacion"
	RightCancellation   = "cancelacion"
	RightOpposition     = "oposicion"
	RightPortability    = "portabilidad"
	maxARCODetailLength = 2000
)

// RightNames are the rights as people read them.
var RightNames = map[string]string{
	RightAccess:        "Acceso: saber qué datos personales tiene el Fondo de mí",
	RightRectification: "Rectificación: corregir un dato personal",
	RightCancellation:  "Cancelación: que el Fondo deje de tener un dato personal",
	RightOpposition:    "Oposición: que el Fondo deje de usar un dato para un fin",
	RightPortability:   "Portabilidad: recibir todos mis datos en un archivo",
}

// RightOrder is the order the rights are offered in.
var RightOrder = []string{RightAccess, RightRectification, RightCancellation, RightOpposition, RightPortability}

// ARCOData is what an ARCO request carries.
type ARCOData struct {
	Right  string `json:"derecho"`
	Detail string `json:"detalle"`
}

// Downloadable reports whether an ARCO request hands over the data file.
func (d ARCOData) Downloadable() bool { return d.Right == RightAccess || d.Right == RightPortability }

// ParseARCO validates an ARCO form; errs maps form fields to Spanish
// messages. Rectification, cancellation and opposition must say which
// data and why; access and portability need nothing more.
func ParseARCO(right, detail string) (data []byte, errs map[string]string) {
	errs = map[string]string{}
	detail = strings.TrimSpace(detail)
	if _, ok := RightNames[right]; !ok {
		errs["derecho"] = "Elige el derecho que quieres ejercer."
	}
	switch {
	case len([]rune(detail)) > maxARCODetailLength:
		errs["detalle"] = "Describe tu solicitud en 2000 caracteres o menos."
	case detail == "" && (right == RightRectification || right == RightCancellation || right == RightOpposition):
		errs["detalle"] = "Di qué dato quieres rectificar o cancelar, o a qué uso te opones, y por qué."
	}
	if len(errs) > 0 {
		return nil, errs
	}
	data, _ = json.Marshal(ARCOData{Right: right, Detail: detail})
	return data, nil
}
