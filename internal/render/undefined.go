package render

import (
	"slices"

	"github.com/chatkpi/chatkpi"
)

// undefinedRows returns a row for each metric that the report computes but
// could not give exactly, saying why, and the absent metrics without them:
// the successful-chat rate of a streaming report whose conversations came
// too far out of start order ([chatkpi.Summary].SuccessfulChatUndefined),
// which is not "no events". The rows of absent are left out of the metric
// rows (presentRows) before.
func undefinedRows(s *chatkpi.Summary, absent []string) ([]metricRow, []string) {
	if s.SuccessfulChatUndefined == "" {
		return nil, absent
	}
	absent = slices.DeleteFunc(slices.Clone(absent), func(n string) bool { return n == "successful chat" })
	return []metricRow{{Name: "successful chat", Value: "undefined", Detail: s.SuccessfulChatUndefined}}, absent
}
