package app

import (
	"context"
	"time"

	"micuenta/internal/account"
	"micuenta/internal/alert"
	"micuenta/internal/backup"
	"micuenta/internal/config"
	"micuenta/internal/operator"
	"micuenta/internal/portal"
	"micuenta/internal/upload"
)

// HousekeepEvery is how often the housekeeping pass runs inside serve.
const HousekeepEvery = 10 * time.Minute

// Housekeeping is what the pass did.
type Housekeeping struct {
	Flows, Sessions, OperatorSessions, RateCounters int
	// OrphanDocuments are stored files no request names: their request's
	// transaction failed after the file was written (a crash in between).
	OrphanDocuments int
	// AuditEntries are audit entries older than the retention.
	AuditEntries int
	Alerts       []alert.Alert
	Backup       *backup.Manifest
}

// Housekeep purges what has expired — sign-up and recovery flows (and
// their codes), sessions of both sites, rate-limit windows, audit entries
// past their retention — runs the suspicious-activity rules, rolls up the
// dashboard's daily figures and, on
// SQLite with a backup directory configured, takes the day's backup once
// the configured hour has passed and none was taken today. Serve runs it
// every HousekeepEvery; it is safe to run from several processes (every
// purge is a plain DELETE of expired rows).
func (a *App) Housekeep(ctx context.Context) (Housekeeping, error) {
	var h Housekeeping
	now := a.clock.Now().UTC()
	var err error
	if h.Flows, err = a.DB.PurgeExpiredFlows(ctx, now.Add(-time.Hour)); err != nil {
		return h, err
	}
	if h.Sessions, err = a.DB.PurgeExpiredSessions(ctx, now); err != nil {
		return h, err
	}
	if h.OperatorSessions, err = a.DB.PurgeOperatorSessions(ctx, now, operator.IdleTimeout); err != nil {
		return h, err
	}
	if h.RateCounters, err = a.DB.PurgeRateCounters(ctx, now.Add(-48*time.Hour)); err != nil {
		return h, err
	}
	if h.OrphanDocuments, err = a.sweepDocuments(ctx, now); err != nil {
		return h, err
	}
	if h.AuditEntries, err = a.DB.PurgeAuditBefore(ctx, auditCutoff(now, a.Config.AuditRetentionYears)); err != nil {
		return h, err
	}
	if h.Alerts, err = a.Alerts.Detect(ctx); err != nil {
		return h, err
	}
	if err := a.Figures.RollUp(ctx); err != nil {
		return h, err
	}
	if a.backupDue(now) {
		m, err := backup.Run(ctx, a.DB, a.Config.DocumentsDir, a.Config.BackupDir, a.Config.BackupKeep, now, a.Version)
		if err != nil {
			return h, err
		}
		h.Backup, a.lastBackup = m, portal.DateOf(now)
	}
	return h, nil
}

// auditCutoff is the start of the Mexico City day years before now (never
// fewer than config.MinAuditRetentionYears): the log is kept in whole days.
func auditCutoff(now time.Time, years int) time.Time {
	years = max(years, config.MinAuditRetentionYears)
	d := portal.DateOf(now)
	return time.Date(d.Y-years, d.M, d.D, 0, 0, 0, 0, portal.MexicoCity)
}

// backupDue reports whether today's backup should be taken now: SQLite,
// a directory configured, the hour (Mexico City) reached, none yet today
// from this process.
func (a *App) backupDue(now time.Time) bool {
	engine, _, _ := config.ParseDB(a.Config.DB)
	if engine != config.SQLite || a.Config.BackupDir == "" {
		return false
	}
	today := portal.DateOf(now)
	return a.lastBackup != today && now.In(portal.MexicoCity).Hour() >= a.Config.BackupHour
}

// housekeepLoop runs Housekeep until ctx ends, logging what it did.
func (a *App) housekeepLoop(ctx context.Context) {
	t := time.NewTicker(HousekeepEvery)
	defer t.Stop()
	for {
		h, err := a.Housekeep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.Log.Error("housekeeping", "err", err)
		case h.Backup != nil:
			a.Log.Info("daily backup", "dir", a.Config.BackupDir, "files", len(h.Backup.Files))
		}
		for _, al := range h.Alerts {
			a.Log.Warn("security alert", "rule", al.Rule, "subject", al.Subject, "events", al.Events)
		}
		if h.Flows+h.Sessions+h.OperatorSessions+h.RateCounters+h.AuditEntries > 0 {
			a.Log.Debug("purged", "flows", h.Flows, "sessions", h.Sessions, "operator_sessions", h.OperatorSessions, "rate_counters", h.RateCounters, "audit_entries", h.AuditEntries)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// touchLoop writes the sessions' batched last-seen times every
// account.TouchFlush and once more when ctx ends (see
// account.Sessions.BatchTouches).
func (a *App) touchLoop(ctx context.Context) {
	t := time.NewTicker(account.TouchFlush)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := a.Sessions.FlushTouches(fctx)
			cancel()
			if err != nil {
				a.Log.Error("session activity not written at shutdown", "err", err)
			}
			return
		case <-t.C:
			if err := a.Sessions.FlushTouches(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("session activity not written; will retry", "err", err)
			}
		}
	}
}

// orphanAge is how old an unreferenced document must be before the sweep
// deletes it: far longer than any request's transaction takes, so a file
// written for a request still being filed is never touched.
const orphanAge = 24 * time.Hour

// sweepDocuments deletes stored documents that no request names and that
// are older than orphanAge. The portal writes a document before the
// transaction that records it and deletes it if that fails; only a crash
// in between leaves one behind, never served, and this removes it.
func (a *App) sweepDocuments(ctx context.Context, now time.Time) (int, error) {
	dir, ok := a.Files.(*upload.Dir)
	if !ok {
		return 0, nil
	}
	files, err := dir.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		if now.Sub(f.Modified) < orphanAge {
			continue
		}
		used, err := a.DB.DocumentStored(ctx, f.Name)
		if err != nil {
			return n, err
		}
		if !used {
			if err := dir.Delete(ctx, f.Name); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
