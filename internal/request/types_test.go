package request_test

import (
	"strings"
	"testing"

	"micuenta/internal/request"
)

func TestParseARCO(t *testing.T) {
	if _, errs := request.ParseARCO("", ""); errs["derecho"] == "" {
		t.Error("no right chosen")
	}
	for _, r := range []string{request.RightRectification, request.RightCancellation, request.RightOpposition} {
		if _, errs := request.ParseARCO(r, "  "); errs["detalle"] == "" {
			t.Errorf("%s without a description", r)
		}
	}
	if _, errs := request.ParseARCO(request.RightOpposition, strings.Repeat("ñ", 2001)); errs["detalle"] == "" {
		t.Error("a description over 2000 characters")
	}
	for _, r := range []string{request.RightAccess, request.RightPortability} {
		data, errs := request.ParseARCO(r, "")
		if len(errs) != 0 || !request.ARCO.Instant(data) {
			t.Errorf("%s: %v, instant %v", r, errs, request.ARCO.Instant(data))
		}
	}
	data, _ := request.ParseARCO(request.RightRectification, "Mi domicilio cambió.")
	if request.ARCO.Instant(data) || request.ARCO.DueDays != 20 {
		t.Error("a rectification must wait for an operator, 20 working days")
	}
}

func TestNamePartsMustJoinToTheRequestedName(t *testing.T) {
	n, err := request.NameParts{GivenNames: "maría  de la luz", FirstSurname: "de la cruz", SecondSurname: "PÉREZ"}.Check("MARÍA DE LA LUZ DE LA CRUZ PÉREZ")
	if err != nil || n.GivenNames != "MARÍA DE LA LUZ" || n.FirstSurname != "DE LA CRUZ" {
		t.Fatalf("%+v %v", n, err)
	}
	if _, err := (request.NameParts{GivenNames: "MARÍA", FirstSurname: "CRUZ"}).Check("MARÍA DE LA LUZ CRUZ"); err == nil {
		t.Error("parts that drop words were accepted")
	}
	if _, err := (request.NameParts{GivenNames: "MARÍA"}).Check("MARÍA"); err == nil {
		t.Error("a name without a surname was accepted")
	}
}

func TestCleanFileName(t *testing.T) {
	cases := map[string]string{
		"../../etc/passwd":            "passwd.pdf",
		`C:\Users\ana\Acta Nac.PDF`:   "Acta Nac.pdf",
		"<script>alert(1)</script>.x": "script.pdf", // the part after the last slash
		"....":                        "documento.pdf",
		strings.Repeat("a", 200):      strings.Repeat("a", 80) + ".pdf",
		"constancia.exe":              "constancia.pdf",
	}
	for in, want := range cases {
		if got := request.CleanFileName(in, "pdf"); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
