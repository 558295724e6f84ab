package statement

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

func TestDescribe(t *testing.T) {
	cases := []struct {
		e    savings.Entry
		want string
	}{
		{savings.Entry{Movement: savings.Movement{Kind: savings.KindAportacion, Period: 20265}, EmployerName: "TACOS EL GÜERO"}, "TACOS EL GÜERO · "},
		{savings.Entry{Movement: savings.Movement{Kind: savings.KindRendimiento, Period: 202512, Days: 365}}, "Año 2025"},
		{savings.Entry{Movement: savings.Movement{Kind: savings.KindRendimiento, Period: 202612, Days: 31}}, "diciembre 2026"},
		{savings.Entry{Movement: savings.Movement{Kind: savings.KindRendimiento, Period: 202611, Days: 30}}, "noviembre 2026"},
		{savings.Entry{Movement: savings.Movement{Kind: savings.KindDevolucion}}, ""},
	}
	for _, c := range cases {
		if got := Describe(c.e); !strings.HasPrefix(got, c.want) || c.want == "" && got != "" {
			t.Errorf("%+v: %q, want %q", c.e.Movement, got, c.want)
		}
	}
}

// The same statement gives the same bytes: nothing in it depends on when
// or where it is rendered but its issue time.
func TestSavingsPDFIsStable(t *testing.T) {
	s := SavingsStatement{Name: "JOSÉ LUIS MUÑOZ PEÑA", MaskedNSS: "*******1237", Filter: "todos",
		Summary: &savings.Summary{Total: 123456, Buckets: []savings.BucketBalance{{Bucket: savings.BucketViv97, Balance: 123456}}, AsOf: portal.NewDate(2026, 11, 17)},
		Entries: []savings.Entry{{Movement: savings.Movement{Kind: savings.KindAportacion, Period: 20265, ValueDate: portal.NewDate(2026, 11, 17), Amount: 158600}, EmployerName: "TACOS EL GÜERO"}},
		Issued:  time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)}
	var a, b bytes.Buffer
	if err := WriteSavings(&a, s); err != nil {
		t.Fatal(err)
	}
	if err := WriteSavings(&b, s); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) {
		t.Fatal("two renders of the same statement differ")
	}
}
