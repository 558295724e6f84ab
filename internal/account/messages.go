package account

import (
	"embed"
	"time"

	"micuenta/internal/notify"
	"micuenta/internal/portal"
)

// The texts of every e-mail and SMS the accounts send are templates in
// messages/, one file per message and channel: NAME.correo.txt starts with
// an "Asunto: " line and a blank line; NAME.sms.txt is the text alone.
// Wording changes there, not in code.
//
//go:embed messages/*.txt
var messageFiles embed.FS

var messageTemplates = notify.MustTemplates(messageFiles, "messages/*.txt")

// messageData is what the templates may use.
type messageData struct {
	Code    string // a one-time code
	Name    string // the person's given names
	Link    string // a recovery link
	When    string // an instant, Mexico City time, dd/mm/yyyy hh:mm
	IP      string
	Browser string
	What    string // "correo electrónico" or "número de celular"
	Masked  string // a masked e-mail or number
}

// whenText formats an instant for a message.
func whenText(t time.Time) string { return t.In(portal.MexicoCity).Format("02/01/2006 15:04") }

// compose renders one of the accounts' messages.
func compose(name string, ch notify.Channel, to string, priority int, d messageData) (notify.Message, error) {
	return messageTemplates.Compose(name, ch, to, priority, d)
}
