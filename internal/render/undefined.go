package render

import (
	"slices"

	"github.com/chatkpi/chatkpi"
)

// undefinedRows returns a row for each metric that the report computes but
// could not give exactly, saying why, and the absent metrics without them:
// the successful-chat and first-contact resolution rates of a streaming
// report whose conversations came too far out of start order
// ([chatkpi.Summary].SuccessfulChatUndefined and FirstContactUndefined),
// and the availability and online times of one whose presence events did
// ([chatkpi.MetricsSummary].AvailabilityUndefined), which is not "no
// events". The rows of absent are left out of the metric
// rows (presentRows) before.
func undefinedRows(s *chatkpi.Summary, absent []string) ([]metricRow, []string) {
	var rows []metricRow
	for _, u := range [...]struct{ name, why string }{
		{"successful chat", s.SuccessfulChatUndefined},
		{"first-contact resolution", s.FirstContactUndefined},
		{"availability", s.Overall.AvailabilityUndefined},
	} {
		if u.why == "" {
			continue
		}
		absent = slices.DeleteFunc(slices.Clone(absent), func(n string) bool { return n == u.name })
		rows = append(rows, metricRow{Name: u.name, Value: "undefined", Detail: u.why})
	}
	return rows, absent
}
