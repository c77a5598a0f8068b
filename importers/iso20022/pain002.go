package iso20022

import (
	"fmt"
	"strings"

	"github.com/oslokommune/payout/payout/bank"
)

// statusReport reads a pain.002: the group's status, each block's, and each
// transaction's, all naming the original message.
func (r *reader) statusReport(doc *statusDoc) {
	const top = "CstmrPmtStsRpt"
	rpt := &doc.Rpt
	r.rep.MsgID = r.id(0, top+"/GrpHdr/MsgId", rpt.GrpHdr.MsgID, true)
	r.rep.Created = strings.TrimSpace(rpt.GrpHdr.CreDtTm)
	if rpt.Group == nil {
		r.failf(0, top+"/OrgnlGrpInfAndSts", "missing: a status report names the payment file it answers")
		return
	}
	g, gp := &rpt.Group.V, top+"/OrgnlGrpInfAndSts"
	msgID := r.id(rpt.Group.Line, gp+"/OrgnlMsgId", g.OrgnlMsgID, true)
	if nm := strings.TrimSpace(g.OrgnlMsgNmID); nm != "" && !strings.HasPrefix(nm, "pain.001") {
		r.failf(rpt.Group.Line, gp+"/OrgnlMsgNmId", "%q: payout's files are pain.001 credit transfers", clip(nm))
	}
	if code := r.code(rpt.Group.Line, gp+"/GrpSts", g.GrpSts); code != "" {
		s := bank.Status{Where: bank.Where{Line: rpt.Group.Line, Element: gp + "/GrpSts"}, Level: bank.LevelGroup,
			MsgID: msgID, Code: code, Reasons: r.reasons(rpt.Group.Line, gp, g.StsRsnInf),
			NbOfTxs: strings.TrimSpace(g.OrgnlNbOfTxs)}
		if v := strings.TrimSpace(g.OrgnlCtrlSum); v != "" {
			if d, ok := r.decimal(rpt.Group.Line, gp+"/OrgnlCtrlSum", v); ok {
				s.CtrlSum = &d
			}
		}
		r.rep.Statuses = append(r.rep.Statuses, s)
	}
	for i := range rpt.Blocks {
		r.block(msgID, fmt.Sprintf("%s/OrgnlPmtInfAndSts[%d]", top, i+1), &rpt.Blocks[i])
	}
	if len(r.rep.Statuses) == 0 && len(r.errs) == 0 {
		r.failf(rpt.Group.Line, gp, "holds no status: no GrpSts, PmtInfSts or TxSts")
	}
}

func (r *reader) block(msgID, path string, b *at[blockStatus]) {
	pmtInf := r.id(b.Line, path+"/OrgnlPmtInfId", b.V.OrgnlPmtInfID, true)
	if code := r.code(b.Line, path+"/PmtInfSts", b.V.PmtInfSts); code != "" {
		r.rep.Statuses = append(r.rep.Statuses, bank.Status{Where: bank.Where{Line: b.Line, Element: path + "/PmtInfSts"},
			Level: bank.LevelBlock, MsgID: msgID, PmtInfID: pmtInf, Code: code, Reasons: r.reasons(b.Line, path, b.V.StsRsnInf)})
	}
	for j := range b.V.Txs {
		tx := &b.V.Txs[j]
		tp := fmt.Sprintf("%s/TxInfAndSts[%d]", path, j+1)
		s := bank.Status{Where: bank.Where{Line: tx.Line, Element: tp + "/TxSts"}, Level: bank.LevelTransaction,
			MsgID: msgID, PmtInfID: pmtInf, EndToEndID: r.id(tx.Line, tp+"/OrgnlEndToEndId", tx.V.OrgnlEndToEndID, true),
			Code: r.code(tx.Line, tp+"/TxSts", tx.V.TxSts), Reasons: r.reasons(tx.Line, tp, tx.V.StsRsnInf),
			Accounted: strings.TrimSpace(tx.V.AccptncDtTm)}
		if s.Code == "" {
			r.failf(tx.Line, tp+"/TxSts", "missing: a transaction's status says what happened to it")
		}
		if a := tx.V.OrgnlTxRef.Amt.InstdAmt; a != nil {
			if d, ccy, ok := r.money(tx.Line, tp+"/OrgnlTxRef/Amt/InstdAmt", a, true); ok {
				s.Amount, s.Currency = &d, ccy
			}
		}
		r.rep.Statuses = append(r.rep.Statuses, s)
	}
}
