package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"path"

	"micuenta/internal/request"
	"micuenta/internal/web"
)

// newRequestPage is the form that starts a request of one type.
type newRequestPage struct {
	Form    *web.Form
	Type    request.Type
	Current []DetailRow // the data the fund holds (corrections)
	Rights  []choice    // the ARCO rights
}

type choice struct{ Value, Label string }

// newRequestForms are the types a person starts from the portal, by the
// last segment of /mi-cuenta/tramites/nuevo/… (one route each).
var newRequestForms = map[string]struct {
	Type     request.Type
	Template string
	Parse    func(*web.Form) ([]byte, map[string]string)
	Fields   []string
}{
	"correccion": {request.Correccion, "tramite-correccion", func(f *web.Form) ([]byte, map[string]string) {
		return request.ParseCorrection(f.Get("campo"), f.Get("valor"), f.Get("motivo"))
	}, []string{"campo", "valor", "motivo"}},
	"arco": {request.ARCO, "tramite-arco", func(f *web.Form) ([]byte, map[string]string) {
		return request.ParseARCO(f.Get("derecho"), f.Get("detalle"))
	}, []string{"derecho", "detalle"}},
}

func (h *Handler) newRequestData(r *http.Request, t request.Type, form *web.Form) (newRequestPage, error) {
	page := newRequestPage{Form: form, Type: t}
	switch t.Prefix {
	case request.Correccion.Prefix:
		pid := h.personID(r)
		p, err := h.people.FindPersonByID(r.Context(), pid)
		if err != nil {
			return page, err
		}
		page.Current = []DetailRow{{"Nombre", p.FullName()}, {"CURP", p.CURP.Masked()}, {"RFC", p.RFC.Masked()}}
	case request.ARCO.Prefix:
		for _, k := range request.RightOrder {
			page.Rights = append(page.Rights, choice{k, request.RightNames[k]})
		}
	}
	return page, nil
}

func (h *Handler) showNewRequest(w http.ResponseWriter, r *http.Request) {
	spec, ok := newRequestForms[path.Base(r.URL.Path)]
	if !ok {
		h.render.ErrorStatus(w, r, http.StatusNotFound)
		return
	}
	page, err := h.newRequestData(r, spec.Type, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, spec.Template, page)
}

func (h *Handler) submitNewRequest(w http.ResponseWriter, r *http.Request) {
	spec, ok := newRequestForms[path.Base(r.URL.Path)]
	if !ok {
		h.render.ErrorStatus(w, r, http.StatusNotFound)
		return
	}
	form, files, err := web.ParseMultipart(r, maxUploadBody)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	data, errs := spec.Parse(form)
	for _, k := range spec.Fields {
		if msg, ok := errs[k]; ok {
			form.Fail(k, msg)
		}
	}
	ups := h.readUploads(r, files, form)
	if spec.Type.Documents == request.DocumentsRequired && len(ups) == 0 && form.Error("documentos") == "" {
		form.Fail("documentos", "Adjunta el documento que respalda tu solicitud: "+spec.Type.DocumentHint)
	}
	if spec.Type.Documents == request.DocumentsNone && len(ups) > 0 {
		form.Fail("documentos", "Este trámite no lleva documentos.")
	}
	pid := h.personID(r)
	if !form.HasErrors() {
		q, err := h.requests.File(r.Context(), spec.Type, pid, data, ups)
		if err == nil {
			http.Redirect(w, r, "/mi-cuenta/tramites?folio="+q.Folio, http.StatusSeeOther)
			return
		}
		page, perr := h.newRequestData(r, spec.Type, form)
		if perr != nil {
			h.render.Error(w, r, perr)
			return
		}
		h.formFailure(w, r, spec.Template, page, form, "documentos", err)
		return
	}
	page, err := h.newRequestData(r, spec.Type, form)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusBadRequest, spec.Template, page)
}

// PersonalDataExport gathers everything the fund keeps of a person, for
// the ARCO access and portability answer.
type PersonalDataExport interface {
	ExportPerson(ctx context.Context, personID int64) (any, error)
}

// personalDataFile sends the answer to an approved ARCO access or
// portability request: every datum the portal keeps of the person, as
// JSON, a format any program reads.
func (h *Handler) personalDataFile(w http.ResponseWriter, r *http.Request) {
	q, err := h.ownRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if !arcoDownload(q) {
		h.render.ErrorStatus(w, r, http.StatusNotFound)
		return
	}
	data, err := h.export.ExportPerson(r.Context(), q.PersonID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", web.Attachment("mis-datos-"+q.Folio+".json"))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(body)
}
