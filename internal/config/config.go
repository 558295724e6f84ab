// Package config owns micuenta's one typed configuration: every option is a
// command-line flag that also reads a MICUENTA_* environment variable, every
// secret also accepts a *_FILE variant, and Validate runs before anything
// starts. Only cli and app read it; everything else receives plain values.
package config

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MinAuditRetentionYears is the shortest the audit log may be kept. No
// rule names a term for a portal's access log, so it follows the longest
// term that applies to what the log evidences: five years, as the Código
// Fiscal de la Federación (art. 30) requires of the records behind
// contributions and payments. A choice, written down in
// docs/operations.md; raise it with --audit-retention-years.
const MinAuditRetentionYears = 5

// Config is everything an operator can set.
type Config struct {
	// DB is the database: "sqlite:PATH" or a "postgres://" URL.
	DB string
	// Addr is the people's site listen address.
	Addr string
	// AdminAddr is the operators' back office listen address; "" serves
	// no back office from this process.
	AdminAddr string
	// DocumentsDir keeps the files attached to requests, outside any
	// served path.
	DocumentsDir string
	// BaseURL is the public address used in e-mails and PDFs.
	BaseURL string
	// DataKey encrypts personal identifiers and contact data at rest
	// (AES-256-GCM, base64 of 32 bytes).
	DataKey string
	// RetiredDataKeys are earlier data keys, comma separated, still used to
	// read rows written before a key rotation.
	RetiredDataKeys string
	// LookupKey keys the hashes through which encrypted identifiers are
	// found (HMAC-SHA-256, base64 of 32 bytes). It cannot rotate without
	// re-indexing, so it is separate from DataKey.
	LookupKey string
	// Dev reads templates and static files from disk on every request.
	Dev bool
	// LogFormat is "text" or "json".
	LogFormat string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// ShutdownTimeout bounds the graceful shutdown.
	ShutdownTimeout time.Duration

	// SMTP relay for e-mail: host:port, sender, credentials, security.
	SMTPAddr, SMTPFrom, SMTPUser, SMTPPassword, SMTPSecurity string
	// SMS gateway: URL and bearer token.
	SMSURL, SMSToken string
	// Payment processor: API base URL, key and webhook secret; without a
	// URL paying online is off (serve --demo uses a sandbox).
	PaymentsURL, PaymentsKey, PaymentsWebhookSecret string
	// BulkRate bounds contribution notices delivered per second (0: no
	// bound); BulkRateText is the flag as given.
	BulkRate     float64
	BulkRateText string

	// SecurityEmail receives an e-mail for every suspicious-activity
	// alert ("" for none; alerts always show in the back office).
	SecurityEmail string

	// BackupDir, when set, makes serve back up the SQLite database and
	// the documents daily after BackupHour (Mexico City), keeping the
	// newest BackupKeep; the *Text fields are the flags as given.
	BackupDir                      string
	BackupHour, BackupKeep         int
	BackupHourText, BackupKeepText string

	// AuditRetentionYears is how long the audit log is kept; housekeeping
	// deletes older entries. Never below MinAuditRetentionYears.
	AuditRetentionYears     int
	AuditRetentionYearsText string

	// TrustedProxies are the load balancers in front of serve (addresses
	// or CIDR ranges): only from them is X-Forwarded-For believed, so the
	// per-address limits see people's addresses, not the balancer's.
	TrustedProxies     []netip.Prefix
	TrustedProxiesText string

	// Demo is set by `serve --demo`, never by the environment: it makes a
	// throwaway database and keys, and keeps every message on the machine.
	Demo bool
}

// option describes one setting once, for flags, environment and printing.
type option struct {
	flag, env, usage string
	secret           bool
	str              *string
	boolean          *bool
	dur              *time.Duration
	def              string
}

