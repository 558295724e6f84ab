package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/web"
)

// The mix: what each arriving visitor does, by share of visits. It is
// written down in BENCHMARKS.md; keep the two together.
//
//   - 62% a returning person on a browser they used before: sign-in,
//     summary, savings, then some of employment, the calculator, the
//     savings statement PDF, pre-qualification, and — for borrowers — the
//     credit summary, a monthly statement PDF or the interest certificate
//     PDF; 60% sign out, the rest just leave.
//   - 8% a person on a new device: sign-in, a code by e-mail or SMS read
//     from what the portal sent, summary.
//   - 10% a mistyped password, then the right one.
//   - 3% a registration, start to end, with both codes read from what the
//     portal sent and the human check solved.
//   - 5% a trámite: sign-in, the requests page, the data-portability
//     request (answered at once) and its file.
//   - 12% anonymous: the home page, help, appointments, verification.
//
// Between pages a visitor thinks for an exponentially distributed time
// (mean --think, at most four times it).
type mix struct {
	ds          *dataset
	mail        *mailbox
	think       time.Duration
	nextReg     atomic.Int64 // registrations take registrants in turn
	nextDevice  atomic.Int64 // new-device sign-ins take users in turn
	codeTimeout time.Duration
}

// codeDelivery is the wait reported for codes: from the request that
// sends one to its arrival in the mailbox (outbox, worker, transport).
const codeDelivery = "Code delivery, from asking to the code arriving"

var (
	challengeRe = regexp.MustCompile(`name="dato" value="([^"]+)"`)
	statementRe = regexp.MustCompile(`href="(/mi-cuenta/credito/estados-de-cuenta/[^"/]+)"`)
	interestRe  = regexp.MustCompile(`href="(/mi-cuenta/credito/constancia-intereses/[^"/]+)"`)
)

// visit runs one visitor's session.
func (m *mix) visit(v *visitor, rng *rand.Rand) {
	switch p := rng.IntN(100); {
	case p < 62:
		m.returning(v, rng, m.randomUser(rng))
	case p < 70:
		m.newDevice(v, rng)
	case p < 80:
		m.mistyped(v, rng)
	case p < 83:
		m.register(v, rng)
	case p < 88:
		m.tramite(v, rng)
	default:
		m.anonymous(v, rng)
	}
}

// registrations are the registrations begun and the visits that meant
// to register but found no registrant left (and browsed anonymously).
func (m *mix) registrations() (begun, short int) {
	n, have := int(m.nextReg.Load()), len(m.ds.registrants)
	return min(n, have), max(0, n-have)
}

func (m *mix) randomUser(rng *rand.Rand) user { return m.ds.users[rng.IntN(len(m.ds.users))] }

// pause is a visitor reading the page.
func (m *mix) pause(rng *rand.Rand) {
	if m.think <= 0 {
		return
	}
	d := time.Duration(rng.ExpFloat64() * float64(m.think))
	time.Sleep(min(d, 4*m.think))
}

func chance(rng *rand.Rand, percent int) bool { return rng.IntN(100) < percent }

// maybe opens a page (expecting 200) in percent of visits, then reads it.
func (m *mix) maybe(v *visitor, rng *rand.Rand, percent int, path string) {
	if chance(rng, percent) {
		v.get("GET "+path, path, 200)
		m.pause(rng)
	}
}

// signIn signs a known browser in: password only.
func signIn(v *visitor, u user) bool {
	v.cookies[web.DeviceCookie] = u.device
	v.get("GET /ingresar", "/ingresar", 200)
	a := v.post("POST /ingresar", "/ingresar", url.Values{"identificador": {u.email}, "contrasena": {password}}, 303)
	return a.location == "/mi-cuenta"
}

