package store

import (
	"time"

	"github.com/jackc/pgx/v5"

	"context"
	"database/sql"
	"errors"
	"fmt"
	"micuenta/internal/config"
	"strings"
	"sync"

	"micuenta/internal/batch"
	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
	"micuenta/internal/vault"
)

// lookupChunk is how many keys one IN (...) lookup carries. Every chunk
// is padded to this size, so each lookup is one prepared statement.
const lookupChunk = 500

// lookupIn runs "SELECT key, id FROM ... WHERE key IN (...)" over keys in
// padded chunks and returns id by key. arg gives a key's SQL argument and
// key turns a scanned key column back into a key: BLOB keys travel as
// []byte (a Go string would be sent as text) and come back as []byte.
func lookupIn[K comparable](ctx context.Context, db *DB, query string, keys []K, arg func(K) any, key func(any) (K, bool)) (map[K]int64, error) {
	out := make(map[K]int64, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	q := strings.Replace(query, "(?)", "("+strings.TrimSuffix(strings.Repeat("?,", lookupChunk), ",")+")", 1)
	stmt, err := db.reader(ctx).PrepareContext(ctx, db.bind(q))
	if err != nil {
		return nil, fmt.Errorf("store: prepare lookup: %w", mapError(err))
	}
	defer stmt.Close()
	args := make([]any, lookupChunk)
	for start := 0; start < len(keys); start += lookupChunk {
		for i := range args {
			args[i] = arg(keys[min(start+i, len(keys)-1)]) // pad with the last key
		}
		rows, err := stmt.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", mapError(err))
		}
		for rows.Next() {
			var raw any
			var id int64
			if err := rows.Scan(&raw, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: lookup: %w", err)
			}
			k, ok := key(raw)
			if !ok {
				rows.Close()
				return nil, fmt.Errorf("store: lookup: unexpected key %T", raw)
			}
			out[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: lookup: %w", mapError(err))
		}
	}
	return out, nil
}

func blobArg(k string) any    { return []byte(k) }
func plainArg[K any](k K) any { return k }

// textKey reads a TEXT or BLOB column as a string key.
func textKey(v any) (string, bool) {
	switch x := v.(type) {
	case []byte:
		return string(x), true
	case string:
		return x, true
	}
	return "", false
}

func intKey(v any) (int64, bool) {
	x, ok := v.(int64)
	return x, ok
}

// PersonIDsByNSS implements batch.ContributionStore.
func (db *DB) PersonIDsByNSS(ctx context.Context, nss []ident.NSS) ([]int64, error) {
	idx := make([]string, len(nss))
	for i, n := range nss {
		idx[i] = string(db.vault.Index(sealNSS, n.String()))
	}
	byIndex, err := lookupIn(ctx, db, "SELECT nss_index, id FROM people WHERE nss_index IN (?)", idx, blobArg, textKey)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(nss))
	for i := range nss {
		out[i] = byIndex[idx[i]]
	}
	return out, nil
}

// PeopleCount implements batch.ContributionStore: the highest person id,
// read from the end of the primary key, is a bound that costs nothing
// (counting would read every row).
func (db *DB) PeopleCount(ctx context.Context) (int64, error) {
	var n int64
	if err := db.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM people").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: people count: %w", err)
	}
	return n, nil
}

// personDirectory is every person's NSS lookup hash and id in memory. A
// person registered after it was loaded is not in it: the import rejects
// that line as unknown, and running the file again posts it.
type personDirectory struct {
	vault *vault.Vault
	ids   map[[vault.IndexLen]byte]int64
}

// PersonID implements batch.PersonDirectory.
func (d *personDirectory) PersonID(n ident.NSS) int64 {
	var k [vault.IndexLen]byte
	copy(k[:], d.vault.Index(sealNSS, n.String()))
	return d.ids[k]
}

