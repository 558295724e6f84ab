package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"micuenta/internal/appointment"
	"micuenta/internal/operator"
	"micuenta/internal/testutil/browser"
)

const (
	slotForm        = "form[method='post'][action='/mi-cuenta/citas/nueva'] button[type='submit']"
	publicSlotForm  = "form[method='post'][action='/citas/horario'] button[type='submit']"
	searchForm      = "form[method='get'] button"
	appointmentPath = "/mi-cuenta/citas/"
)

var appointmentCode = regexp.MustCompile(`CIT-\d{4}-\d{6}-[0-9A-Z]`)

// Appointments at the service centres in Chromium, every page axe-clean.
// The demo account books identity verification in its state (the search
// and its error state, the slots, the confirmation and its calendar file)
// and cancels it; it books again, and a supervisor finds the appointment
// in the centre's agenda, records it as attended with its result and is
// refused a negative number of places in the centre's settings. Someone
// without an account books at /citas with their NSS, CURP and a code sent
// to the contact they give.
func TestAppointmentsInBrowser(t *testing.T) {
	s, email, password := demoSites(t, 40, 21)
	ctx := context.Background()
	a := s.a
	_, p := demoAccount(t, a, email)
	base := s.base

	b := browser.New(t)
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

	b.Navigate(base + "/mi-cuenta/citas")
	if main := b.Text("main"); !strings.Contains(main, "No tienes citas por venir") {
		t.Fatalf("/mi-cuenta/citas before booking: %q", main)
	}
	b.CheckA11y("/mi-cuenta/citas empty")
	b.ClickAndWait("a.button[href='/mi-cuenta/citas/nueva']")
	if path := browser.Eval[string](b, "location.pathname"); path != "/mi-cuenta/citas/nueva" {
		t.Fatalf("Agendar una cita went to %s", path)
	}
	if region := browser.Eval[string](b, `document.getElementById("entidad").value`); region != p.State {
		t.Fatalf("the state offered first is %q, the person's is %q", region, p.State)
	}
	b.CheckA11y("/mi-cuenta/citas/nueva")

	// No service chosen: an error, and nothing offered.
	b.Navigate(base + "/mi-cuenta/citas/nueva?servicio=&entidad=")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("no service: title %q", b.Title())
	}
	if msg := b.Text("#servicio-error"); !strings.Contains(msg, "Elige el servicio") {
		t.Fatalf("no service: the field says %q", msg)
	}
	if n := browser.Eval[int](b, `document.querySelectorAll("input[name='horario']").length`); n != 0 {
		t.Fatalf("no service: %d slots offered", n)
	}
	b.CheckA11y("/mi-cuenta/citas/nueva without a service")

	// Identity verification in the person's state; the booking is cancelled
	// afterwards, which the portal allows until two hours before.
	searchSlots(t, b, "identidad", p.State)
	b.CheckA11y("/mi-cuenta/citas/nueva slots")
	slot := pickSlot(t, b, time.Now().Add(appointment.ChangeUntil+10*time.Minute))
	b.ClickAndWait(slotForm)
	code := bookedCode(t, b)
	checkBooked(t, a.Bookings, code, slot, p.ID)
	if notice := b.Text("main .notice"); !strings.Contains(notice, "Tu cita está agendada") || !strings.Contains(notice, code) {
		t.Fatalf("confirmation notice: %q", notice)
	}
	if state := b.Text("main dl.summary-list dd strong"); state != "Agendada" {
		t.Fatalf("new appointment: state %q", state)
	}
	if !browser.Eval[bool](b, `[...document.querySelectorAll("main a")].some(l => l.textContent.trim() === "Cambiar la fecha o el centro")`) {
		t.Fatalf("no link to move the appointment: %q", b.Text("main"))
	}
	b.CheckA11y("/mi-cuenta/citas/{code} just booked")

	ics := browser.Eval[string](b, `(() => { const l = [...document.querySelectorAll("main a")].find(l => l.textContent.trim() === "Agregar a mi calendario (archivo .ics)"); return l ? l.pathname : ""; })()`)
	if ics != appointmentPath+code+"/cita.ics" {
		t.Fatalf("calendar link %q", ics)
	}
	file := browser.Eval[string](b, "fetch("+strconv.Quote(ics)+").then(r => r.ok ? r.text() : 'HTTP ' + r.status)")
	if !strings.HasPrefix(file, "BEGIN:VCALENDAR") || !strings.Contains(file, code) {
		t.Fatalf("calendar file: %.300q", file)
	}

	b.ClickAndWait("button[value='cancelar']")
	if path := browser.Eval[string](b, "location.pathname"); path != "/mi-cuenta/citas" {
		t.Fatalf("after cancelling: at %s (%q) %q", path, b.Title(), b.Text("main"))
	}
	if main := b.Text("main"); !strings.Contains(main, "No tienes citas por venir") || !strings.Contains(main, "Anteriores") {
		t.Fatalf("after cancelling: %q", main)
	}
	if caption := listedState(t, b, code); !strings.HasPrefix(caption, "Cancelada") {
		t.Fatalf("cancelled appointment listed as %q", caption)
	}
	b.CheckA11y("/mi-cuenta/citas with a cancelled appointment")

	// Booked again and kept: the back office sees it.
	b.Navigate(base + "/mi-cuenta/citas/nueva")
	searchSlots(t, b, "identidad", p.State)
	slot = pickSlot(t, b, time.Time{})
	b.ClickAndWait(slotForm)
	code = bookedCode(t, b)
	checkBooked(t, a.Bookings, code, slot, p.ID)
	appt, centre, err := a.Bookings.Lookup(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	day := appt.Start.In(centre.Location()).Format("2006-01-02")

	const supervisorEmail, opPassword = "sara.supervisora@fondo.gob.mx", "Clave-de-operacion-2026"
	if _, err := a.Operators.Create(ctx, operator.New{Email: supervisorEmail, Name: "Sara Supervisora", Role: operator.Supervisor,
		Password: opPassword}, nil, ""); err != nil {
		t.Fatal(err)
	}
	sb := operatorSignIn(t, s.admin, supervisorEmail, opPassword)
	sb.Navigate(s.admin + "/admin/citas?centro=" + centre.Code + "&dia=" + day)
	row := "#cita-" + code
	if !browser.Eval[bool](sb, `document.querySelector(`+strconv.Quote(row)+`) !== null`) {
		t.Fatalf("the agenda of %s on %s lacks %s: %q", centre.Code, day, code, sb.Text("main"))
	}
	if state := agendaState(t, sb, row); !strings.HasPrefix(state, "Agendada") {
		t.Fatalf("agenda: %s is %q", code, state)
	}
	sb.CheckA11y("/admin/citas")
	const result = "Verificó su identidad con su INE; se le ayudó a entrar."
	sb.SetValue("#resultado-"+code, result)
	sb.ClickAndWait(row + " button[value='atendida']")
	if strings.HasPrefix(sb.Title(), "Error:") {
		t.Fatalf("recording the visit: %q", sb.Text("main"))
	}
	if notice := sb.Text("main .notice"); !strings.Contains(notice, code) {
		t.Fatalf("after recording the visit: notice %q", notice)
	}
	if state := agendaState(t, sb, row); !strings.HasPrefix(state, "Atendida") || !strings.Contains(state, result) {
		t.Fatalf("after recording the visit: %s is %q", code, state)
	}
	sb.CheckA11y("/admin/citas after recording a visit")

	sb.ClickAndWait("main a[href='/admin/centros/" + centre.Code + "']")
	if h := sb.Text("main h1"); h != centre.Name {
		t.Fatalf("centre page heading %q, want %q", h, centre.Name)
	}
	sb.CheckA11y("/admin/centros/{code}")
	sb.SetValue("#lugares_identidad", "-1")
	sb.ClickAndWait("button[value='lugares']")
	if !strings.HasPrefix(sb.Title(), "Error:") {
		t.Fatalf("negative places: title %q", sb.Title())
	}
	if msg := sb.Text("#lugares_identidad-error"); !strings.Contains(msg, "de 0 a 50") {
		t.Fatalf("negative places: the field says %q", msg)
	}
	sb.CheckA11y("/admin/centros/{code} with errors")

	// Without an account.
	who, err := a.DemoRegistrant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const contact = "visita@correo.example"
	nb := browser.New(t)
	nb.Navigate(base + "/citas")
	nb.CheckA11y("/citas")
	nb.ClickAndWait("form[action='/citas'] button")
	if !strings.HasPrefix(nb.Title(), "Error:") {
		t.Fatalf("empty /citas: title %q", nb.Title())
	}
	for _, field := range []string{"nss", "curp", "contacto"} {
		if !browser.Eval[bool](nb, `document.querySelector(".error-summary a[href='#`+field+`']") !== null`) {
			t.Fatalf("empty /citas: no error for %s: %q", field, nb.Text("main"))
		}
	}
	nb.CheckA11y("/citas with errors")
	nb.SetValue("#nss", who.NSS.String())
	nb.SetValue("#curp", who.CURP.String())
	nb.SetValue("#contacto", contact)
	nb.ClickAndWait("form[action='/citas'] button")
	if path := browser.Eval[string](nb, "location.pathname"); path != "/citas/codigo" {
		t.Fatalf("after /citas: at %s (%q) %q", path, nb.Title(), nb.Text("main"))
	}
	nb.CheckA11y("/citas/codigo")
	sent := codeTo(t, nb, base, contact)
	nb.Navigate(base + "/citas/codigo")
	nb.SetValue("#codigo", sent)
	nb.ClickAndWait("form[action='/citas/codigo'] button")
	if path := browser.Eval[string](nb, "location.pathname"); path != "/citas/horario" {
		t.Fatalf("after the code: at %s (%q) %q", path, nb.Title(), nb.Text("main"))
	}
	nb.CheckA11y("/citas/horario")
	searchSlots(t, nb, "identidad", who.State)
	nb.CheckA11y("/citas/horario slots")
	slot = pickSlot(t, nb, time.Time{})
	nb.ClickAndWait(publicSlotForm)
	done := nb.Text("main")
	if !strings.Contains(done, "Tu cita está agendada") {
		t.Fatalf("public booking (%q): %q", nb.Title(), done)
	}
	public := appointmentCode.FindString(done)
	if public == "" {
		t.Fatalf("public booking: no appointment code in %q", done)
	}
	checkBooked(t, a.Bookings, public, slot, who.ID)
	nb.CheckA11y("/citas/horario booked")
}

