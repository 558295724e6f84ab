package appointment

// Service is a kind of appointment a centre may offer. The values are the
// codes used in centres.csv and stored with each booking, so they never
// change once published.
type Service string

// The services offered at the centres.
const (
	Identity  Service = "identidad"
	Documents Service = "documentos"
	Deeds     Service = "escrituras"
	Credit    Service = "credito"
	Refund    Service = "devolucion"
)

// ServiceInfo is what a person reads when choosing a service.
type ServiceInfo struct {
	Kind        Service
	Name        string
	Description string
}

// Services lists every service in the order they are offered on screen.
var Services = []ServiceInfo{
	{Identity, "Verificar mi identidad (recuperar el acceso a Mi Cuenta)",
		"Lleva una identificación oficial vigente; un asesor confirma que eres tú y te ayuda a entrar de nuevo."},
	{Documents, "Entregar documentos de un trámite",
		"Lleva los documentos originales que te pidieron y el folio de tu trámite."},
	{Deeds, "Entrega de escrituras",
		"Recoge las escrituras de tu vivienda cuando tu crédito ya está liquidado; lleva una identificación oficial vigente."},
	{Credit, "Asesoría para mi crédito",
		"Resuelve dudas sobre tus pagos, tu saldo o qué hacer si tienes dificultades para pagar."},
	{Refund, "Devolución de mi ahorro",
		"Te orientamos para solicitar la devolución de tu ahorro para la vivienda; lleva una identificación oficial vigente."},
}

func (s Service) info() (ServiceInfo, bool) {
	for _, i := range Services {
		if i.Kind == s {
			return i, true
		}
	}
	return ServiceInfo{}, false
}

// Valid reports whether s is one of Services.
func (s Service) Valid() bool { _, ok := s.info(); return ok }

// Name is the service's name in Spanish; empty for an unknown service.
func (s Service) Name() string { i, _ := s.info(); return i.Name }

// Description is the one-line Spanish explanation; empty for an unknown
// service.
func (s Service) Description() string { i, _ := s.info(); return i.Description }