func (c *Config) options() []option {
	return []option{
		{flag: "db", env: "MICUENTA_DB", str: &c.DB, def: "sqlite:data/micuenta.db",
			usage: "database: sqlite:PATH or postgres://user:pass@host/db"},
		{flag: "addr", env: "MICUENTA_ADDR", str: &c.Addr, def: "localhost:8080",
			usage: "listen address of the people's site"},
		{flag: "admin-addr", env: "MICUENTA_ADMIN_ADDR", str: &c.AdminAddr, def: "localhost:8081",
			usage: "listen address of the operators' back office (keep it on an internal network); empty for none"},
		{flag: "documents-dir", env: "MICUENTA_DOCUMENTS_DIR", str: &c.DocumentsDir, def: "data/documentos",
			usage: "directory for the documents attached to requests (never served directly; back it up with the database)"},
		{flag: "base-url", env: "MICUENTA_BASE_URL", str: &c.BaseURL, def: "",
			usage: "public URL of the site, for links in e-mails and PDFs (default http://ADDR)"},
		{flag: "data-key", env: "MICUENTA_DATA_KEY", str: &c.DataKey, secret: true,
			usage: "base64 of 32 random bytes that encrypt identifiers and contact data"},
		{flag: "retired-data-keys", env: "MICUENTA_RETIRED_DATA_KEYS", str: &c.RetiredDataKeys, secret: true,
			usage: "comma-separated earlier data keys, kept to read older rows"},
		{flag: "lookup-key", env: "MICUENTA_LOOKUP_KEY", str: &c.LookupKey, secret: true,
			usage: "base64 of 32 random bytes that key the identifier lookup hashes"},
		{flag: "smtp-addr", env: "MICUENTA_SMTP_ADDR", str: &c.SMTPAddr,
			usage: "mail relay host:port; without it e-mails wait in the outbox"},
		{flag: "smtp-from", env: "MICUENTA_SMTP_FROM", str: &c.SMTPFrom, def: "Mi Cuenta <no-responder@localhost>",
			usage: "sender of the portal's e-mails"},
		{flag: "smtp-user", env: "MICUENTA_SMTP_USER", str: &c.SMTPUser, usage: "mail relay user (AUTH PLAIN)"},
		{flag: "smtp-password", env: "MICUENTA_SMTP_PASSWORD", str: &c.SMTPPassword, secret: true, usage: "mail relay password"},
		{flag: "smtp-security", env: "MICUENTA_SMTP_SECURITY", str: &c.SMTPSecurity, def: "starttls",
			usage: "starttls, tls or none (none only for a relay on this machine)"},
		{flag: "sms-url", env: "MICUENTA_SMS_URL", str: &c.SMSURL, usage: "SMS gateway URL; without it SMS wait in the outbox"},
		{flag: "sms-token", env: "MICUENTA_SMS_TOKEN", str: &c.SMSToken, secret: true, usage: "SMS gateway bearer token"},
		{flag: "payments-url", env: "MICUENTA_PAYMENTS_URL", str: &c.PaymentsURL,
			usage: "payment processor API base URL (hosted checkout); without it paying online is off"},
		{flag: "payments-key", env: "MICUENTA_PAYMENTS_KEY", str: &c.PaymentsKey, secret: true, usage: "payment processor API key"},
		{flag: "payments-webhook-secret", env: "MICUENTA_PAYMENTS_WEBHOOK_SECRET", str: &c.PaymentsWebhookSecret, secret: true,
			usage: "secret that signs the processor's notices to /pagos/notificaciones"},
		{flag: "security-email", env: "MICUENTA_SECURITY_EMAIL", str: &c.SecurityEmail,
			usage: "address told of every suspicious-activity alert (they always show in the back office)"},
		{flag: "backup-dir", env: "MICUENTA_BACKUP_DIR", str: &c.BackupDir,
			usage: "serve backs up the SQLite database and the documents here every day (ideally another disk); empty for no daily backup"},
		{flag: "backup-hour", env: "MICUENTA_BACKUP_HOUR", str: &c.BackupHourText, def: "3",
			usage: "hour of the day (Mexico City, 0-23) after which serve takes the daily backup"},
		{flag: "backup-keep", env: "MICUENTA_BACKUP_KEEP", str: &c.BackupKeepText, def: "7",
			usage: "daily backups to keep in --backup-dir (0 keeps them all)"},
		{flag: "trusted-proxies", env: "MICUENTA_TRUSTED_PROXIES", str: &c.TrustedProxiesText,
			usage: "load balancers in front of serve (comma-separated addresses or CIDR ranges) whose X-Forwarded-For is believed; empty: none"},
		{flag: "audit-retention-years", env: "MICUENTA_AUDIT_RETENTION_YEARS", str: &c.AuditRetentionYearsText, def: strconv.Itoa(MinAuditRetentionYears),
			usage: "years the audit log is kept before housekeeping deletes it (at least 5)"},
		{flag: "bulk-rate", env: "MICUENTA_BULK_RATE", str: &c.BulkRateText, def: "50",
			usage: "contribution notices delivered per second by the outbox worker (0 = no bound); codes and security notices are never held back"},
		{flag: "dev", env: "MICUENTA_DEV", boolean: &c.Dev,
			usage: "read templates and static files from disk (development)"},
		{flag: "log-format", env: "MICUENTA_LOG_FORMAT", str: &c.LogFormat, def: "text",
			usage: "log format: text or json"},
		{flag: "log-level", env: "MICUENTA_LOG_LEVEL", str: &c.LogLevel, def: "info",
			usage: "log level: debug, info, warn or error"},
		{flag: "shutdown-timeout", env: "MICUENTA_SHUTDOWN_TIMEOUT", dur: &c.ShutdownTimeout, def: "15s",
			usage: "how long a graceful shutdown may take"},
	}
}

