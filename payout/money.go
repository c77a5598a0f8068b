package payout

import "github.com/shopspring/decimal"

// decimalT is the money type: exact decimals, never float (RULEBOOK §0).
type decimalT = decimal.Decimal

var zero = decimal.Zero