func (m *mix) returning(v *visitor, rng *rand.Rand, u user) {
	if !signIn(v, u) {
		return
	}
	v.get("GET /mi-cuenta", "/mi-cuenta", 200)
	m.pause(rng)
	v.get("GET /mi-cuenta/ahorro", "/mi-cuenta/ahorro", 200)
	m.pause(rng)
	m.maybe(v, rng, 40, "/mi-cuenta/relaciones-laborales")
	m.maybe(v, rng, 25, "/mi-cuenta/ahorro/calculadora")
	m.maybe(v, rng, 12, "/mi-cuenta/ahorro/movimientos.pdf")
	m.maybe(v, rng, 15, "/mi-cuenta/precalificacion")
	if u.borrower && chance(rng, 70) {
		v.get("GET /mi-cuenta/credito", "/mi-cuenta/credito", 200)
		m.pause(rng)
		if chance(rng, 35) {
			list := v.get("GET /mi-cuenta/credito/estados-de-cuenta", "/mi-cuenta/credito/estados-de-cuenta", 200)
			m.pause(rng)
			if links := statementRe.FindAllStringSubmatch(list.body, -1); len(links) > 0 && chance(rng, 60) {
				v.get("GET /mi-cuenta/credito/estados-de-cuenta/{mes}", links[rng.IntN(min(len(links), 6))][1], 200)
				m.pause(rng)
			}
		}
		if chance(rng, 10) {
			list := v.get("GET /mi-cuenta/credito/constancia-intereses", "/mi-cuenta/credito/constancia-intereses", 200)
			m.pause(rng)
			if links := interestRe.FindAllStringSubmatch(list.body, -1); len(links) > 0 {
				v.get("GET /mi-cuenta/credito/constancia-intereses/{archivo}", links[0][1], 200)
				m.pause(rng)
			}
		}
	}
	if chance(rng, 60) {
		v.post("POST /salir", "/salir", url.Values{}, 303)
	}
}

// newDevice signs in from a browser the account has not used: the portal
// asks for a code, which the visitor reads from the message it sent.
func (m *mix) newDevice(v *visitor, rng *rand.Rand) {
	// In turn, not at random: two visitors proving a browser for the
	// same account at once would each read the other's code.
	u := m.ds.users[int(m.nextDevice.Add(1))%len(m.ds.users)]
	v.get("GET /ingresar", "/ingresar", 200)
	a := v.post("POST /ingresar (new device)", "/ingresar", url.Values{"identificador": {u.email}, "contrasena": {password}}, 303)
	if !strings.HasPrefix(a.location, "/ingresar/dispositivo") {
		return
	}
	v.get("GET /ingresar/dispositivo", "/ingresar/dispositivo", 200)
	m.pause(rng)
	channel, to := "correo", u.email
	if chance(rng, 50) {
		channel, to = "celular", u.mobile
	}
	sent := time.Now()
	v.post("POST /ingresar/dispositivo (send)", "/ingresar/dispositivo", url.Values{"accion": {"enviar"}, "canal": {channel}}, 303)
	code, err := m.mail.waitCode(to, sent, m.codeTimeout)
	if err != nil {
		v.rec.wait(codeDelivery, time.Since(sent), err.Error())
		return
	}
	v.rec.wait(codeDelivery, time.Since(sent), "")
	m.pause(rng)
	a = v.post("POST /ingresar/dispositivo (confirm)", "/ingresar/dispositivo", url.Values{"accion": {"confirmar"}, "codigo": {code}}, 303)
	if a.location == "/mi-cuenta" {
		v.get("GET /mi-cuenta", "/mi-cuenta", 200)
	}
}

func (m *mix) mistyped(v *visitor, rng *rand.Rand) {
	u := m.randomUser(rng)
	v.cookies[web.DeviceCookie] = u.device
	v.get("GET /ingresar", "/ingresar", 200)
	v.post("POST /ingresar (wrong password)", "/ingresar", url.Values{"identificador": {u.email}, "contrasena": {"Pozole-Carga-2025!"}}, 400)
	m.pause(rng)
	if a := v.post("POST /ingresar", "/ingresar", url.Values{"identificador": {u.email}, "contrasena": {password}}, 303); a.location == "/mi-cuenta" {
		v.get("GET /mi-cuenta", "/mi-cuenta", 200)
	}
}