// PersonDirectory implements batch.ContributionStore with one scan of the
// people_nss index.
func (db *DB) PersonDirectory(ctx context.Context) (batch.PersonDirectory, error) {
	n, err := db.PeopleCount(ctx)
	if err != nil {
		return nil, err
	}
	d := &personDirectory{vault: db.vault, ids: make(map[[vault.IndexLen]byte]int64, min(n, 4<<20))}
	rows, err := db.query(ctx, "SELECT nss_index, id FROM people")
	if err != nil {
		return nil, fmt.Errorf("store: person directory: %w", err)
	}
	defer rows.Close()
	var idx sql.RawBytes
	var id int64
	for rows.Next() {
		if err := rows.Scan(&idx, &id); err != nil {
			return nil, fmt.Errorf("store: person directory: %w", err)
		}
		if len(idx) != vault.IndexLen {
			return nil, fmt.Errorf("store: person directory: person %d has a %d-byte NSS index", id, len(idx))
		}
		d.ids[[vault.IndexLen]byte(idx)] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: person directory: %w", mapError(err))
	}
	return d, nil
}

// EmployerIDs implements batch.ContributionStore.
func (db *DB) EmployerIDs(ctx context.Context, es []employment.Employer) ([]int64, error) {
	cols := []string{"registro_patronal", "razon_social", "state"}
	args := make([]any, 0, len(es)*len(cols))
	regs := make([]string, len(es))
	for i, e := range es {
		args = append(args, e.RegistroPatronal, e.RazonSocial, e.State)
		regs[i] = e.RegistroPatronal
	}
	if _, err := db.insertRows(ctx, "employers", cols, len(es), args); err != nil {
		return nil, err
	}
	byReg, err := lookupIn(ctx, db, "SELECT registro_patronal, id FROM employers WHERE registro_patronal IN (?)", regs, plainArg[string], textKey)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(es))
	for i, r := range regs {
		out[i] = byReg[r]
	}
	return out, nil
}

// LiveCreditIDs implements batch.ContributionStore. A person has at most
// one live credit; if the records ever held two, the newest wins.
func (db *DB) LiveCreditIDs(ctx context.Context, personIDs []int64) ([]int64, error) {
	byPerson, err := lookupIn(ctx, db, "SELECT person_id, MAX(id) FROM credits WHERE person_id IN (?) AND state IN ('vigente', 'en_prorroga') GROUP BY person_id", personIDs, plainArg[int64], intKey)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(personIDs))
	for i, p := range personIDs {
		out[i] = byPerson[p]
	}
	return out, nil
}

type movementKey struct {
	owner, source int64
	period        int
}

// PostContributions implements batch.ContributionStore.
func (db *DB) PostContributions(ctx context.Context, ps []batch.Posting) (int, error) {
	now := db.clock.Now().UTC()
	if db.engine == config.Postgres {
		savedKeys := map[movementKey]bool{}
		creditKeys := map[movementKey]bool{}
		if err := db.postContributionsCopy(ctx, ps, now, savedKeys, creditKeys); err != nil {
			return 0, fmt.Errorf("store: post contributions: %w", err)
		}
		posted := 0
		for _, ok := range postedRows(ps, savedKeys, creditKeys) {
			if ok {
				posted++
			}
		}
		return posted, nil
	}
	var posted int
	err := db.InTx(ctx, func(ctx context.Context) error {
		var err error
		posted, err = db.postContributionsSQLite(ctx, ps, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: post contributions: %w", err)
	}
	return posted, nil
}

// While a contributions file posts, its commits leave the WAL to another
// connection: every importCheckpointEvery a reader copies the committed
// frames into the database file (a PASSIVE checkpoint takes no lock a
// writer needs), on the other core, instead of the writer stopping every
// 10,000 pages to do it (about 7% of the writer's time in a profile). The
// writer still checkpoints when the WAL passes importWALPages (256 MiB at
// 4 KiB pages), which by then is mostly copied, so the WAL stays bounded.
// Checkpointing is not what makes a commit durable — the WAL is — so a
// kill at any moment leaves the same database as before.
const (
	importCheckpointEvery = 200 * time.Millisecond
	importWALPages        = 65536
)

// StartPosting implements batch.ContributionStore: on SQLite it moves
// checkpoints off the writer until finish, which checkpoints what is left
// and puts the writer's own threshold back.
func (db *DB) StartPosting(ctx context.Context) (finish func(context.Context) error, err error) {
	if db.engine != config.SQLite {
		return func(context.Context) error { return nil }, nil
	}
	var prev int64
	if err := db.write.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&prev); err != nil {
		return nil, fmt.Errorf("store: start posting: %w", mapError(err))
	}
	if _, err := db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint=%d", max(prev, importWALPages))); err != nil {
		return nil, fmt.Errorf("store: start posting: %w", mapError(err))
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(importCheckpointEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				// A failed round is retried at the next tick, and the
				// writer's threshold is the backstop.
				_ = db.checkpointPassive(ctx)
			}
		}
	}()
	return func(ctx context.Context) error {
		close(stop)
		<-stopped
		err := db.checkpointPassive(ctx)
		_, rerr := db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint=%d", prev))
		if err = errors.Join(err, mapError(rerr)); err != nil {
			return fmt.Errorf("store: finish posting: %w", err)
		}
		return nil
	}, nil
}

