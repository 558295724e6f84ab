package admin

import (
	"errors"
	"net/http"
	"strconv"

	"micuenta/internal/ident"
	"micuenta/internal/operator"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

// operatorsPage is /admin/operadores (administrators).
type operatorsPage struct {
	Form      *web.Form
	Operators []operatorRow
	Roles     []option
	Regions   []option
	Created   string // the e-mail just created
	Password  string // its temporary password, shown once
	Reset     bool   // the password was reset, not a new account
	Done      string
}

type operatorRow struct {
	ID                          int64
	Name, Email, Role, Region   string
	Enrolled, Disabled, Current bool
}

func (h *Handler) operatorsData(r *http.Request, form *web.Form) (operatorsPage, error) {
	me := current(r).op
	ops, err := h.operators.List(r.Context(), me)
	if err != nil {
		return operatorsPage{}, err
	}
	page := operatorsPage{Form: form, Regions: regionOptions(), Done: r.URL.Query().Get("hecho")}
	for _, role := range []operator.Role{operator.Operador, operator.Supervisor, operator.Administrador, operator.Auditor} {
		page.Roles = append(page.Roles, option{string(role), operator.RoleNames[role]})
	}
	for _, o := range ops {
		region := "Todo el país"
		if o.Region != "" {
			region = ident.State(o.Region).Name()
		}
		page.Operators = append(page.Operators, operatorRow{ID: o.ID, Name: o.Name, Email: o.Email, Role: operator.RoleNames[o.Role],
			Region: region, Enrolled: o.TOTPSecret != nil, Disabled: o.Disabled, Current: o.ID == me.ID})
	}
	return page, nil
}

func (h *Handler) showOperators(w http.ResponseWriter, r *http.Request) {
	page, err := h.operatorsData(r, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "operadores", page)
}

// submitOperators creates an operator, or disables, re-enables or resets
// the second factor of one.
func (h *Handler) submitOperators(w http.ResponseWriter, r *http.Request) {
	form, err := web.ParseForm(r)
	if err != nil {
		h.render.FormError(w, r, err)
		return
	}
	me, ip := current(r).op, web.ClientIP(r)
	id, _ := strconv.ParseInt(form.Get("id"), 10, 64)
	switch action := form.Get("accion"); action {
	case "crear":
		password := operator.TemporaryPassword()
		o, err := h.operators.Create(r.Context(), operator.New{Email: form.Get("correo"), Name: form.Get("nombre"),
			Role: operator.Role(form.Get("rol")), Region: form.Get("entidad"), Password: password, Temporary: true}, me, ip)
		var fe *operator.FieldErrors
		if errors.As(err, &fe) {
			for _, k := range []string{"correo", "nombre", "rol", "entidad"} {
				if msg, ok := fe.Fields[k]; ok {
					form.Fail(k, msg)
				}
			}
			h.renderOperators(w, r, form, http.StatusBadRequest)
			return
		}
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		page, err := h.operatorsData(r, web.NewForm())
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		// The password is shown this once, never stored in the clear nor
		// put in a URL; the operator enrols their second factor at the
		// first sign-in.
		page.Created, page.Password = o.Email, password
		h.render.Render(w, r, http.StatusOK, "operadores", page)
		return
	case "desactivar", "activar":
		err = h.operators.SetDisabled(r.Context(), me, id, action == "desactivar", ip)
	case "restablecer":
		err = h.operators.ResetSecondFactor(r.Context(), me, id, ip)
	case "nueva_contrasena":
		password, err := h.operators.ResetPassword(r.Context(), me, id, ip)
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		target, err := h.operators.Find(r.Context(), id)
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		page, err := h.operatorsData(r, web.NewForm())
		if err != nil {
			h.render.Error(w, r, err)
			return
		}
		page.Created, page.Password, page.Reset = target.Email, password, true
		h.render.Render(w, r, http.StatusOK, "operadores", page)
		return
	default:
		err = portal.Errorf(portal.EINVALID, "Esa acción no existe. Vuelve a cargar la página.")
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/operadores?hecho="+form.Get("accion"), http.StatusSeeOther)
}

func (h *Handler) renderOperators(w http.ResponseWriter, r *http.Request, form *web.Form, status int) {
	page, err := h.operatorsData(r, form)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, status, "operadores", page)
}
