// Package appointment is the domain of appointments at the fund's service
// centres, the CESI (issue 10): the centres and the services each offers,
// kept as data; the slots a centre offers on a given day; and the calendar
// file sent with a booking. It holds no state and touches no database: the
// store keeps bookings and local closures and asks this package which slots
// exist.
//
// Every centre keeps its own wall clock. Mexico has five zones in use and
// the border cities follow United States daylight saving time, so a slot is
// defined by the centre's local hours and turned into a UTC instant with the
// centre's IANA zone, never by a fixed offset.
package appointment

// The zone database is embedded so that the centres' zones load on any
// host, including minimal containers with no /usr/share/zoneinfo.
import _ "time/tzdata"