// checkpointPassive copies committed WAL frames into the database file
// from a reader connection, without waiting for readers or the writer.
func (db *DB) checkpointPassive(ctx context.Context) error {
	var busy, frames, copied int64
	return mapError(db.read.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied))
}

// ledgerRows is how many rows one INSERT of the import carries: at most
// 1 + 7 × 500 parameters, well under SQLite's 32,766.
const ledgerRows = 500

// ledgerInsert is one ledger's multi-row INSERT for the import. The
// constant columns (the kind, the bucket, and created_at as ?1, bound once
// per statement) are not bound per row: binding text costs the driver a C
// allocation each, and those were three of a row's ten values.
type ledgerInsert struct {
	head      string // INSERT INTO … VALUES
	row       string // one row's values, ?1 first
	perRow    int    // parameters per row besides ?1
	returning string
}

var (
	savingsInsert = ledgerInsert{
		head:      "INSERT INTO savings_movements (created_at, person_id, bucket, kind, period, source_id, value_date, amount, daily_salary, days) VALUES ",
		row:       "(?1, ?, '" + savings.BucketViv97 + "', '" + savings.KindAportacion + "', ?, ?, ?, ?, ?, ?)",
		perRow:    7,
		returning: "person_id, period, source_id",
	}
	creditInsert = ledgerInsert{
		head:      "INSERT INTO credit_movements (created_at, credit_id, kind, period, source_id, value_date, amount, amount_vsm_e4) VALUES ",
		row:       "(?1, ?, '" + credit.KindDescuentoNomina + "', ?, ?, ?, ?, 0)",
		perRow:    5,
		returning: "credit_id, period, source_id",
	}
	ledgerSQL sync.Map // ledgerSQLKey → string
)

type ledgerSQLKey struct {
	table     *ledgerInsert
	rows      int
	returning bool
}

// sql is the statement for rows rows (SQLite numbers each bare ? after
// the highest number so far, so the ?1 that opens every row leaves the
// rest numbered in order).
func (l *ledgerInsert) sql(rows int, returning bool) string {
	key := ledgerSQLKey{l, rows, returning}
	if q, ok := ledgerSQL.Load(key); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(l.head) + rows*(len(l.row)+1) + 64)
	b.WriteString(l.head)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(l.row)
	}
	b.WriteString(" ON CONFLICT DO NOTHING")
	if returning {
		b.WriteString(" RETURNING ")
		b.WriteString(l.returning)
	}
	q := b.String()
	ledgerSQL.Store(key, q)
	return q
}

