package ui

import (
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"micuenta/internal/portal"
	"micuenta/internal/request"
	"micuenta/internal/upload"
	"micuenta/internal/web"
)

// Uploads: up to three files per form, each checked by upload.Check; the
// body limit of these routes leaves room for them and the form.
const (
	maxFilesPerForm = 3
	maxUploadBody   = maxFilesPerForm*upload.MaxSize + 1<<20
)

// requestsPage is /mi-cuenta/tramites.
type requestsPage struct {
	Requests []requestRow
	Filed    string // the folio just filed
}

type requestRow struct {
	Folio, Kind, State, Received, Due string
	Final                             bool
}

func kindName(prefix string) string { return request.Types[prefix].Title }

func (h *Handler) showRequests(w http.ResponseWriter, r *http.Request) {
	pid := h.personID(r)
	rs, err := h.requests.Mine(r.Context(), pid)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page := requestsPage{Filed: r.URL.Query().Get("folio")}
	for _, q := range rs {
		page.Requests = append(page.Requests, requestRow{Folio: q.Folio, Kind: kindName(q.Kind), State: request.Names[q.State],
			Received: portal.DateOf(q.ReceivedAt).Spanish(), Due: q.DueOn.Spanish(), Final: q.State.Final()})
	}
	h.render.Render(w, r, http.StatusOK, "tramites", page)
}

// requestPage is /mi-cuenta/tramites/{folio}.
type requestPage struct {
	Form      *web.Form
	Folio     string
	Kind      string
	State     string
	Due       string
	Detail    []DetailRow
	Events    []eventRow
	Documents []DocumentRow
	DataFile  bool           // an ARCO access or portability answer to download
	Next      *nextStep      // what to do next (book the visit for approved deeds)
	Steps     []request.Step // the stages of a credit application, with their due dates
	CanAnswer bool
	CanCancel bool
}

// DetailRow is one labelled value of a request page (both sites).
type DetailRow struct{ Label, Value string }

type eventRow struct{ When, State, Who, Message string }

// DocumentRow is one attached file as a page lists it (both sites).
type DocumentRow struct {
	ID               int64
	Name, Size, When string
}

var actorNames = map[request.Actor]string{request.Owner: "Tú", request.Operator: "Personal del Fondo", request.System: "Mi Cuenta"}

// ownRequest loads a request of the signed-in person; anyone else's, or a
// folio that does not exist, is the same 404.
func (h *Handler) ownRequest(r *http.Request) (*request.Request, error) {
	pid := h.personID(r)
	q, err := h.requests.Find(r.Context(), r.PathValue("folio"))
	if err != nil || q.PersonID != pid {
		return nil, portal.Errorf(portal.ENOTFOUND, "No encontramos ese trámite entre los tuyos. Revisa el folio en tu lista de trámites.")
	}
	return q, nil
}

// RequestDetail lists what a request carries, for both sites.
func RequestDetail(q *request.Request) []DetailRow {
	switch q.Kind {
	case request.Correccion.Prefix:
		var d request.CorrectionData
		if json.Unmarshal(q.Data, &d) != nil {
			return nil
		}
		rows := []DetailRow{{"Dato a corregir", request.FieldNames[d.Field]}, {"Valor correcto", d.Value}}
		if d.Reason != "" {
			rows = append(rows, DetailRow{"Motivo", d.Reason})
		}
		return rows
	case request.ARCO.Prefix:
		var d request.ARCOData
		if json.Unmarshal(q.Data, &d) != nil {
			return nil
		}
		rows := []DetailRow{{"Derecho", request.RightNames[d.Right]}}
		if d.Detail != "" {
			rows = append(rows, DetailRow{"Tu solicitud", d.Detail})
		}
		return rows
	}
	// The requests after the credit (issue 8) describe themselves.
	pairs, _ := request.Describe(q.Kind, q.Data)
	var rows []DetailRow
	for _, p := range pairs {
		rows = append(rows, DetailRow{p[0], p[1]})
	}
	return rows
}

// DocumentRows lists a request's files for a page.
func DocumentRows(docs []request.Document) []DocumentRow {
	var out []DocumentRow
	for _, d := range docs {
		out = append(out, DocumentRow{ID: d.ID, Name: d.FileName, Size: humanSize(d.Size), When: portal.DateOf(d.UploadedAt).Spanish()})
	}
	return out
}

