// Package portal is the shared kernel of micuenta: the error vocabulary every
// layer speaks, money in centavos, calendar dates, the clock, and the
// transaction runner that services use. It depends on nothing else in the
// module so every domain package can import it.
package portal
