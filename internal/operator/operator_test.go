package operator

import "testing"

func TestRolesGrantExactlyTheirPermissions(t *testing.T) {
	all := []Permission{WorkRequests, Reassign, SeeAllInRegion, ManageOperators, ReadAudit, SeeAlerts, SeeFigures}
	want := map[Role]map[Permission]bool{
		Operador:      {WorkRequests: true},
		Supervisor:    {WorkRequests: true, Reassign: true, SeeAllInRegion: true, SeeAlerts: true, SeeFigures: true},
		Administrador: {ManageOperators: true, SeeAlerts: true, SeeFigures: true},
		Auditor:       {ReadAudit: true, SeeAlerts: true},
	}
	for role, perms := range want {
		for _, p := range all {
			if got := role.Can(p); got != perms[p] {
				t.Errorf("%s can %s: %v, want %v", role, p, got, perms[p])
			}
		}
	}
	if Role("jefe").Valid() || Role("jefe").Can(WorkRequests) {
		t.Error("an unknown role is granted something")
	}
	disabled := &Operator{Role: Supervisor, Disabled: true}
	if disabled.Can(WorkRequests) {
		t.Error("a disabled operator can work")
	}
	var nobody *Operator
	if nobody.Can(ReadAudit) {
		t.Error("no operator can read the audit")
	}
}

func TestWhoMaySeeAndDecide(t *testing.T) {
	op := &Operator{ID: 1, Role: Operador, Region: "JC"}
	sup := &Operator{ID: 2, Role: Supervisor, Region: "JC"}
	national := &Operator{ID: 3, Role: Supervisor}
	adm := &Operator{ID: 4, Role: Administrador}
	cases := []struct {
		o              *Operator
		assigned       int64
		region         string
		see, mayDecide bool
	}{
		{op, 0, "JC", true, false},   // unassigned in their state: sees, must take it first
		{op, 1, "JC", true, true},    // theirs
		{op, 9, "JC", false, false},  // someone else's
		{op, 0, "NL", false, false},  // another state
		{sup, 9, "JC", true, true},   // supervisor: everything in their state
		{sup, 9, "NL", false, false}, // but not elsewhere
		{national, 9, "NL", true, true},
		{adm, 0, "JC", false, false}, // administrators do not work requests
	}
	for _, c := range cases {
		if got := c.o.MaySee(c.assigned, c.region); got != c.see {
			t.Errorf("%s %d sees a request of %d in %s: %v", c.o.Role, c.o.ID, c.assigned, c.region, got)
		}
		if got := c.o.MayAct(c.assigned, c.region); got != c.mayDecide {
			t.Errorf("%s %d decides a request of %d in %s: %v", c.o.Role, c.o.ID, c.assigned, c.region, got)
		}
	}
}

func TestNewOperatorValidation(t *testing.T) {
	n := New{Email: " Ana@Fondo.Example ", Name: "  Ana   López ", Role: Operador, Region: "jc", Password: "doce-caracteres"}
	if errs := n.Validate(); len(errs) != 0 || n.Email != "ana@fondo.example" || n.Name != "Ana López" || n.Region != "JC" {
		t.Fatalf("valid: %v %+v", errs, n)
	}
	bad := New{Email: "ana", Name: "A", Role: "jefe", Region: "XX", Password: "corta"}
	errs := bad.Validate()
	for _, f := range []string{"correo", "nombre", "rol", "entidad", "contrasena"} {
		if errs[f] == "" {
			t.Errorf("no refusal for %s", f)
		}
	}
}