// searchSlots chooses a service and a state on the booking page and asks
// for the free slots.
func searchSlots(t *testing.T, b *browser.Browser, service, region string) {
	t.Helper()
	b.SetValue("#servicio", service)
	b.SetValue("#entidad", region)
	b.ClickAndWait(searchForm)
	if strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("searching %s in %s: %q", service, region, b.Text("main"))
	}
	if h := b.Text("main h2"); h != "Horarios disponibles" {
		t.Fatalf("searching %s in %s: heading %q", service, region, h)
	}
}

// pickSlot chooses the first slot offered that starts after after and
// returns its value, "CENTRE@unix".
func pickSlot(t *testing.T, b *browser.Browser, after time.Time) string {
	t.Helper()
	id := browser.Eval[string](b, `(() => {
		const r = [...document.querySelectorAll("input[name='horario']")].find(i => Number(i.value.split("@")[1]) > `+strconv.FormatInt(after.Unix(), 10)+`);
		return r ? r.id : "";
	})()`)
	if id == "" {
		t.Fatalf("no slot after %s offered: %q", after.Format(time.RFC3339), b.Text("main"))
	}
	b.Click("#" + id)
	if !browser.Eval[bool](b, `document.getElementById(`+strconv.Quote(id)+`).checked`) {
		t.Fatalf("slot %s not chosen", id)
	}
	return browser.Eval[string](b, `document.getElementById(`+strconv.Quote(id)+`).value`)
}

