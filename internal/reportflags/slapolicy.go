package reportflags

import (
	"fmt"
	"os"
	"strings"

	"github.com/chatkpi/chatkpi"
)

// readSLAPolicy reads the -sla-policy file into rs.SLA, with the calendar of
// -calendar and the instant of -as-of, keeping the statistics settings
// (-mode) already in rs.SLA.Durations, and adds MetricSLA to the default
// metrics (an explicit -metrics list computes it only when it names sla).
// An unreadable or invalid file is an error naming it.
func (f *Flags) readSLAPolicy(rs *chatkpi.ReportSettings) error {
	data, err := os.ReadFile(f.slaPolicy)
	if err != nil {
		return fmt.Errorf("-sla-policy: %w", err)
	}
	p, err := chatkpi.ParseSLAPolicy(data)
	if err != nil {
		return fmt.Errorf("-sla-policy %s: %s", f.slaPolicy, strings.TrimPrefix(err.Error(), "chatkpi: "))
	}
	p.BusinessHours = rs.FirstResponse.BusinessHours // the -calendar file's, or nil
	p.AsOf = rs.Outcomes.AsOf
	p.Durations = rs.SLA.Durations
	rs.SLA = p
	if f.metrics == "" {
		rs.Metrics |= chatkpi.MetricSLA // the default metrics, and the policy's
	}
	return nil
}
