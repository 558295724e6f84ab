package account

import (
	"context"
	"time"

	"micuenta/internal/portal"
)

// DeviceTTL is how long a device cookie lasts: a browser unused for a year
// asks for a code again.
const DeviceTTL = 365 * 24 * time.Hour

// Device is a browser proved to be the person's by a one-time code.
type Device struct {
	ID         int64
	AccountID  int64
	TokenHash  []byte
	UserAgent  string
	FirstIP    string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// DeviceStore keeps devices.
type DeviceStore interface {
	CreateDevice(ctx context.Context, d *Device) error
	// FindDevice returns ENOTFOUND for an unknown token.
	FindDevice(ctx context.Context, tokenHash []byte) (*Device, error)
	TouchDevice(ctx context.Context, id int64, at time.Time) error
	AccountDevices(ctx context.Context, accountID int64) ([]Device, error)
	DeleteDevice(ctx context.Context, accountID, id int64) error
}

// knownDevice returns the device of token if it belongs to the account and
// was seen within DeviceTTL.
func knownDevice(ctx context.Context, s DeviceStore, accountID int64, token string, now time.Time) (*Device, error) {
	if token == "" || len(token) > 100 {
		return nil, nil
	}
	d, err := s.FindDevice(ctx, TokenHash(token))
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if d.AccountID != accountID || now.Sub(d.LastSeenAt) > DeviceTTL {
		return nil, nil
	}
	return d, nil
}
