package portal

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Bimestre is one of the six two-month periods in which employers pay
// contributions (1 = January–February … 6 = November–December).
type Bimestre struct {
	Year int
	N    int // 1..6
}

// ParseBimestre reads the "YYYY-B" form used in the fund's files.
func ParseBimestre(s string) (Bimestre, error) {
	y, n, ok := strings.Cut(strings.TrimSpace(s), "-")
	yy, err1 := strconv.Atoi(y)
	nn, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(n) != 1 || nn < 1 || nn > 6 || yy < 1972 {
		return Bimestre{}, Errorf(EINVALID, "El bimestre %q no es válido; usa AAAA-B con B del 1 al 6.", s)
	}
	return Bimestre{yy, nn}, nil
}

// BimestreOf returns the bimester that contains date d.
func BimestreOf(d Date) Bimestre { return Bimestre{d.Y, (int(d.M)-1)/2 + 1} }

// Key is the integer stored in the database: YYYYB, e.g. 20253.
func (b Bimestre) Key() int { return b.Year*10 + b.N }

// BimestreFromKey is the inverse of Key.
func BimestreFromKey(k int) Bimestre { return Bimestre{k / 10, k % 10} }

// Next returns the following bimester.
func (b Bimestre) Next() Bimestre {
	if b.N == 6 {
		return Bimestre{b.Year + 1, 1}
	}
	return Bimestre{b.Year, b.N + 1}
}

// Before reports whether b comes before o.
func (b Bimestre) Before(o Bimestre) bool { return b.Key() < o.Key() }

// First is the first day of the bimester.
func (b Bimestre) First() Date { return NewDate(b.Year, monthOf(b.N), 1) }

// Last is the last day of the bimester.
func (b Bimestre) Last() Date { return b.Next().First().AddDays(-1) }

// Days is the number of days in the bimester (59 to 62).
func (b Bimestre) Days() int {
	return int(b.Next().First().Time().Sub(b.First().Time()).Hours() / 24)
}

func monthOf(n int) time.Month { return time.Month(2*n - 1) }

// String is the file form "YYYY-B".
func (b Bimestre) String() string { return fmt.Sprintf("%04d-%d", b.Year, b.N) }

var bimestreNombres = [...]string{"enero–febrero", "marzo–abril", "mayo–junio", "julio–agosto", "septiembre–octubre", "noviembre–diciembre"}

// Spanish names the bimester for people: "3.º bimestre 2025 (mayo–junio)".
func (b Bimestre) Spanish() string {
	return fmt.Sprintf("%d.º bimestre %d (%s)", b.N, b.Year, bimestreNombres[b.N-1])
}
