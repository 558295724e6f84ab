// Package request is the one workflow every trámite runs on (issue 6): a
// request has a type, an owner, a folio people can read over the phone, a
// state that only the domain moves, a timeline of events, and a due date
// counted in working days. This file holds the states and who may move a
// request from one to another.
package request

import (
	"micuenta/internal/portal"
)

// State is where a request stands.
type State string

// The states (issue 6).
const (
	Recibida     State = "recibida"
	EnRevision   State = "en_revision"
	RequiereInfo State = "requiere_informacion"
	Aprobada     State = "aprobada"
	Rechazada    State = "rechazada"
	Concluida    State = "concluida"
	Cancelada    State = "cancelada"
)

// Names are the states as people read them.
var Names = map[State]string{
	Recibida:     "Recibida",
	EnRevision:   "En revisión",
	RequiereInfo: "Requiere información",
	Aprobada:     "Aprobada",
	Rechazada:    "Rechazada",
	Concluida:    "Concluida",
	Cancelada:    "Cancelada",
}

// Actor is who asks for a transition.
type Actor string

// Actors.
const (
	Owner    Actor = "titular"  // the person the request belongs to
	Operator Actor = "operador" // fund staff working the request
	System   Actor = "sistema"  // the portal itself (instant requests, time-outs)
)

// transitions lists, for each state, where each actor may take it.
var transitions = map[State]map[State][]Actor{
	Recibida:     {EnRevision: {Operator, System}, Aprobada: {System}, Rechazada: {System}, Cancelada: {Owner}},
	EnRevision:   {RequiereInfo: {Operator}, Aprobada: {Operator}, Rechazada: {Operator}, Cancelada: {Owner}},
	RequiereInfo: {EnRevision: {Owner, Operator}, Rechazada: {Operator, System}, Cancelada: {Owner}},
	Aprobada:     {Concluida: {Operator, System}},
	Rechazada:    {Concluida: {Operator, System}},
}

// InCourse reports whether a request in s is still being worked:
// received, in review, or waiting for the person.
func (s State) InCourse() bool { return s == Recibida || s == EnRevision || s == RequiereInfo }

// Final reports whether a request in s can no longer change.
func (s State) Final() bool { return s == Concluida || s == Cancelada }

// Valid reports whether s is one of the states.
func (s State) Valid() bool { _, ok := Names[s]; return ok }

// CanMove reports whether actor may take a request from one state to
// another.
func CanMove(from, to State, actor Actor) bool {
	for _, a := range transitions[from][to] {
		if a == actor {
			return true
		}
	}
	return false
}

// Move checks a transition and answers, in Spanish, why it is refused: the
// domain decides, whatever a handler or a tampered form asks for.
func Move(from, to State, actor Actor) error {
	if !from.Valid() || !to.Valid() {
		return portal.Errorf(portal.EINVALID, "Ese estado de trámite no existe.")
	}
	if CanMove(from, to, actor) {
		return nil
	}
	switch {
	case from.Final():
		return portal.Errorf(portal.ECONFLICT, "Este trámite ya está %s y no puede cambiar.", lower(Names[from]))
	case to == Cancelada && actor != Owner:
		return portal.Errorf(portal.EFORBIDDEN, "Solo la persona titular puede cancelar su trámite.")
	case from == to:
		return portal.Errorf(portal.ECONFLICT, "El trámite ya está %s.", lower(Names[from]))
	}
	return portal.Errorf(portal.ECONFLICT, "Un trámite %s no puede pasar a %s.", lower(Names[from]), lower(Names[to]))
}

func lower(s string) string {
	r := []rune(s)
	if len(r) > 0 && r[0] >= 'A' && r[0] <= 'Z' {
		r[0] += 'a' - 'A'
	}
	return string(r)
}
