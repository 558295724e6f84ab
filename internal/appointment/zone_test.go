package appointment

import (
	"testing"
	"time"
)

func TestWhen(t *testing.T) {
	for _, tc := range []struct {
		zone string
		at   time.Time
		want string
	}{
		{"America/Mexico_City", time.Date(2026, 12, 7, 15, 30, 0, 0, time.UTC), "lunes 7 de diciembre de 2026, 09:30 (hora local)"},
		{"America/Tijuana", time.Date(2026, 7, 15, 15, 30, 0, 0, time.UTC), "miércoles 15 de julio de 2026, 08:30 (hora local)"},
		{"America/Cancun", time.Date(2026, 9, 19, 13, 30, 0, 0, time.UTC), "sábado 19 de septiembre de 2026, 08:30 (hora local)"},
		// Late evening UTC is still the previous day on the centre's clock.
		{"America/Hermosillo", time.Date(2027, 1, 1, 2, 0, 0, 0, time.UTC), "jueves 31 de diciembre de 2026, 19:00 (hora local)"},
	} {
		if got := centre(tc.zone).When(tc.at); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.zone, got, tc.want)
		}
	}
}

func TestLocalTimeUnknownZoneFallsBackToMexicoCity(t *testing.T) {
	at := time.Date(2026, 12, 7, 15, 30, 0, 0, time.UTC)
	if got := LocalTime(at, "America/Atlantida").Format("15:04 MST"); got != "09:30 CST" {
		t.Errorf("got %s", got)
	}
}

func TestServices(t *testing.T) {
	want := map[Service]string{
		"identidad":  "Verificar mi identidad (recuperar el acceso a Mi Cuenta)",
		"documentos": "Entregar documentos de un trámite",
		"escrituras": "Entrega de escrituras",
		"credito":    "Asesoría para mi crédito",
		"devolucion": "Devolución de mi ahorro",
	}
	if len(Services) != len(want) {
		t.Errorf("%d services, want %d", len(Services), len(want))
	}
	for s, name := range want {
		if !s.Valid() || s.Name() != name || s.Description() == "" {
			t.Errorf("%s: valid %v, name %q, description %q", s, s.Valid(), s.Name(), s.Description())
		}
	}
	if s := Service("hipoteca"); s.Valid() || s.Name() != "" {
		t.Errorf("unknown service accepted")
	}
}