// postContributionsSQLite writes ps in the caller's transaction and
// returns how many were new.
//
// Most postings carry one movement (a contribution, or an amortization
// alone): for them an INSERT's count of rows written is their count of
// new postings, as ON CONFLICT DO NOTHING skips the ones already there and
// the repeats within ps. A posting with both movements is new when either
// is, which a count cannot tell: a statement that holds one asks RETURNING
// for the keys written, and each posting of that statement claims its
// keys in the order given (the first of several with one key wrote it).
// RETURNING for every row had cost about a fifth of the posting time in a
// profile: SQLite collects the returned rows in a temporary b-tree, the
// driver scans them back, and each went into a map.
func (db *DB) postContributionsSQLite(ctx context.Context, ps []batch.Posting, now time.Time) (int, error) {
	posted := 0
	var claimed []bool // by posting, for those in RETURNING statements
	dates := map[portal.Date]string{}
	date := func(d portal.Date) string {
		s, ok := dates[d]
		if !ok {
			s = d.String()
			dates[d] = s
		}
		return s
	}
	for _, l := range []*ledgerInsert{&savingsInsert, &creditInsert} {
		st := ledgerStatements{db: db, l: l}
		defer st.close()
		idx := make([]int, 0, ledgerRows)
		args := make([]any, 0, 1+l.perRow*ledgerRows)
		returning := false
		flush := func() error {
			if len(idx) == 0 {
				return nil
			}
			var err error
			if returning {
				if claimed == nil {
					claimed = make([]bool, len(ps))
				}
				err = st.claim(ctx, args, ps, idx, claimed)
			} else {
				var n int
				n, err = st.exec(ctx, len(idx), args)
				posted += n
			}
			idx, returning = idx[:0], false
			return err
		}
		for i := range ps {
			p := &ps[i]
			if len(idx) == 0 {
				args = append(args[:0], now)
			}
			switch {
			case l == &savingsInsert && p.Amount > 0:
				args = append(args, p.PersonID, int64(p.Bimestre.Key()), p.EmployerID, date(p.PaidOn), int64(p.Amount), int64(p.DailySalary), int64(p.Days))
			case l == &creditInsert && p.Amortization > 0 && p.CreditID != 0:
				args = append(args, p.CreditID, int64(p.Bimestre.Key()), p.EmployerID, date(p.PaidOn), -int64(p.Amortization))
			default:
				continue
			}
			idx = append(idx, i)
			returning = returning || p.Amount > 0 && p.Amortization > 0 && p.CreditID != 0
			if len(idx) == ledgerRows {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
		if err := flush(); err != nil {
			return 0, err
		}
	}
	for _, ok := range claimed {
		if ok {
			posted++
		}
	}
	return posted, nil
}

// ledgerStatements runs one ledger's inserts in the caller's transaction:
// the full-size statement is prepared once (parsing 500 rows of VALUES
// costs a good part of running them), the last, shorter one is not.
type ledgerStatements struct {
	db   *DB
	l    *ledgerInsert
	full [2]*sql.Stmt // plain, RETURNING
}

func (st *ledgerStatements) close() {
	for _, s := range st.full {
		if s != nil {
			s.Close()
		}
	}
}

func (st *ledgerStatements) stmt(ctx context.Context, rows int, returning bool) (*sql.Stmt, string, error) {
	q := st.l.sql(rows, returning)
	if rows != ledgerRows {
		return nil, q, nil
	}
	k := 0
	if returning {
		k = 1
	}
	if st.full[k] == nil {
		s, err := st.db.writer(ctx).PrepareContext(ctx, q)
		if err != nil {
			return nil, "", mapError(err)
		}
		st.full[k] = s
	}
	return st.full[k], q, nil
}

// exec inserts rows rows and returns how many were written.
func (st *ledgerStatements) exec(ctx context.Context, rows int, args []any) (int, error) {
	s, q, err := st.stmt(ctx, rows, false)
	if err != nil {
		return 0, err
	}
	var res sql.Result
	if s != nil {
		res, err = s.ExecContext(ctx, args...)
	} else {
		res, err = st.db.writer(ctx).ExecContext(ctx, q, args...)
	}
	if err != nil {
		return 0, mapError(err)
	}
	n, err := res.RowsAffected()
	return int(n), mapError(err)
}

// claim inserts the postings ps[idx…] with RETURNING and marks each
// posting whose movement was written; of several with one key, the first
// in idx (the one SQLite wrote) claims it.
func (st *ledgerStatements) claim(ctx context.Context, args []any, ps []batch.Posting, idx []int, claimed []bool) error {
	s, q, err := st.stmt(ctx, len(idx), true)
	if err != nil {
		return err
	}
	var rows *sql.Rows
	if s != nil {
		rows, err = s.QueryContext(ctx, args...)
	} else {
		rows, err = st.db.writer(ctx).QueryContext(ctx, q, args...)
	}
	if err != nil {
		return mapError(err)
	}
	written := map[movementKey]bool{}
	for rows.Next() {
		var k movementKey
		if err := rows.Scan(&k.owner, &k.period, &k.source); err != nil {
			rows.Close()
			return err
		}
		written[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapError(err)
	}
	for _, i := range idx {
		p := &ps[i]
		k := movementKey{p.PersonID, p.EmployerID, p.Bimestre.Key()}
		if st.l == &creditInsert {
			k.owner = p.CreditID
		}
		if written[k] {
			written[k] = false
			claimed[i] = true
		}
	}
	return nil
}

// postedRows says which postings were new: one of their movements was
// returned by its insert. The same key twice in one batch is posted once;
// the repeat is a duplicate.
func postedRows(ps []batch.Posting, savedKeys, creditKeys map[movementKey]bool) []bool {
	posted := make([]bool, len(ps))
	for i, p := range ps {
		sk := movementKey{p.PersonID, p.EmployerID, p.Bimestre.Key()}
		ck := movementKey{p.CreditID, p.EmployerID, p.Bimestre.Key()}
		if p.Amount > 0 && savedKeys[sk] {
			posted[i], savedKeys[sk] = true, false
		}
		if p.Amortization > 0 && p.CreditID != 0 && creditKeys[ck] {
			posted[i], creditKeys[ck] = true, false
		}
	}
	return posted
}

// postContributionsCopy is PostContributions on PostgreSQL: the batch goes
// into a temporary table with COPY (one round trip, no statement to
// parse) and from there into the ledgers with one INSERT … SELECT each, in
// one transaction.
func (db *DB) postContributionsCopy(ctx context.Context, ps []batch.Posting, now time.Time, savedKeys, creditKeys map[movementKey]bool) error {
	return db.inPgxTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS contribution_stage (person_id BIGINT, source_id BIGINT, credit_id BIGINT,
			period INTEGER, value_date DATE, amount BIGINT, daily_salary BIGINT, days INTEGER, amortization BIGINT) ON COMMIT DELETE ROWS`); err != nil {
			return err
		}
		rows := make([][]any, 0, len(ps))
		for _, p := range ps {
			rows = append(rows, []any{p.PersonID, p.EmployerID, p.CreditID, int32(p.Bimestre.Key()), p.PaidOn.Time(), int64(p.Amount),
				int64(p.DailySalary), int32(p.Days), int64(p.Amortization)})
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"contribution_stage"}, []string{"person_id", "source_id", "credit_id", "period",
			"value_date", "amount", "daily_salary", "days", "amortization"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		collect := func(q string, into map[movementKey]bool) error {
			rs, err := tx.Query(ctx, q, now)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				var k movementKey
				var period int32
				if err := rs.Scan(&k.owner, &period, &k.source); err != nil {
					return err
				}
				k.period = int(period)
				into[k] = true
			}
			return rs.Err()
		}
		if err := collect(`INSERT INTO savings_movements (person_id, bucket, kind, period, source_id, value_date, amount, daily_salary, days, created_at)
			SELECT person_id, '`+savings.BucketViv97+`', '`+savings.KindAportacion+`', period, source_id, value_date, amount, daily_salary, days, CAST($1 AS TIMESTAMP)
			FROM contribution_stage WHERE amount > 0 ORDER BY person_id, period, source_id
			ON CONFLICT DO NOTHING RETURNING person_id, period, source_id`, savedKeys); err != nil {
			return err
		}
		return collect(`INSERT INTO credit_movements (credit_id, kind, period, source_id, value_date, amount, amount_vsm_e4, created_at)
			SELECT credit_id, '`+credit.KindDescuentoNomina+`', period, source_id, value_date, -amortization, 0, CAST($1 AS TIMESTAMP)
			FROM contribution_stage WHERE amortization > 0 AND credit_id <> 0
			ON CONFLICT DO NOTHING RETURNING credit_id, period, source_id`, creditKeys)
	})
}

// AddPeople implements batch.RecordStore: ids come from the database.
func (db *DB) AddPeople(ctx context.Context, ps []*person.Person) ([]bool, error) {
	now := db.clock.Now().UTC()
	cols := []string{"nss_index", "curp_index", "rfc_index", "nss_sealed", "curp_sealed", "rfc_sealed",
		"given_names", "first_surname", "second_surname", "birth_date", "sex", "state", "pension_status", "pension_law",
		"created_at", "updated_at"}
	args := make([]any, 0, len(ps)*len(cols))
	for _, p := range ps {
		nss, curp, rfc := p.NSS.String(), p.CURP.String(), p.RFC.String()
		args = append(args, db.vault.Index(sealNSS, nss), db.vault.Index(sealCURP, curp), db.vault.Index(sealRFC, rfc),
			db.vault.Seal(sealNSS, nss), db.vault.Seal(sealCURP, curp), db.vault.Seal(sealRFC, rfc),
			p.GivenNames, p.FirstSurname, p.SecondSurname, p.BirthDate, p.Sex, p.State, p.PensionStatus, p.PensionLaw, now, now)
	}
	added := map[string]bool{}
	err := db.InTx(ctx, func(ctx context.Context) error {
		_, err := db.insertReturning(ctx, "people", cols, len(ps), args, "nss_index", func(r *sql.Rows) error {
			var idx []byte
			err := r.Scan(&idx)
			added[string(idx)] = true
			return err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: add people: %w", err)
	}
	out := make([]bool, len(ps))
	for i, p := range ps {
		k := string(db.vault.Index(sealNSS, p.NSS.String()))
		out[i], added[k] = added[k], false // a repeat in the same batch is a duplicate
	}
	return out, nil
}

// PutRelations implements batch.RecordStore.
func (db *DB) PutRelations(ctx context.Context, rs []employment.Relation) ([]bool, error) {
	type key struct {
		person, employer int64
		start            string
	}
	changed := map[key]bool{}
	// One statement may not touch a row twice (PostgreSQL refuses), so of
	// several lines for one relation only the last is written; the others
	// count as duplicates.
	last := map[key]int{}
	for i, r := range rs {
		last[key{r.PersonID, r.EmployerID, r.Start.String()}] = i
	}
	uniq := make([]employment.Relation, 0, len(last))
	for i, r := range rs {
		if last[key{r.PersonID, r.EmployerID, r.Start.String()}] == i {
			uniq = append(uniq, r)
		}
	}
	const per = 300
	err := db.InTx(ctx, func(ctx context.Context) error {
		for start := 0; start < len(uniq); start += per {
			chunk := uniq[start:min(start+per, len(uniq))]
			var b strings.Builder
			b.WriteString("INSERT INTO employment_relations (person_id, employer_id, start_date, end_date, daily_salary) VALUES ")
			args := make([]any, 0, len(chunk)*5)
			for i, r := range chunk {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString("(?, ?, ?, ?, ?)")
				args = append(args, r.PersonID, r.EmployerID, r.Start, nullDate(r.End), int64(r.DailySalary))
			}
			// A baja (or a new salary) for a relation already known updates it;
			// the same line again changes nothing and is not returned.
			b.WriteString(` ON CONFLICT (person_id, employer_id, start_date) DO UPDATE SET end_date = excluded.end_date, daily_salary = excluded.daily_salary
				WHERE employment_relations.end_date IS DISTINCT FROM excluded.end_date OR employment_relations.daily_salary <> excluded.daily_salary
				RETURNING person_id, employer_id, start_date`)
			rows, err := db.writer(ctx).QueryContext(ctx, db.bind(b.String()), args...)
			if err != nil {
				return mapError(err)
			}
			for rows.Next() {
				var k key
				var d portal.Date
				if err := rows.Scan(&k.person, &k.employer, &d); err != nil {
					rows.Close()
					return err
				}
				k.start = d.String()
				changed[k] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: put relations: %w", err)
	}
	out := make([]bool, len(rs))
	for i, r := range rs {
		k := key{r.PersonID, r.EmployerID, r.Start.String()}
		out[i] = changed[k] && last[k] == i
	}
	return out, nil
}
