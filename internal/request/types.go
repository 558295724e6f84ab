package request

// DocumentRule says whether a request type needs a supporting document.
type DocumentRule int

// Document rules.
const (
	DocumentsNone DocumentRule = iota
	DocumentsOptional
	DocumentsRequired
)

// Type declares a request type once (issue 6): its folio prefix, its name
// and texts, whether it needs a document, whether it resolves instantly
// and its service level in working days. Each type's form is parsed and
// validated by its own Parse function (ParseCorrection, ParseARCO).
type Type struct {
	Prefix string
	Name   string // as in "tu trámite de …", lower case
	Title  string // as a heading
	// DueDays is the service level in working days from the day received.
	DueDays   int
	Documents DocumentRule
	// DocumentHint tells the person which document to attach.
	DocumentHint string
	// Instant, when set, reports whether a request with these data is
	// resolved by the portal at once, with InstantMessage for the person.
	Instant        func(data []byte) bool
	InstantMessage string
	// OneInCourse allows a person one request of the type in course at a
	// time (received, in review or waiting for them); Service.File
	// refuses a second.
	OneInCourse bool
}

// Types are every request type, by prefix.
var Types = map[string]Type{Correccion.Prefix: Correccion, ARCO.Prefix: ARCO,
	Conversion.Prefix: Conversion, Prorroga.Prefix: Prorroga, ProteccionPagos.Prefix: ProteccionPagos,
	Escrituras.Prefix: Escrituras, PagosExceso.Prefix: PagosExceso, DevolucionAhorro.Prefix: DevolucionAhorro,
	SolicitudCredito.Prefix: SolicitudCredito}
