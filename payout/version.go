package payout

// EngineVersion names this implementation of the rules; the manifest and
// the workbook's basis sheet record it so an auditor knows which engine a
// run came from. Bump it when an amount could change for the same inputs.
const EngineVersion = "payout-engine/1"
