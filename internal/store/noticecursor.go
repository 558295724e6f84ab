package store

import (
	"context"
	"fmt"
	"strconv"

	"micuenta/internal/portal"
	"micuenta/internal/savings"
)

const noticeCursorKey = "notices.cursor"

// NoticeCursor implements savings.NoticeStore.
func (db *DB) NoticeCursor(ctx context.Context) (int64, error) {
	v, err := db.Meta(ctx, noticeCursorKey)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("store: notice cursor %q: %w", v, err)
	}
	return n, nil
}

// SetNoticeCursor implements savings.NoticeStore; it never moves back.
func (db *DB) SetNoticeCursor(ctx context.Context, to int64) error {
	cur, err := db.NoticeCursor(ctx)
	if err != nil {
		return err
	}
	if to <= cur {
		return nil
	}
	return db.SetMeta(ctx, noticeCursorKey, strconv.FormatInt(to, 10))
}

// ContributionsSince implements savings.NoticeStore: it looks at the next
// limit ledger rows after the cursor and returns the last one's id and the
// contributions among them of people who have an account.
func (db *DB) ContributionsSince(ctx context.Context, after int64, limit int) (int64, []savings.Posted, error) {
	var upto *int64
	if err := db.queryRow(ctx, `SELECT MAX(id) FROM (SELECT id FROM savings_movements WHERE id > ? ORDER BY id LIMIT ?) w`, after, limit).Scan(&upto); err != nil {
		return 0, nil, fmt.Errorf("store: contributions since: %w", err)
	}
	if upto == nil {
		return after, nil, nil
	}
	rows, err := db.query(ctx, `SELECT m.person_id, m.source_id, COALESCE(e.razon_social, ''), m.period, m.amount
		FROM savings_movements m JOIN accounts a ON a.person_id = m.person_id LEFT JOIN employers e ON e.id = m.source_id
		WHERE m.id > ? AND m.id <= ? AND m.kind = ? AND m.amount > 0 ORDER BY m.id`, after, *upto, savings.KindAportacion)
	if err != nil {
		return 0, nil, fmt.Errorf("store: contributions since: %w", err)
	}
	defer rows.Close()
	var out []savings.Posted
	for rows.Next() {
		var p savings.Posted
		var period int
		var amount int64
		if err := rows.Scan(&p.PersonID, &p.EmployerID, &p.EmployerName, &period, &amount); err != nil {
			return 0, nil, fmt.Errorf("store: contributions since: %w", err)
		}
		p.Bimestre, p.Amount = portal.BimestreFromKey(period), portal.Money(amount)
		out = append(out, p)
	}
	return *upto, out, mapError(rows.Err())
}
