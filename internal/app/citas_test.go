package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/app"
	"micuenta/internal/operator"
	"micuenta/internal/request"
	"micuenta/internal/testutil/testdocs"
)

// Monday 7 December 2026, 10:00 in Mexico City.
var citasMonday = time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC)

var slotRe = regexp.MustCompile(`name="horario" value="([A-Z0-9-]+@\d+)"`)

// slotsOn lists the slot values a booking page offers.
func slotsOn(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range slotRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func lastCodeTo(t *testing.T, a *app.App, to string) string {
	t.Helper()
	_, body := lastMessageTo(t, a, to)
	return codeRe.FindString(body)
}

func TestAppointmentPages(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, clock, email, password := portalWithClock(t, engine)
			clock.Set(citasMonday)
			ctx := context.Background()
			b := signedIn(t, a, email, password)
			if rec := b.do("GET", "/mi-cuenta/citas", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "No tienes citas por venir") {
				t.Fatalf("empty list: %d", rec.Code)
			}
			if rec := b.do("GET", "/mi-cuenta/citas/nueva?servicio=nada&entidad=DF", nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#servicio"`) {
				t.Fatalf("unknown service: %d", rec.Code)
			}
			acc, _ := a.DB.FindAccountByEmail(ctx, email)
			q, err := a.Requests.File(ctx, request.Correccion, acc.PersonID, []byte(`{"campo":"rfc","valor":"X"}`),
				[]request.Upload{testdocs.Upload(t, "csf.pdf", testdocs.PDF(t, "CSF"))})
			if err != nil {
				t.Fatal(err)
			}
			page := b.do("GET", "/mi-cuenta/citas/nueva?servicio=documentos&entidad=DF&folio="+q.Folio, nil).Body.String()
			slots := slotsOn(t, page)
			if len(slots) < 4 || !strings.Contains(page, q.Folio) {
				t.Fatalf("slots offered: %d", len(slots))
			}
			if rec := b.do("POST", "/mi-cuenta/citas/nueva", url.Values{"servicio": {"documentos"}, "entidad": {"DF"}, "horario": {"DF01@12"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#horario"`) {
				t.Fatalf("a made-up slot: %d", rec.Code)
			}
			rec := b.do("POST", "/mi-cuenta/citas/nueva", url.Values{"servicio": {"documentos"}, "entidad": {"DF"}, "folio": {q.Folio}, "horario": {slots[3]}})
			loc := rec.Header().Get("Location")
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/mi-cuenta/citas/CIT-") {
				t.Fatalf("book: %d %s", rec.Code, rec.Body.String())
			}
			code := strings.TrimSuffix(strings.TrimPrefix(loc, "/mi-cuenta/citas/"), "?agendada=1")
			body := b.do("GET", loc, nil).Body.String()
			if !strings.Contains(body, "Tu cita está agendada") || !strings.Contains(body, q.Folio) || !strings.Contains(body, "(hora local)") {
				t.Fatal("confirmation page")
			}
			subject, mail := lastMessageTo(t, a, email)
			if !strings.Contains(subject, code) || !strings.Contains(mail, "/mi-cuenta/citas/"+code+"/cita.ics") {
				t.Fatalf("confirmation e-mail: %q", subject)
			}
			ics := b.do("GET", "/mi-cuenta/citas/"+code+"/cita.ics", nil)
			if ics.Code != 200 || !strings.HasPrefix(ics.Header().Get("Content-Type"), "text/calendar") || !strings.Contains(ics.Body.String(), "UID:"+code) {
				t.Fatalf("ics: %d", ics.Code)
			}
			// Another person cannot see it.
			other := accountFor(t, a, acc.PersonID+1)
			if code := other.do("GET", "/mi-cuenta/citas/"+code, nil).Code; code != 404 {
				t.Fatalf("someone else's appointment: %d", code)
			}
			// The back office sees it in the centre's agenda and records the
			// visit; the result lands on the request's timeline.
			newOperator(t, a, "op@fondo.example", operator.Operador, "")
			newOperator(t, a, "sup@fondo.example", operator.Supervisor, "")
			op := staffSignIn(t, a, clock, "op@fondo.example")
			appt, centre, _ := a.Bookings.Lookup(ctx, code)
			day := appt.Start.In(centre.Location()).Format("2006-01-02")
			if body := op.do("GET", "/admin/citas?centro="+centre.Code+"&dia="+day, nil).Body.String(); !strings.Contains(body, code) {
				t.Fatal("the agenda misses the appointment")
			}
			// A day that is not a date is answered at the field, with
			// today's agenda below it.
			if rec := op.do("GET", "/admin/citas?centro="+centre.Code+"&dia=el+martes", nil); rec.Code != http.StatusBadRequest ||
				!strings.Contains(rec.Body.String(), "<title>Error: Agenda de citas") || !strings.Contains(rec.Body.String(), `href="#dia"`) ||
				!strings.Contains(rec.Body.String(), "Escribe el día como 2026-12-24") {
				t.Fatalf("a day that is not a date: %d", rec.Code)
			}
			rec = op.do("POST", "/admin/citas/"+code, url.Values{"accion": {"atendida"}})
			if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "error=") {
				t.Fatalf("attended without a result: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			back, _, _ := strings.Cut(rec.Header().Get("Location"), "#") // browsers keep the fragment
			if body := op.do("GET", back, nil).Body.String(); !strings.Contains(body, "Escribe el resultado de la visita") {
				t.Fatal("the agenda does not say why it refused")
			}
			if rec := op.do("POST", "/admin/citas/"+code, url.Values{"accion": {"atendida"}, "resultado": {"Entregó su constancia."}}); rec.Code != http.StatusSeeOther || strings.Contains(rec.Header().Get("Location"), "error=") {
				t.Fatalf("attended: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			events, _ := a.Requests.FullTimeline(ctx, q)
			if last := events[len(events)-1]; !last.Internal || !strings.Contains(last.Message, "Entregó su constancia.") {
				t.Fatalf("the visit is not on the request: %+v", last)
			}
			// Operators do not edit centres; supervisors do.
			if code := op.do("GET", "/admin/centros/DF01", nil).Code; code != http.StatusForbidden {
				t.Fatalf("operator edits a centre: %d", code)
			}
			sup := staffSignIn(t, a, clock, "sup@fondo.example")
			if rec := sup.do("POST", "/admin/centros/DF01", url.Values{"accion": {"lugares"}, "lugares_identidad": {"-1"}, "lugares_documentos": {"2"},
				"lugares_escrituras": {"0"}, "lugares_credito": {"1"}, "lugares_devolucion": {"1"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `href="#lugares_identidad"`) {
				t.Fatalf("negative places: %d", rec.Code)
			}
			closedDay := citasMonday.AddDate(0, 0, 2).Format("2006-01-02") // Wednesday
			if rec := sup.do("POST", "/admin/centros/DF01", url.Values{"accion": {"cerrar"}, "dia": {closedDay}, "motivo": {"Fumigación"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("close a day: %d %s", rec.Code, rec.Body.String())
			}
			df01 := 0
			for _, s := range slotsOn(t, b.do("GET", "/mi-cuenta/citas/nueva?servicio=identidad&entidad=DF", nil).Body.String()) {
				if code, unix, _ := strings.Cut(s, "@"); code == "DF01" {
					df01++
					n, _ := strconv.ParseInt(unix, 10, 64)
					if day := time.Unix(n, 0).In(centre.Location()).Format("2006-01-02"); day == closedDay {
						t.Fatal("a closed day is offered")
					}
				}
			}
			if df01 == 0 {
				t.Fatal("DF01 offers no slots at all, so the closure was not checked")
			}
		})
	}
}

// People who cannot sign in book at /citas with their NSS, CURP and a
// code sent to a contact they give; a wrong CURP or code gets a clear
// answer and books nothing.
func TestPublicAppointmentBooking(t *testing.T) {
	a, clock, _, _ := portalWithClock(t, "sqlite")
	clock.Set(citasMonday)
	ctx := context.Background()
	p, _ := a.DB.FindPersonByID(ctx, 12)
	b := newBrowser(t, a.Site)
	if rec := b.do("GET", "/citas", nil); rec.Code != 200 {
		t.Fatalf("start: %d", rec.Code)
	}
	if rec := b.do("POST", "/citas", url.Values{"nss": {"123"}, "curp": {"x"}, "contacto": {"nada"}}); rec.Code != 400 ||
		!strings.Contains(rec.Body.String(), `href="#nss"`) || !strings.Contains(rec.Body.String(), `href="#contacto"`) {
		t.Fatalf("bad fields: %d", rec.Code)
	}
	other, _ := a.DB.FindPersonByID(ctx, 13)
	if rec := b.do("POST", "/citas", url.Values{"nss": {p.NSS.String()}, "curp": {other.CURP.String()}, "contacto": {"ana@correo.example"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "no coinciden") {
		t.Fatalf("another person's CURP: %d", rec.Code)
	}
	if rec := b.do("GET", "/citas/horario", nil); rec.Code != 400 {
		t.Fatalf("slots without a flow: %d", rec.Code)
	}
	if rec := b.do("POST", "/citas", url.Values{"nss": {p.NSS.String()}, "curp": {p.CURP.String()}, "contacto": {"ana@correo.example"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("start: %d %s", rec.Code, rec.Body.String())
	}
	if rec := b.do("GET", "/citas/horario", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/citas/codigo" {
		t.Fatalf("slots before the code: %d", rec.Code)
	}
	if rec := b.do("POST", "/citas/codigo", url.Values{"codigo": {"000000"}}); rec.Code != 400 {
		t.Fatalf("wrong code: %d", rec.Code)
	}
	if rec := b.do("POST", "/citas/codigo", url.Values{"codigo": {lastCodeTo(t, a, "ana@correo.example")}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("code: %d %s", rec.Code, rec.Body.String())
	}
	slots := slotsOn(t, b.do("GET", "/citas/horario?servicio=identidad&entidad="+p.State, nil).Body.String())
	if len(slots) == 0 {
		t.Fatal("no slots offered")
	}
	rec := b.do("POST", "/citas/horario", url.Values{"servicio": {"identidad"}, "entidad": {p.State}, "horario": {slots[len(slots)-1]}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Tu cita está agendada") {
		t.Fatalf("book: %d %s", rec.Code, rec.Body.String())
	}
	code := regexp.MustCompile(`CIT-\d{4}-\d{6}-[0-9A-Z]`).FindString(rec.Body.String())
	if subject, _ := lastMessageTo(t, a, "ana@correo.example"); !strings.Contains(subject, code) {
		t.Fatalf("confirmation to the given contact: %q", subject)
	}
	// The flow ended with the booking.
	if rec := b.do("POST", "/citas/horario", url.Values{"servicio": {"identidad"}, "entidad": {p.State}, "horario": {slots[0]}}); rec.Code != 400 {
		t.Fatalf("a second booking on the same flow: %d", rec.Code)
	}
}