// Bind registers every option on fs, with defaults taken from the
// environment through getenv (so flags win over the environment). A bad
// environment value is reported by Validate, not here.
func (c *Config) Bind(fs *flag.FlagSet, getenv func(string) string) error {
	var errs []error
	for _, o := range c.options() {
		def := o.def
		if v := getenv(o.env); v != "" {
			def = v
		}
		if o.secret {
			if path := getenv(o.env + "_FILE"); path != "" {
				b, err := os.ReadFile(path)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s_FILE: cannot read %s: %w", o.env, path, err))
				} else {
					def = strings.TrimSpace(string(b))
				}
			}
		}
		usage := fmt.Sprintf("%s (env %s)", o.usage, o.env)
		switch {
		case o.str != nil:
			fs.StringVar(o.str, o.flag, def, usage)
		case o.boolean != nil:
			b := def == "1" || strings.EqualFold(def, "true") || strings.EqualFold(def, "yes")
			if def != "" && !b && def != "0" && !strings.EqualFold(def, "false") && !strings.EqualFold(def, "no") {
				errs = append(errs, fmt.Errorf("%s=%q is not a boolean: use true or false", o.env, def))
			}
			fs.BoolVar(o.boolean, o.flag, b, usage)
		case o.dur != nil:
			d, err := time.ParseDuration(def)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q is not a duration: use a form like 15s or 2m", o.env, def))
			}
			fs.DurationVar(o.dur, o.flag, d, usage)
		}
	}
	return errors.Join(errs...)
}

// Validate checks every option and says, for each problem, what to do.
func (c *Config) Validate() error {
	var errs []error
	if c.BulkRateText != "" {
		r, err := strconv.ParseFloat(c.BulkRateText, 64)
		if err != nil || r < 0 || r > 100_000 {
			errs = append(errs, fmt.Errorf("--bulk-rate %q: give messages per second, from 0 (no bound) to 100000", c.BulkRateText))
		} else {
			c.BulkRate = r
		}
	}
	if c.BackupHourText != "" {
		if h, err := strconv.Atoi(c.BackupHourText); err != nil || h < 0 || h > 23 {
			errs = append(errs, fmt.Errorf("--backup-hour (MICUENTA_BACKUP_HOUR) %q: give an hour from 0 to 23", c.BackupHourText))
		} else {
			c.BackupHour = h
		}
	}
	if c.BackupKeepText != "" {
		if k, err := strconv.Atoi(c.BackupKeepText); err != nil || k < 0 || k > 3650 {
			errs = append(errs, fmt.Errorf("--backup-keep (MICUENTA_BACKUP_KEEP) %q: give how many backups to keep, 0 (all) to 3650", c.BackupKeepText))
		} else {
			c.BackupKeep = k
		}
	}
	if c.AuditRetentionYearsText != "" {
		if y, err := strconv.Atoi(c.AuditRetentionYearsText); err != nil || y < MinAuditRetentionYears || y > 100 {
			errs = append(errs, fmt.Errorf("--audit-retention-years (MICUENTA_AUDIT_RETENTION_YEARS) %q: give a number of years from %d (the minimum the fund must keep) to 100", c.AuditRetentionYearsText, MinAuditRetentionYears))
		} else {
			c.AuditRetentionYears = y
		}
	}
	if p, err := ParseProxies(c.TrustedProxiesText); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies (MICUENTA_TRUSTED_PROXIES): %v; give addresses or CIDR ranges separated by commas, e.g. 10.0.0.0/8,192.0.2.7", err))
	} else {
		c.TrustedProxies = p
	}
	if _, _, err := ParseDB(c.DB); err != nil {
		errs = append(errs, err)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q is not host:port (for example localhost:8080)", c.Addr))
	}
	if c.AdminAddr != "" {
		if _, _, err := net.SplitHostPort(c.AdminAddr); err != nil {
			errs = append(errs, fmt.Errorf("--admin-addr %q is not host:port (for example localhost:8081), or empty for no back office", c.AdminAddr))
		} else if c.AdminAddr == c.Addr {
			errs = append(errs, fmt.Errorf("--admin-addr and --addr are both %q: the back office needs its own address", c.Addr))
		}
	}
	if strings.TrimSpace(c.DocumentsDir) == "" {
		errs = append(errs, errors.New("--documents-dir is empty: give a directory for the documents attached to requests"))
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--base-url %q must be an absolute http(s) URL", c.BaseURL))
		}
	}
	if !c.Demo {
		if c.DataKey == "" || c.LookupKey == "" {
			errs = append(errs, errors.New("MICUENTA_DATA_KEY and MICUENTA_LOOKUP_KEY are required outside demo mode: generate each with `head -c32 /dev/urandom | base64` and keep them safe (losing the data key loses the encrypted data)"))
		}
	}
	for _, k := range []struct{ name, v string }{{"MICUENTA_DATA_KEY", c.DataKey}, {"MICUENTA_LOOKUP_KEY", c.LookupKey}} {
		if k.v != "" {
			if _, err := DecodeKey(k.v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", k.name, err))
			}
		}
	}
	if c.RetiredDataKeys != "" {
		for i, k := range strings.Split(c.RetiredDataKeys, ",") {
			if _, err := DecodeKey(strings.TrimSpace(k)); err != nil {
				errs = append(errs, fmt.Errorf("MICUENTA_RETIRED_DATA_KEYS item %d: %w", i+1, err))
			}
		}
	}
	if c.DataKey != "" && c.DataKey == c.LookupKey {
		errs = append(errs, errors.New("MICUENTA_DATA_KEY and MICUENTA_LOOKUP_KEY must be different keys"))
	}
	switch c.SMTPSecurity {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("--smtp-security %q: use starttls, tls or none", c.SMTPSecurity))
	}
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			errs = append(errs, fmt.Errorf("--smtp-addr %q is not host:port (for example smtp.example.mx:587)", c.SMTPAddr))
		}
	}
	if c.SMSURL != "" {
		if u, err := url.Parse(c.SMSURL); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			errs = append(errs, fmt.Errorf("--sms-url %q must be an http(s) URL", c.SMSURL))
		}
	}
	if c.PaymentsURL != "" {
		if u, err := url.Parse(c.PaymentsURL); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			errs = append(errs, fmt.Errorf("--payments-url %q must be an http(s) URL", c.PaymentsURL))
		}
		if c.PaymentsKey == "" || len(c.PaymentsWebhookSecret) < 16 {
			errs = append(errs, errors.New("--payments-url needs MICUENTA_PAYMENTS_KEY and a MICUENTA_PAYMENTS_WEBHOOK_SECRET of at least 16 characters"))
		}
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("--log-format %q: use text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: use debug, info, warn or error", c.LogLevel))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("--shutdown-timeout must be positive"))
	}
	return errors.Join(errs...)
}

