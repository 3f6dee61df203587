package reportflags

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chatkpi/chatkpi"
)

// DefaultSLA is the default of -sla: SLA targets sized for live chat,
// where a customer expects a reply within a minute and a resolution within
// a day. Chat duration has none (a long chat is not a breach). The
// library's own default is no target ([chatkpi.DurationsSettings].SLA):
// targets are a business's promise, the command's are a starting point
// that shows SLA attainment in every output. The default histogram buckets
// are the library's, documented on [chatkpi.DurationsSettings].Buckets.
const DefaultSLA = "first_response_time=1m,response_time=1m,resolution_time=24h,queue_wait=1m"

// timingMetrics is the number of timing metrics with statistics settings
// of their own.
const timingMetrics = 6

// timingNames returns the names of the timing metrics as -sla and -buckets
// take them, in the order of timingSettings: the metric's name (as
// -metrics and the summary write it) and a short name.
func timingNames() [timingMetrics][2]string {
	return [...][2]string{
		{"first_response_time", "frt"},
		{"response_time", "response"},
		{"resolution_time", "resolution"},
		{"chat_duration", "duration"},
		{"queue_wait", "queue"},
		{"wait_times", "wait"},
	}
}

// timingSettings returns the statistics settings of each timing metric of
// rs, in the order of timingNames. The human and bot first response
// times and the assignment times share first_response_time's, the human
// and bot response times response_time's, the full resolution time
// resolution_time's, the active chat duration chat_duration's, and the
// requester, agent and on-hold wait times (first and full) wait_times'.
func timingSettings(rs *chatkpi.ReportSettings) [timingMetrics]*chatkpi.DurationsSettings {
	return [...]*chatkpi.DurationsSettings{&rs.FirstResponse.Durations, &rs.ResponseTime.Durations,
		&rs.ResolutionTime.Durations, &rs.ChatDuration.Durations, &rs.QueueWait.Durations, &rs.WaitTimes.Durations}
}

// timingList is what -sla or -buckets says for each timing metric, in the
// order of timingNames; a nil list keeps the metric's default.
type timingList [timingMetrics][]time.Duration

// parseTimingList reads the value of -sla or -buckets (flag, without the
// dash): comma-separated entries, each a duration, or METRIC=DURATION,
// which starts METRIC's list; durations after it continue that list:
//
//	-sla frt=30s,1m,resolution=24h  two FRT targets and one resolution target
//	-buckets 30s,1m,5m,1h           the same buckets for every timing metric
//	-buckets 1m,5m,resolution=1h,4h every metric 1m,5m but resolution_time
//
// Durations before the first METRIC= are every metric's that is not named.
// METRIC is a name of timingNames (first_response_time or frt, …). The
// lists of -buckets must increase; those of -sla must not repeat a target.
// "none" (-sla only) is no target for any metric. Each list holds at most
// chatkpi.MaxSLATargets (or MaxBuckets) durations. A bad value is a
// [UsageError] naming the flag and the entry.
func parseTimingList(flag, value string) (timingList, error) {
	var out timingList
	if strings.TrimSpace(value) == "none" && flag == "sla" {
		for i := range out {
			out[i] = []time.Duration{}
		}
		return out, nil
	}
	limit, what := chatkpi.MaxSLATargets, "SLA targets"
	if flag == "buckets" {
		limit, what = chatkpi.MaxBuckets, "bucket bounds"
	}
	var all []time.Duration // before the first METRIC=
	var named [timingMetrics]bool
	cur := &all
	curName := "every metric"
	for _, entry := range strings.Split(value, ",") {
		entry = strings.TrimSpace(entry)
		dur := entry
		if name, d, ok := strings.Cut(entry, "="); ok {
			i := timingIndex(strings.TrimSpace(name))
			if i < 0 {
				if owner, ok := sharedTimings()[strings.TrimSpace(name)]; ok {
					return out, Usagef("-%s: %q: %s has the settings of %s: name that", flag, entry, strings.TrimSpace(name), owner)
				}
				return out, Usagef("-%s: %q: %q is not a timing metric (want %s)", flag, entry, name, timingNameList())
			}
			if named[i] {
				return out, Usagef("-%s: %q: %s named twice", flag, entry, timingNames()[i][0])
			}
			named[i] = true
			out[i] = []time.Duration{}
			cur, curName, dur = &out[i], timingNames()[i][0], strings.TrimSpace(d)
		}
		x, err := time.ParseDuration(dur)
		if err != nil || x <= 0 {
			return out, Usagef("-%s: %q: %q is not a positive duration such as 90s or 5m", flag, entry, dur)
		}
		if len(*cur) == limit {
			return out, Usagef("-%s: %q: more than %d %s for %s", flag, entry, limit, what, curName)
		}
		if flag == "buckets" && len(*cur) > 0 && x <= (*cur)[len(*cur)-1] {
			return out, Usagef("-%s: %q: %v after %v: the bounds of %s must increase", flag, entry, x, (*cur)[len(*cur)-1], curName)
		}
		if flag == "sla" && slices.Contains(*cur, x) {
			return out, Usagef("-%s: %q: target %v of %s given twice", flag, entry, x, curName)
		}
		*cur = append(*cur, x)
	}
	if len(all) > 0 {
		for i := range out {
			if !named[i] {
				out[i] = slices.Clone(all)
			}
		}
	}
	return out, nil
}

// sharedTimings maps the summary's timing metrics that have no settings of
// their own to the metric whose settings they share (see timingSettings).
func sharedTimings() map[string]string {
	return map[string]string{
		"human_first_response_time": "first_response_time", "bot_first_response_time": "first_response_time",
		"time_to_assignment": "first_response_time", "first_response_after_assignment": "first_response_time",
		"human_response_time": "response_time", "bot_response_time": "response_time",
		"full_resolution_time": "resolution_time", "active_chat_duration": "chat_duration",
		"requester_wait_time": "wait_times", "full_requester_wait_time": "wait_times", "agent_wait_time": "wait_times",
		"full_agent_wait_time": "wait_times", "on_hold_time": "wait_times", "full_on_hold_time": "wait_times",
	}
}

// timingIndex returns the index of a timing metric's name or short name in
// timingNames, or −1.
func timingIndex(name string) int {
	for i, n := range timingNames() {
		if name == n[0] || name == n[1] {
			return i
		}
	}
	return -1
}

// timingNameList lists the names for an error message.
func timingNameList() string {
	var b strings.Builder
	for i, n := range timingNames() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s or %s", n[0], n[1])
	}
	return b.String()
}

// apply copies the lists into the settings; a nil list keeps the default.
func (l *timingList) apply(rs *chatkpi.ReportSettings, sla bool) {
	for i, d := range timingSettings(rs) {
		if l[i] == nil {
			continue
		}
		if sla {
			d.SLA = [chatkpi.MaxSLATargets]time.Duration{}
			copy(d.SLA[:], l[i])
		} else {
			d.Buckets = [chatkpi.MaxBuckets]time.Duration{}
			copy(d.Buckets[:], l[i])
		}
	}
}