// bookedCode checks the browser is on a just-booked appointment's page and
// returns its code.
func bookedCode(t *testing.T, b *browser.Browser) string {
	t.Helper()
	path := browser.Eval[string](b, "location.pathname")
	code := strings.TrimPrefix(path, appointmentPath)
	if !appointmentCode.MatchString(code) || appointmentCode.FindString(code) != code {
		t.Fatalf("after booking: at %s (%q) %q", path, b.Title(), b.Text("main"))
	}
	if q := browser.Eval[string](b, "location.search"); q != "?agendada=1" {
		t.Fatalf("after booking: query %q", q)
	}
	return code
}

// checkBooked checks the appointment code is the person's, booked at the
// slot chosen.
func checkBooked(t *testing.T, bookings *appointment.Bookings, code, slot string, personID int64) {
	t.Helper()
	appt, centre, err := bookings.Lookup(context.Background(), code)
	if err != nil {
		t.Fatalf("%s: %v", code, err)
	}
	if got := centre.Code + "@" + strconv.FormatInt(appt.Start.Unix(), 10); got != slot || appt.PersonID != personID {
		t.Fatalf("%s is %s for person %d, want %s for person %d", code, got, appt.PersonID, slot, personID)
	}
}

// listedState is the caption (state and code) of an appointment in
// /mi-cuenta/citas.
func listedState(t *testing.T, b *browser.Browser, code string) string {
	t.Helper()
	return browser.Eval[string](b, `(() => {
		const li = [...document.querySelectorAll("main li")].find(li => li.querySelector("a[href='/mi-cuenta/citas/`+code+`']"));
		return li ? li.querySelector(".caption").textContent.trim() : "";
	})()`)
}

// agendaState is the state cell of an appointment's row in the agenda.
func agendaState(t *testing.T, b *browser.Browser, row string) string {
	t.Helper()
	return browser.Eval[string](b, `(document.querySelector(`+strconv.Quote(row)+`)?.cells[5]?.textContent || "").trim()`)
}

// codeTo reads the newest code the demo mailbox holds for one recipient.
func codeTo(t *testing.T, b *browser.Browser, base, to string) string {
	t.Helper()
	b.Navigate(base + "/dev/buzon")
	b.CheckA11y("/dev/buzon")
	body := browser.Eval[string](b, `(() => {
		const m = [...document.querySelectorAll("main article")].find(a => a.querySelector("h2").textContent.includes(`+strconv.Quote(to)+`));
		return m ? m.querySelector("pre").textContent : "";
	})()`)
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(body)
	if code == "" {
		t.Fatalf("no code for %s in the mailbox: %q", to, body)
	}
	return code
}