// register goes through the five steps of /registro.
func (m *mix) register(v *visitor, rng *rand.Rand) {
	i := m.nextReg.Add(1) - 1
	if int(i) >= len(m.ds.registrants) {
		m.anonymous(v, rng) // none left: the report says how many (registrations)
		return
	}
	r := m.ds.registrants[i]
	page := v.get("GET /registro", "/registro", 200)
	ch := challengeRe.FindStringSubmatch(page.body)
	if ch == nil {
		return
	}
	work := account.SolveWork(ch[1], account.PowBits) // the browser's share of the human check
	m.pause(rng)
	a := v.post("POST /registro", "/registro", url.Values{"nss": {r.nss}, "curp": {r.curp}, "rfc": {r.rfc}, "dato": {ch[1]}, "trabajo": {work}}, 303)
	if a.location != "/registro/nombre" {
		return
	}
	v.get("GET /registro/nombre", "/registro/nombre", 200)
	m.pause(rng)
	v.post("POST /registro/nombre", "/registro/nombre", url.Values{"respuesta": {"si"}}, 303)
	v.get("GET /registro/contacto", "/registro/contacto", 200)
	m.pause(rng)
	sent := time.Now()
	if a := v.post("POST /registro/contacto", "/registro/contacto", url.Values{"correo": {r.email}, "celular": {r.mobile}}, 303); a.status != 303 {
		return
	}
	emailCode, err1 := m.mail.waitCode(r.email, sent, m.codeTimeout)
	smsCode, err2 := m.mail.waitCode(r.mobile, sent, m.codeTimeout)
	if err1 != nil || err2 != nil {
		v.rec.wait(codeDelivery, time.Since(sent), fmt.Sprint(err1, err2))
		return
	}
	v.rec.wait(codeDelivery, time.Since(sent), "")
	v.get("GET /registro/codigos", "/registro/codigos", 200)
	m.pause(rng)
	v.post("POST /registro/codigos", "/registro/codigos", url.Values{"codigo_correo": {emailCode}, "codigo_celular": {smsCode}}, 303)
	v.get("GET /registro/contrasena", "/registro/contrasena", 200)
	m.pause(rng)
	a = v.post("POST /registro/contrasena", "/registro/contrasena", url.Values{"contrasena": {"Tamales#" + fmt.Sprint(2026+i%50)},
		"confirmacion": {"Tamales#" + fmt.Sprint(2026+i%50)}, "acepto": {"si"}}, 303)
	if a.status == 303 {
		v.get("GET /mi-cuenta", "/mi-cuenta", 200)
	}
}

// tramite files the data-portability request, which the portal answers at
// once, and downloads the file.
func (m *mix) tramite(v *visitor, rng *rand.Rand) {
	u := m.randomUser(rng)
	if !signIn(v, u) {
		return
	}
	v.get("GET /mi-cuenta", "/mi-cuenta", 200)
	m.pause(rng)
	v.get("GET /mi-cuenta/tramites", "/mi-cuenta/tramites", 200)
	m.pause(rng)
	v.get("GET /mi-cuenta/tramites/nuevo/{tipo}", "/mi-cuenta/tramites/nuevo/arco", 200)
	m.pause(rng)
	a := v.upload("POST /mi-cuenta/tramites/nuevo/{tipo}", "/mi-cuenta/tramites/nuevo/arco", url.Values{"derecho": {"portabilidad"}}, "documentos", nil, 303)
	folio := strings.TrimPrefix(a.location, "/mi-cuenta/tramites?folio=")
	if folio == "" || folio == a.location {
		return
	}
	v.get("GET /mi-cuenta/tramites?folio=", a.location, 200)
	m.pause(rng)
	v.get("GET /mi-cuenta/tramites/{folio}", "/mi-cuenta/tramites/"+folio, 200)
	v.get("GET /mi-cuenta/tramites/{folio}/mis-datos.json", "/mi-cuenta/tramites/"+folio+"/mis-datos.json", 200)
}

func (m *mix) anonymous(v *visitor, rng *rand.Rand) {
	v.get("GET /", "/", 200)
	m.pause(rng)
	m.maybe(v, rng, 50, "/ayuda")
	m.maybe(v, rng, 30, "/citas")
	m.maybe(v, rng, 10, "/verificar")
}
