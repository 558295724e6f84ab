package notify

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"text/template"
)

// Templates are the texts of a package's messages: one file per message
// and channel, NAME.correo.txt (first line "Asunto: …", a blank line, the
// body) and NAME.sms.txt (the text alone). Wording changes in the files,
// not in code.
type Templates struct{ t *template.Template }

// MustTemplates parses the files matching pattern; a broken template stops
// the program at start-up, not when a message is due.
func MustTemplates(fsys fs.FS, pattern string) *Templates {
	return &Templates{template.Must(template.New("").Option("missingkey=error").ParseFS(fsys, pattern))}
}

// Compose renders the message name for a channel and addresses it.
func (ts *Templates) Compose(name string, ch Channel, to string, priority int, data any) (Message, error) {
	file := name + ".correo.txt"
	if ch == SMS {
		file = name + ".sms.txt"
	}
	var buf bytes.Buffer
	if err := ts.t.ExecuteTemplate(&buf, file, data); err != nil {
		return Message{}, fmt.Errorf("notify: message %s: %w", file, err)
	}
	m := Message{Channel: ch, To: to, Priority: priority}
	text := buf.String()
	if ch == SMS {
		m.Body = strings.TrimSpace(text)
		return m, nil
	}
	first, rest, _ := strings.Cut(text, "\n")
	subject, ok := strings.CutPrefix(first, "Asunto: ")
	if !ok {
		return Message{}, fmt.Errorf("notify: message %s does not start with an Asunto line", file)
	}
	m.Subject, m.Body = strings.TrimSpace(subject), strings.TrimLeft(rest, "\n")
	return m, nil
}
