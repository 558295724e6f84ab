package ui

import (
	"crypto/sha256"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"micuenta/internal/document"
	"micuenta/internal/portal"
	"micuenta/internal/web"
)

// /verificar checks that a document the portal issued is genuine: anyone
// holding a PDF — an employer, a notary, the SAT — types or scans its
// folio and sees what was issued and to whom (masked), and may compare
// the file itself, or its SHA-256, with the one recorded.

// Uploads to /verificar: one PDF; ours are a few kilobytes.
const (
	maxVerifyFile = 2 << 20
	maxVerifyBody = maxVerifyFile + 64<<10
)

// verifyFormPage is /verificar, and a folio that is not found.
type verifyFormPage struct {
	Form     *web.Form
	NotFound bool
}

// verifyPage is /verificar/{folio}.
type verifyPage struct {
	Form       *web.Form
	Doc        *document.Verification
	Issued     string
	Validity   string
	Credit     string // masked
	Checked    bool   // a file or hash was compared
	Matches    bool
	MaxSizeMiB int
}

func (h *Handler) showVerifyForm(w http.ResponseWriter, r *http.Request) {
	form := web.NewForm()
	typed, ok := r.URL.Query()["folio"]
	if !ok {
		h.render.Render(w, r, http.StatusOK, "verificar", verifyFormPage{Form: form})
		return
	}
	form.Set("folio", typed[0])
	folio, err := document.ParseFolio(typed[0])
	if err != nil {
		form.Fail("folio", portal.ErrorMessage(err))
		h.render.Render(w, r, http.StatusBadRequest, "verificar", verifyFormPage{Form: form})
		return
	}
	http.Redirect(w, r, "/verificar/"+url.PathEscape(folio), http.StatusSeeOther)
}

// notFoundFolio answers an unknown (or malformed) folio: the form again,
// with the folio as typed, and 404.
func (h *Handler) notFoundFolio(w http.ResponseWriter, r *http.Request, typed string) {
	form := web.NewForm()
	form.Set("folio", typed)
	h.render.Render(w, r, http.StatusNotFound, "verificar", verifyFormPage{Form: form, NotFound: true})
}

func (h *Handler) showVerify(w http.ResponseWriter, r *http.Request) {
	v, err := h.documents.Issuer.Find(r.Context(), r.PathValue("folio"))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		h.notFoundFolio(w, r, r.PathValue("folio"))
		return
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Render(w, r, http.StatusOK, "verificar-documento", h.verifyData(v, web.NewForm()))
}

func (h *Handler) verifyData(v *document.Verification, form *web.Form) verifyPage {
	at := v.IssuedAt.In(portal.MexicoCity)
	p := verifyPage{Form: form, Doc: v, Issued: portal.DateOf(at).Spanish() + " a las " + at.Format("15:04") + " (hora del centro de México)",
		MaxSizeMiB: maxVerifyFile >> 20}
	switch {
	case v.Expired:
		p.Validity = "Vencido el " + v.ValidUntil.Spanish() + ": ya no es válido. Quien lo necesite debe pedir uno nuevo."
	case !v.ValidUntil.IsZero():
		p.Validity = "Vigente hasta el " + v.ValidUntil.Spanish() + " (inclusive)."
	default:
		p.Validity = "Vigente: este documento no tiene fecha de vencimiento."
	}
	if n := len(v.CreditNumber); n > 4 {
		p.Credit = strings.Repeat("*", n-4) + v.CreditNumber[n-4:]
	}
	return p
}

// submitVerify compares an uploaded PDF, or a pasted SHA-256, with the
// folio's record. Every POST counts toward the address's hourly limit.
func (h *Handler) submitVerify(w http.ResponseWriter, r *http.Request) {
	if err := h.documents.Issuer.AllowComparison(r.Context(), web.ClientIP(r)); err != nil {
		if portal.ErrorCode(err) == portal.ERATELIMIT {
			w.Header().Set("Retry-After", "3600")
		}
		h.render.Error(w, r, err)
		return
	}
	form, files, err := web.ParseMultipart(r, maxVerifyBody)
	if err != nil {
		h.formError(w, r, err)
		return
	}
	sum, field, problem := verifyInput(form, files)
	v, matches, err := h.documents.Issuer.Compare(r.Context(), r.PathValue("folio"), sum)
	switch {
	case portal.ErrorCode(err) == portal.ENOTFOUND:
		h.notFoundFolio(w, r, r.PathValue("folio"))
		return
	case err != nil:
		h.render.Error(w, r, err)
		return
	}
	page := h.verifyData(v, form)
	if problem != "" {
		form.Fail(field, problem)
		h.render.Render(w, r, http.StatusBadRequest, "verificar-documento", page)
		return
	}
	form.Set("huella", "")
	page.Checked, page.Matches = true, matches
	h.render.Render(w, r, http.StatusOK, "verificar-documento", page)
}

// verifyInput reads what was sent to compare: the file (first), or the
// hash; problem says, for field, what is wrong.
func verifyInput(form *web.Form, files map[string][]*multipart.FileHeader) (sum []byte, field, problem string) {
	if fhs := files["archivo"]; len(fhs) > 0 && !(fhs[0].Filename == "" && fhs[0].Size == 0) {
		s, err := fileSHA256(fhs[0])
		if err != nil {
			return nil, "archivo", portal.ErrorMessage(err)
		}
		return s, "", ""
	}
	if strings.TrimSpace(form.Get("huella")) != "" {
		s, err := document.ParseSHA256(form.Get("huella"))
		if err != nil {
			return nil, "huella", portal.ErrorMessage(err)
		}
		return s, "", ""
	}
	return nil, "archivo", "Sube el archivo PDF del documento o escribe su huella SHA-256."
}

var errNotPDF = portal.Errorf(portal.EINVALID, "Ese archivo no es un PDF. Sube el documento tal como lo descargaste.")

// fileSHA256 hashes an uploaded PDF.
func fileSHA256(fh *multipart.FileHeader) ([]byte, error) {
	if fh.Size > maxVerifyFile {
		return nil, portal.Errorf(portal.EINVALID, "El archivo pesa más de 2 MB: no es un documento de Mi Cuenta.")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, portal.Wrap(portal.EINVALID, err, "No pudimos leer el archivo. Vuelve a subirlo.")
	}
	defer f.Close()
	head := make([]byte, 5)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "%PDF-" {
		return nil, errNotPDF
	}
	h := sha256.New()
	h.Write(head)
	if _, err := io.Copy(h, io.LimitReader(f, maxVerifyFile)); err != nil && !errors.Is(err, io.EOF) {
		return nil, portal.Wrap(portal.EINVALID, err, "No pudimos leer el archivo. Vuelve a subirlo.")
	}
	return h.Sum(nil), nil
}
