// Package account owns portal accounts: registration, sign-in, one-time
// codes, recovery, sessions and devices, and the password rules. An account
// belongs to one person of the fund's registry; deleting it never touches
// the person's records.
package account