func humanSize(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt((n+1023)/1024, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// arcoDownload reports whether a request hands the person their data file.
func arcoDownload(q *request.Request) bool {
	if q.Kind != request.ARCO.Prefix || (q.State != request.Aprobada && q.State != request.Concluida) {
		return false
	}
	var d request.ARCOData
	return json.Unmarshal(q.Data, &d) == nil && d.Downloadable()
}

func (h *Handler) requestData(r *http.Request, q *request.Request, form *web.Form) (requestPage, error) {
	page := requestPage{Form: form, Folio: q.Folio, Kind: kindName(q.Kind), State: request.Names[q.State], Due: q.DueOn.Spanish(),
		Detail: RequestDetail(q), DataFile: arcoDownload(q),
		CanAnswer: q.State == request.RequiereInfo, CanCancel: request.CanMove(q.State, request.Cancelada, request.Owner)}
	events, err := h.requests.Timeline(r.Context(), q)
	if err != nil {
		return page, err
	}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		page.Events = append(page.Events, eventRow{When: portal.DateOf(e.At).Spanish() + " " + e.At.In(portal.MexicoCity).Format("15:04"),
			State: request.Names[e.To], Who: actorNames[e.Actor], Message: e.Message})
	}
	docs, err := h.requests.Documents(r.Context(), q)
	if err != nil {
		return page, err
	}
	page.Documents = DocumentRows(docs)
	if h.origination != nil {
		if page.Steps, _, err = h.origination.Steps(r.Context(), q); err != nil {
			return page, err
		}
	}
	page.Next, err = h.requestNextStep(r, q)
	return page, err
}

func (h *Handler) showRequest(w http.ResponseWriter, r *http.Request) {
	q, err := h.ownRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	page, err := h.requestData(r, q, web.NewForm())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "tramite", page)
}

// uploadSlots bounds how many uploaded images are decoded at once: one
// may take a few hundred MB while decoded (upload's limits), so on a small
// machine they wait their turn rather than exhaust memory.
const uploadSlots = 2

// readUploads checks the files of a form's "documentos" field; a refusal
// is put at the field.
func (h *Handler) readUploads(r *http.Request, files map[string][]*multipart.FileHeader, form *web.Form) []request.Upload {
	var out []request.Upload
	fhs := files["documentos"]
	if len(fhs) > maxFilesPerForm {
		form.Fail("documentos", "Adjunta hasta 3 archivos a la vez.")
		return nil
	}
	for _, fh := range fhs {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the empty file input of a form sent without a file
		}
		doc, err := h.openAndCheck(r, fh)
		if err != nil {
			form.Fail("documentos", fh.Filename+": "+portal.ErrorMessage(err))
			return nil
		}
		out = append(out, request.Upload{Doc: doc, FileName: fh.Filename})
	}
	return out
}

func (h *Handler) openAndCheck(r *http.Request, fh *multipart.FileHeader) (*upload.Document, error) {
	select {
	case h.uploadSlots <- struct{}{}:
		defer func() { <-h.uploadSlots }()
	case <-r.Context().Done():
		return nil, portal.Errorf(portal.EUNAVAILABLE, "El servicio está ocupado. Intenta de nuevo en unos minutos.")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, portal.Wrap(portal.EINVALID, err, "No pudimos leer el archivo. Vuelve a subirlo.")
	}
	defer f.Close()
	return upload.Check(f)
}

// actOnRequest answers a "requiere información" (with documents) or
// cancels.
func (h *Handler) actOnRequest(w http.ResponseWriter, r *http.Request) {
	form, files, err := web.ParseMultipart(r, maxUploadBody)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	q, err := h.ownRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	switch form.Get("accion") {
	case "responder":
		message := form.Get("respuesta")
		if n := len([]rune(message)); n == 0 || n > 1000 {
			form.Fail("respuesta", "Escribe tu respuesta, en 1000 caracteres o menos.")
		}
		ups := h.readUploads(r, files, form)
		if !form.HasErrors() {
			if err = h.requests.Answer(r.Context(), q, message, ups); err == nil {
				http.Redirect(w, r, "/mi-cuenta/tramites/"+q.Folio, http.StatusSeeOther)
				return
			}
		}
	case "cancelar":
		if _, err = h.requests.Move(r.Context(), q.Folio, request.Cancelada, request.Owner, 0, "Cancelaste el trámite."); err == nil {
			http.Redirect(w, r, "/mi-cuenta/tramites/"+q.Folio, http.StatusSeeOther)
			return
		}
	default:
		form.Fail("respuesta", "Esa acción no existe. Vuelve a cargar la página.")
	}
	page, perr := h.requestData(r, q, form)
	if perr != nil {
		h.render.Error(w, r, perr)
		return
	}
	if form.HasErrors() {
		h.render.Render(w, r, http.StatusBadRequest, "tramite", page)
		return
	}
	h.formFailure(w, r, "tramite", page, form, "respuesta", err)
}

// requestDocument sends one of the person's request files, always as an
// attachment: it is never rendered by the browser on the portal's origin.
func (h *Handler) requestDocument(w http.ResponseWriter, r *http.Request) {
	q, err := h.ownRequest(r)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, rc, err := h.requests.OpenDocument(r.Context(), q, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	defer rc.Close()
	SendDocument(w, d, rc)
}

// SendDocument writes a request's file as a download, for both sites.
func SendDocument(w http.ResponseWriter, d *request.Document, body io.Reader) {
	h := w.Header()
	h.Set("Content-Type", d.Kind.ContentType())
	h.Set("Content-Disposition", web.Attachment(d.FileName))
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = io.Copy(w, body)
}
