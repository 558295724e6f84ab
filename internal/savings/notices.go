package savings

import (
	"context"
	"embed"
	"fmt"
	"time"
	"unicode/utf8"

	"micuenta/internal/notify"
	"micuenta/internal/portal"
)

// Contribution notices (issue 5): every registered account that receives
// money is told, once per employer and bimester, by the channels the
// person chose. The notices are produced from the ledger, after the fact,
// by the outbox worker (Pump): a cursor remembers the last ledger row
// looked at, and each step records the notices, queues the messages and
// moves the cursor in one transaction. So the import only posts money —
// it is not slowed by a million notices — and a notice is sent exactly
// once: a crash before the commit leaves the cursor where it was, and the
// keys make a repeat impossible anyway.
//
// On PostgreSQL ledger ids are handed out before commit, so two
// contributions imports running at once could commit out of id order and
// a row could fall behind the cursor; the import holds an advisory lock
// (store.ContributionsImportLock) so they never do.

//go:embed messages/*.txt
var messageFiles embed.FS

var messages = notify.MustTemplates(messageFiles, "messages/*.txt")

// NoticeContribution is the kind of a contribution notice.
const NoticeContribution = "aportacion"

// Posted is a contribution that was just posted.
type Posted struct {
	PersonID, EmployerID int64
	EmployerName         string
	Bimestre             portal.Bimestre
	Amount               portal.Money
}

// Recipient is a person with an account, and how they want to be told.
type Recipient struct {
	PersonID, AccountID int64
	Email, Mobile       string
	ByEmail, BySMS      bool
}

// Notice is a notice as the portal keeps it.
type Notice struct {
	PersonID int64
	Kind     string
	DedupKey string
	Subject  string
	Body     string
	At       time.Time // when it was recorded
}

// NoticeStore is what notices need from the database.
type NoticeStore interface {
	// RecipientsOf returns the people among ids who have an account.
	RecipientsOf(ctx context.Context, personIDs []int64) (map[int64]Recipient, error)
	NoticeCursor(ctx context.Context) (int64, error)
	SetNoticeCursor(ctx context.Context, to int64) error
	// ContributionsSince looks at up to limit ledger rows after the cursor
	// and returns the last one's id and the contributions among them of
	// people with an account.
	ContributionsSince(ctx context.Context, after int64, limit int) (upto int64, ps []Posted, err error)
	// AddNotices keeps notices, skipping those whose DedupKey is present.
	AddNotices(ctx context.Context, ns []Notice) (int, error)
	EnqueueMessages(ctx context.Context, ms []notify.Message) (int, error)
}

// Notifier tells people about their contributions.
type Notifier struct {
	store NoticeStore
	tx    portal.TxRunner
}

// NewNotifier builds the notifier.
func NewNotifier(s NoticeStore, tx portal.TxRunner) *Notifier { return &Notifier{store: s, tx: tx} }

// pumpRows is how many ledger rows one step looks at.
const pumpRows = 50_000

// Pump produces the notices of every contribution posted since the last
// call, step by step, and returns how many it recorded.
func (n *Notifier) Pump(ctx context.Context) (int, error) {
	total := 0
	for {
		var added int
		done := false
		err := n.tx.InTx(ctx, func(ctx context.Context) error {
			after, err := n.store.NoticeCursor(ctx)
			if err != nil {
				return err
			}
			upto, ps, err := n.store.ContributionsSince(ctx, after, pumpRows)
			if err != nil {
				return err
			}
			if upto == after {
				done = true
				return nil
			}
			if added, err = n.contributions(ctx, ps); err != nil {
				return err
			}
			return n.store.SetNoticeCursor(ctx, upto)
		})
		if err != nil {
			return total, err
		}
		total += added
		if done {
			return total, nil
		}
	}
}

type noticeData struct {
	Employer, Amount, Bimestre string
}

// contributions records and queues the notices of ps, in bulk.
func (n *Notifier) contributions(ctx context.Context, ps []Posted) (int, error) {
	if len(ps) == 0 {
		return 0, nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.PersonID
	}
	rs, err := n.store.RecipientsOf(ctx, ids)
	if err != nil || len(rs) == 0 {
		return 0, err
	}
	var notices []Notice
	var msgs []notify.Message
	for _, p := range ps {
		r, ok := rs[p.PersonID]
		if !ok {
			continue
		}
		key := fmt.Sprintf("%s:%d:%d:%d", NoticeContribution, p.PersonID, p.EmployerID, p.Bimestre.Key())
		d := noticeData{Employer: shorten(p.EmployerName, 40), Amount: p.Amount.String(), Bimestre: p.Bimestre.Spanish()}
		mail, err := messages.Compose(NoticeContribution, notify.Email, r.Email, notify.PriorityBulk, d)
		if err != nil {
			return 0, err
		}
		notices = append(notices, Notice{PersonID: p.PersonID, Kind: NoticeContribution, DedupKey: key, Subject: mail.Subject, Body: mail.Body})
		if r.ByEmail {
			mail.DedupKey = key + ":email"
			msgs = append(msgs, mail)
		}
		if r.BySMS {
			sms, err := messages.Compose(NoticeContribution, notify.SMS, r.Mobile, notify.PriorityBulk, d)
			if err != nil {
				return 0, err
			}
			sms.DedupKey = key + ":sms"
			msgs = append(msgs, sms)
		}
	}
	added, err := n.store.AddNotices(ctx, notices)
	if err != nil {
		return 0, err
	}
	if _, err := n.store.EnqueueMessages(ctx, msgs); err != nil {
		return 0, err
	}
	return added, nil
}

// shorten keeps an employer's long legal name within an SMS.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