// PublicURL is BaseURL, or http://Addr when none was set.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return "http://" + c.Addr
}

// DecodeKey reads a base64 key and insists on 32 bytes.
func DecodeKey(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimSpace(s))
	}
	if err != nil {
		return nil, errors.New("not valid base64: generate one with `head -c32 /dev/urandom | base64`")
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("decodes to %d bytes, want 32: generate one with `head -c32 /dev/urandom | base64`", len(b))
	}
	return b, nil
}

// Engine names the database engine.
type Engine string

// The two engines micuenta runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// ParseDB splits a --db value into its engine and the driver's data source.
func ParseDB(dsn string) (Engine, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return "", "", errors.New("--db sqlite: needs a file path, for example sqlite:data/micuenta.db")
		}
		return SQLite, path, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return "", "", fmt.Errorf("--db: the PostgreSQL URL is malformed: %v", redactURLError(err))
		}
		return Postgres, dsn, nil
	case dsn == "":
		return "", "", errors.New("--db is empty: use sqlite:PATH or postgres://user:pass@host/db")
	default:
		scheme, _, _ := strings.Cut(dsn, ":")
		return "", "", fmt.Errorf("--db scheme %q is not supported: use sqlite:PATH or postgres://user:pass@host/db", scheme)
	}
}

func redactURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "invalid URL"
}

// Print writes every option with its value, secrets redacted, for
// `micuenta config check`.
func (c *Config) Print(w io.Writer) {
	opts := c.options()
	sort.SliceStable(opts, func(i, j int) bool { return opts[i].flag < opts[j].flag })
	for _, o := range opts {
		var v string
		switch {
		case o.str != nil:
			v = *o.str
		case o.boolean != nil:
			v = fmt.Sprint(*o.boolean)
		case o.dur != nil:
			v = o.dur.String()
		}
		switch {
		case o.secret && v != "":
			v = "[redacted]"
		case o.secret:
			v = "(not set)"
		case o.flag == "db":
			v = RedactDSN(v)
		}
		fmt.Fprintf(w, "%-20s %-28s %s\n", o.flag, o.env, v)
	}
}

// RedactDSN hides the password in a PostgreSQL URL.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "redacted")
	}
	return u.String()
}

// ParseProxies reads a comma-separated list of addresses and CIDR ranges
// (the load balancers in front of the portal).
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", item)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
