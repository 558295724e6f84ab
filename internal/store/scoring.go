package store

import (
	"context"
	"fmt"

	"micuenta/internal/prequal"
)

// ScoringData implements prequal.Store: every row of the scoring and
// simulator tables (migration 0013), for prequal.Load, which checks and
// assembles them. They are a few hundred rows read once at start-up.
func (db *DB) ScoringData(ctx context.Context) (prequal.Data, error) {
	var d prequal.Data
	err := db.eachScoringRow(ctx, `SELECT code, name, valid_from, women_bonus, employer_must_pay, uncertain, note, source
		FROM scoring_models ORDER BY valid_from`, func(s scanner) error {
		var m prequal.ModelRow
		var mustPay, uncertain int
		if err := s.Scan(&m.Code, &m.Name, &m.ValidFrom, &m.WomenBonus, &mustPay, &uncertain, &m.Note, &m.Source); err != nil {
			return err
		}
		m.EmployerMustPay, m.Uncertain = mustPay != 0, uncertain != 0
		d.Models = append(d.Models, m)
		return nil
	})
	if err == nil {
		err = db.eachScoringRow(ctx, `SELECT model, code, sort_order, label, factor, max_points, uncertain, note
			FROM scoring_blocks ORDER BY model, sort_order, code`, func(s scanner) error {
			var b prequal.BlockRow
			var uncertain int
			if err := s.Scan(&b.Model, &b.Code, &b.SortOrder, &b.Label, &b.Factor, &b.MaxPoints, &uncertain, &b.Note); err != nil {
				return err
			}
			b.Uncertain = uncertain != 0
			d.Blocks = append(d.Blocks, b)
			return nil
		})
	}
	if err == nil {
		err = db.eachScoringRow(ctx, `SELECT model, block, lower_bound, points FROM scoring_bands ORDER BY model, block, lower_bound`, func(s scanner) error {
			var b prequal.BandRow
			if err := s.Scan(&b.Model, &b.Block, &b.LowerBound, &b.Points); err != nil {
				return err
			}
			d.Bands = append(d.Bands, b)
			return nil
		})
	}
	if err == nil {
		err = db.eachScoringRow(ctx, `SELECT code, name, sort_order, purpose, description FROM credit_products ORDER BY sort_order, code`, func(s scanner) error {
			var p prequal.ProductRow
			if err := s.Scan(&p.Code, &p.Name, &p.SortOrder, &p.Purpose, &p.Description); err != nil {
				return err
			}
			d.Products = append(d.Products, p)
			return nil
		})
	}
	if err == nil {
		err = db.eachScoringRow(ctx, `SELECT model, product, min_points, min_bimesters, women_bonus, uncertain, note
			FROM scoring_thresholds ORDER BY model, product`, func(s scanner) error {
			var t prequal.ThresholdRow
			var bonus, uncertain int
			if err := s.Scan(&t.Model, &t.Product, &t.MinPoints, &t.MinBimesters, &bonus, &uncertain, &t.Note); err != nil {
				return err
			}
			t.WomenBonus, t.Uncertain = bonus != 0, uncertain != 0
			d.Thresholds = append(d.Thresholds, t)
			return nil
		})
	}
	if err == nil {
		err = db.eachScoringRow(ctx, `SELECT product, valid_from, ceiling_uma_e6, person_ceiling_uma_e6, min_amount_uma_e6,
			min_term_years, max_term_years, age_term_men, age_term_women, low_salary_sm_e6, low_share_e6, share_e6,
			adds_balance, balance_cap_e6, rate_basis, rate_interpolate, min_applicants, max_applicants, insurance_bimester, uncertain, note, source
			FROM product_rules ORDER BY product, valid_from`, func(s scanner) error {
			var r prequal.RuleRow
			var adds, interpolate, uncertain int
			if err := s.Scan(&r.Product, &r.ValidFrom, &r.CeilingUMAE6, &r.PersonCeilingUMAE6, &r.MinAmountUMAE6,
				&r.MinTermYears, &r.MaxTermYears, &r.AgeTermMen, &r.AgeTermWomen, &r.LowSalarySME6, &r.LowShareE6, &r.ShareE6,
				&adds, &r.BalanceCapE6, &r.RateBasis, &interpolate, &r.MinApplicants, &r.MaxApplicants, &r.InsuranceBimester, &uncertain, &r.Note, &r.Source); err != nil {
				return err
			}
			r.AddsBalance, r.RateInterpolate, r.Uncertain = adds != 0, interpolate != 0, uncertain != 0
			d.Rules = append(d.Rules, r)
			return nil
		})
	}
	if err == nil {
		err = db.eachScoringRow(ctx, `SELECT product, valid_from, lower_uma_e6, rate_e6, max_term_years
			FROM product_rates ORDER BY product, valid_from, lower_uma_e6`, func(s scanner) error {
			var r prequal.RateRow
			if err := s.Scan(&r.Product, &r.ValidFrom, &r.LowerUMAE6, &r.RateE6, &r.MaxTermYears); err != nil {
				return err
			}
			d.Rates = append(d.Rates, r)
			return nil
		})
	}
	if err != nil {
		return prequal.Data{}, fmt.Errorf("store: scoring data: %w", err)
	}
	return d, nil
}

// eachScoringRow runs a read and hands each row to fn.
func (db *DB) eachScoringRow(ctx context.Context, q string, fn func(scanner) error) error {
	rows, err := db.query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}
