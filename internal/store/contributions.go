package store

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"context"
	"database/sql"
	"fmt"
	"micuenta/internal/config"
	"strings"

	"micuenta/internal/batch"
	"micuenta/internal/credit"
	"micuenta/internal/employment"
	"micuenta/internal/ident"
	"micuenta/internal/person"
	"micuenta/internal/portal"
	"micuenta/internal/savings"
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
func (db *DB) PostContributions(ctx context.Context, ps []batch.Posting) ([]bool, error) {
	now := db.clock.Now().UTC()
	var posted []bool
	savedKeys := map[movementKey]bool{}
	creditKeys := map[movementKey]bool{}
	// The rows go in the order given: batch sorts whole runs by person,
	// the unique index's order, so each transaction walks the index page
	// after page instead of hitting it at random.
	if db.engine == config.Postgres {
		if err := db.postContributionsCopy(ctx, ps, now, savedKeys, creditKeys); err != nil {
			return nil, fmt.Errorf("store: post contributions: %w", err)
		}
		return postedRows(ps, savedKeys, creditKeys), nil
	}
	err := db.InTx(ctx, func(ctx context.Context) error {
		cols := []string{"person_id", "bucket", "kind", "period", "source_id", "value_date", "amount", "daily_salary", "days", "created_at"}
		args := make([]any, 0, len(ps)*len(cols))
		n := 0
		for _, p := range ps {
			if p.Amount > 0 {
				args = append(args, p.PersonID, savings.BucketViv97, savings.KindAportacion, p.Bimestre.Key(), p.EmployerID, p.PaidOn,
					int64(p.Amount), int64(p.DailySalary), p.Days, now)
				n++
			}
		}
		if _, err := db.insertReturning(ctx, "savings_movements", cols, n, args, "person_id, period, source_id", collectKeys(savedKeys)); err != nil {
			return err
		}
		cols = []string{"credit_id", "kind", "period", "source_id", "value_date", "amount", "amount_vsm_e4", "created_at"}
		args = args[:0]
		n = 0
		for _, p := range ps {
			if p.Amortization > 0 && p.CreditID != 0 {
				args = append(args, p.CreditID, credit.KindDescuentoNomina, p.Bimestre.Key(), p.EmployerID, p.PaidOn, -int64(p.Amortization), 0, now)
				n++
			}
		}
		if _, err := db.insertReturning(ctx, "credit_movements", cols, n, args, "credit_id, period, source_id", collectKeys(creditKeys)); err != nil {
			return err
		}
		posted = postedRows(ps, savedKeys, creditKeys)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: post contributions: %w", err)
	}
	return posted, nil
}

// collectKeys records each (owner, period, source) an insert returns.
func collectKeys(into map[movementKey]bool) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		var k movementKey
		err := r.Scan(&k.owner, &k.period, &k.source)
		into[k] = true
		return err
	}
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
// one transaction. It runs on a connection of its own through pgx, which
// database/sql cannot give COPY.
func (db *DB) postContributionsCopy(ctx context.Context, ps []batch.Posting, now time.Time, savedKeys, creditKeys map[movementKey]bool) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return mapError(err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
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
		if err := collect(`INSERT INTO credit_movements (credit_id, kind, period, source_id, value_date, amount, amount_vsm_e4, created_at)
			SELECT credit_id, '`+credit.KindDescuentoNomina+`', period, source_id, value_date, -amortization, 0, CAST($1 AS TIMESTAMP)
			FROM contribution_stage WHERE amortization > 0 AND credit_id <> 0
			ON CONFLICT DO NOTHING RETURNING credit_id, period, source_id`, creditKeys); err != nil {
			return err
		}
		return tx.Commit(ctx)
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
