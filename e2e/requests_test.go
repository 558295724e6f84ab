package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"micuenta/internal/ident"
	"micuenta/internal/operator"
	"micuenta/internal/testutil/browser"
	"micuenta/internal/testutil/testdocs"
	"micuenta/internal/totp"
)

const correctionForm = "form[action='/mi-cuenta/tramites/nuevo/correccion']"

// A person asks for an RFC correction in Chromium — the list, the form and
// its errors, a refused file, the document, the new folio, the request's
// page — and an operator resolves it in the back office: the first sign-in
// with its second-factor enrolment, the queue, the request, taking it and
// approving it. The person then sees it approved and the new RFC in their
// record. Every page of both sites is axe-clean.
func TestCorrectionRequestInBrowser(t *testing.T) {
	s, email, password := demoSites(t, 40, 8)
	ctx := context.Background()
	_, p := demoAccount(t, s.a, email)
	oldRFC := p.RFC.String()
	if len(oldRFC) != 13 {
		t.Fatalf("the demo person's RFC %q is not a person's (13 characters)", oldRFC)
	}
	// The same name and birth date with another homoclave, as when the SAT
	// corrects one; its check digit is right so nothing else can refuse it.
	homoclave := "V9"
	if oldRFC[10:12] == homoclave {
		homoclave = "U8"
	}
	dv, err := ident.RFCCheckDigit(oldRFC[:10] + homoclave)
	if err != nil {
		t.Fatal(err)
	}
	newRFC := oldRFC[:10] + homoclave + string(dv)
	// As the portal masks a person's RFC: 4 letters, 6 stars, the homoclave.
	oldMasked, newMasked := p.RFC.Masked(), newRFC[:4]+"******"+newRFC[10:]
	if oldMasked == newMasked {
		t.Fatalf("masked RFCs do not differ: %s", oldMasked)
	}

	dir := t.TempDir()
	constancia := filepath.Join(dir, "constancia-sat.pdf")
	if err := os.WriteFile(constancia, testdocs.PDF(t, "Constancia de situacion fiscal "+newRFC), 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "script.pdf")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho hola\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// The person files the correction.
	b := browser.New(t)
	base := s.base
	signIn(t, b, base, email, password)
	proveDevice(t, b, base)

	b.Navigate(base + "/mi-cuenta/tramites")
	b.CheckA11y("/mi-cuenta/tramites empty")
	b.Navigate(base + "/mi-cuenta/tramites/nuevo/correccion")
	b.CheckA11y("/mi-cuenta/tramites/nuevo/correccion")
	if current := b.Text("main dl"); !strings.Contains(current, oldMasked) {
		t.Fatalf("Tus datos en el Fondo before: want %s in %q", oldMasked, current)
	}
	b.ClickAndWait(correctionForm + " button")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("empty form: %q", b.Title())
	}
	b.CheckA11y("/mi-cuenta/tramites/nuevo/correccion with errors")

	// A script named .pdf is refused at the field.
	b.Click("#campo")
	b.SetValue("#valor", newRFC)
	b.SetValue("#motivo", "El SAT me asignó otra homoclave.")
	b.SetUploadFiles("#documentos", script)
	b.ClickAndWait(correctionForm + " button")
	if !strings.HasPrefix(b.Title(), "Error:") {
		t.Fatalf("script named .pdf: %q", b.Title())
	}
	if msg := b.Text("#documentos-error"); !strings.Contains(msg, "Solo aceptamos archivos PDF, JPG o PNG") {
		t.Fatalf("script named .pdf: the field says %q", msg)
	}
	b.CheckA11y("/mi-cuenta/tramites/nuevo/correccion with a refused file")

	// The form keeps what was typed but not the file; choose again.
	b.Click("#campo")
	b.SetValue("#valor", newRFC)
	b.SetUploadFiles("#documentos", constancia)
	b.ClickAndWait(correctionForm + " button")
	folio := filedFolio(t, b, "COR-")
	b.CheckA11y("/mi-cuenta/tramites with the new folio")
	requestPage := base + "/mi-cuenta/tramites/" + folio
	b.ClickAndWait("table a.mono")
	if main := b.Text("main"); !strings.Contains(main, newRFC) {
		t.Fatalf("request page: want %s in %q", newRFC, main)
	}
	if docs := b.Text("main ul.link-list"); !strings.Contains(docs, "constancia-sat.pdf") {
		t.Fatalf("Documentos: %q", docs)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio}")

	// An operator signs in to the back office for the first time, enrols
	// the second factor and approves the request.
	const opEmail, opPassword = "lucia.operadora@fondo.gob.mx", "Clave-de-operacion-2026"
	if _, err := s.a.Operators.Create(ctx, operator.New{Email: opEmail, Name: "Lucía Operadora", Role: operator.Operador,
		Password: opPassword}, nil, ""); err != nil {
		t.Fatal(err)
	}
	ob := browser.New(t)
	admin := s.admin
	ob.Navigate(admin + "/admin/entrar")
	ob.CheckA11y("/admin/entrar")
	ob.SetValue("#correo", opEmail)
	ob.SetValue("#contrasena", "no-es-la-clave-2026")
	ob.ClickAndWait("form[action='/admin/entrar'] button")
	if !strings.HasPrefix(ob.Title(), "Error:") {
		t.Fatalf("wrong password: %q", ob.Title())
	}
	ob.CheckA11y("/admin/entrar with a wrong password")
	ob.SetValue("#correo", opEmail)
	ob.SetValue("#contrasena", opPassword)
	ob.ClickAndWait("form[action='/admin/entrar'] button")
	if !browser.Eval[bool](ob, `location.pathname === "/admin/entrar/codigo" && document.querySelector("main img[src^='data:image/png']") !== null`) {
		t.Fatalf("enrolment page (%q) has no QR image", ob.Title())
	}
	key := ob.Text("#clave")
	if strings.TrimSpace(key) == "" {
		t.Fatal("enrolment page: no key to type")
	}
	ob.CheckA11y("/admin/entrar/codigo enrolment")
	secret, err := totp.Decode(key)
	if err != nil {
		t.Fatalf("key %q: %v", key, err)
	}
	ob.SetValue("#codigo", totp.Code(secret, time.Now()))
	ob.ClickAndWait("form[action='/admin/entrar/codigo'] button")
	if path := browser.Eval[string](ob, "location.pathname"); path != "/admin/tramites" {
		t.Fatalf("after the code: at %s (%q)", path, ob.Title())
	}
	ob.CheckA11y("/admin/tramites")
	ob.ClickAndWait("table a.mono[href='/admin/tramites/" + folio + "']")
	if main := ob.Text("main"); !strings.Contains(main, newRFC) || !strings.Contains(main, "constancia-sat.pdf") {
		t.Fatalf("back-office request page: %q", main)
	}
	ob.CheckA11y("/admin/tramites/{folio}")
	approveRequest(t, ob, "/admin/tramites/{folio}", "Actualizamos tu RFC.")

	// The person sees the answer and the new RFC in their record.
	b.Navigate(requestPage)
	if state := b.Text("main dl.summary-list dd strong"); state != "Aprobada" {
		t.Fatalf("person's request page: state %q", state)
	}
	if main := b.Text("main"); !strings.Contains(main, "Actualizamos tu RFC.") {
		t.Fatalf("person's request page lacks the operator's message: %q", main)
	}
	b.CheckA11y("/mi-cuenta/tramites/{folio} approved")
	b.Navigate(base + "/mi-cuenta/tramites/nuevo/correccion")
	current := b.Text("main dl")
	if !strings.Contains(current, newMasked) || strings.Contains(current, oldMasked) {
		t.Fatalf("Tus datos en el Fondo after approval: want %s, not %s, in %q", newMasked, oldMasked, current)
	}
	b.CheckA11y("/mi-cuenta/tramites/nuevo/correccion after the correction")
}
