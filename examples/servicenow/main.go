// Command servicenow runs chatkpi on a real IT help desk: the ServiceNow
// incident log of datasets/servicenow (20,769 incidents, 119,998 state
// updates, 2016; UCI, CC BY 4.0). It prints, per priority, the resolution
// time, the reopens and the incidents that waited on the caller (Awaiting
// User Info), all from one [chatkpi.Report] grouped by priority, and then
// compares chatkpi's SLA verdict under a documented policy with
// ServiceNow's own made_sla.
//
// # The policy
//
// ServiceNow's SLA definitions are not in the data, so the policy is a
// stated common practice, not one fitted to made_sla: the "standard
// baseline" of incident resolution SLAs quoted on the ServiceNow Community
// ("SLAs for incident", 2025): P1 Critical 4 hours and P2 High 8 hours
// around the clock (24x7), P3 Moderate 3 business days and P4 Low 5
// business days on the "8-5 weekdays" schedule. A business day is one day
// of that schedule, 08:00–17:00 Monday to Friday (9 hours, as ServiceNow
// counts a duration against a schedule), so 27 and 45 business hours; the
// data's times have no zone and are read as UTC, and the log has no
// holiday calendar. The clock starts at opened_at and stops at the
// resolution; the baseline pauses it while the incident waits on the
// caller, which is chatkpi's requester wait (pending, Awaiting User Info,
// pauses; on hold, Awaiting Vendor/Problem, does not). The program reports
// both clocks: requester_wait (the baseline) and resolution (no pause).
//
// # Agreement with made_sla
//
// For every incident chatkpi decides (met or breached: the log is final,
// so a clock still running is an incident never resolved, which has no
// verdict), the verdict agrees with made_sla when met ⇔ made_sla is true.
// The differences are explained in datasets/servicenow/README.md.
//
// Run it from the repository root:
//
//	go run ./examples/servicenow
//
// or from elsewhere with -data pointing at the zip file.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/servicenow"
	"github.com/chatkpi/chatkpi/internal/version"
)

// Priorities are the log's priorities, most urgent first.
func priorities() []string {
	return []string{"1 - Critical", "2 - High", "3 - Moderate", "4 - Low"}
}

// Policy returns the documented SLA policy (see the package doc): for each
// priority a requester-wait and a resolution target of the same length, in
// the business hours bh for P3 and P4.
func Policy(bh *chatkpi.BusinessHours) chatkpi.SLAPolicy {
	p := chatkpi.SLAPolicy{BusinessHours: bh}
	targets := []struct {
		priority string
		target   time.Duration
		business bool
	}{
		{"1 - Critical", 4 * time.Hour, false},
		{"2 - High", 8 * time.Hour, false},
		{"3 - Moderate", 3 * 9 * time.Hour, true},
		{"4 - Low", 5 * 9 * time.Hour, true},
	}
	n := 0
	for _, m := range []chatkpi.SLAMetric{chatkpi.RequesterWaitSLA, chatkpi.ResolutionSLA} {
		for _, t := range targets {
			p.Targets[n] = chatkpi.SLATarget{Metric: m, Priority: t.priority, Target: t.target, BusinessHours: t.business}
			n++
		}
	}
	return p
}

// EightToFive is ServiceNow's "8-5 weekdays" schedule in UTC.
func EightToFive() (*chatkpi.BusinessHours, error) {
	var rs []chatkpi.OpeningRange
	for d := time.Monday; d <= time.Friday; d++ {
		rs = append(rs, chatkpi.OpeningRange{Day: d, Start: 8 * time.Hour, End: 17 * time.Hour})
	}
	return chatkpi.NewBusinessHours(time.UTC, rs)
}

func run(w io.Writer, dataPath string) error {
	log, err := servicenow.LoadFile(dataPath)
	if err != nil {
		return err
	}
	q := log.Quirks
	fmt.Fprintf(w, "incidents: %d from %d rows (skipped: %d with an unknown state, %d out of sequence)\n",
		q.Incidents, q.Rows, q.UnknownState, q.OutOfOrder)
	fmt.Fprintf(w, "  resolved at creation without resolved_at (not resolved): %d; final resolution moved to resolved_at: %d, added: %d\n",
		q.ResolvedWithoutTime, q.ResolutionMoved, q.ResolutionAdded)

	bh, err := EightToFive()
	if err != nil {
		return err
	}
	policy := Policy(bh)
	report, err := chatkpi.NewReport(chatkpi.ReportSettings{
		GroupBy: [chatkpi.MaxGroupings]chatkpi.Grouping{chatkpi.GroupByPriority()},
		Metrics: chatkpi.MetricResolutionTime | chatkpi.MetricOutcomes | chatkpi.MetricWaitTimes | chatkpi.MetricSLA,
		SLA:     policy,
	})
	if err != nil {
		return err
	}
	for _, c := range log.Incidents {
		if err := report.AddConversation(c); err != nil {
			return err
		}
	}
	s, err := report.Summary()
	if err != nil {
		return err
	}
	printResolution(w, s)
	printSLA(w, s)
	return printAgreement(w, log, policy)
}

// groups returns the summary's groups by priority.
func groups(s *chatkpi.Summary) map[string]*chatkpi.MetricsSummary {
	by := map[string]*chatkpi.MetricsSummary{}
	for i := range s.Groups {
		by[s.Groups[i].Key["priority"]] = &s.Groups[i].MetricsSummary
	}
	return by
}

func printResolution(w io.Writer, s *chatkpi.Summary) {
	fmt.Fprintln(w, "full resolution time (opened_at to the final resolution), reopens, waits on the caller:")
	row := func(name string, m *chatkpi.MetricsSummary) {
		f := m.FullResolution
		fmt.Fprintf(w, "  %-13s %6d resolved, p50 %7s s, p90 %7s s, reopened %3d, pending at some point %4d\n", name, f.Count,
			chatkpi.FormatFloat(*f.P50Seconds, 0), chatkpi.FormatFloat(*f.P90Seconds, 0), m.Reopen.Count, m.WaitTimes.PendingConversations)
	}
	row("all", &s.Overall)
	by := groups(s)
	for _, p := range priorities() {
		row(p, by[p])
	}
}

func printSLA(w io.Writer, s *chatkpi.Summary) {
	fmt.Fprintln(w, "SLA policy (see the program's doc): attainment = met ÷ decided, 95 % Wilson interval")
	by := groups(s)
	for _, p := range priorities() {
		sp := by[p].SLAPolicy
		for _, x := range []struct {
			name string
			m    *chatkpi.SLAMetricSummary
		}{{"requester_wait", sp.RequesterWait}, {"resolution", sp.Resolution}} {
			m, a := x.m, x.m.Attainment
			fmt.Fprintf(w, "  %-13s %-14s met %5d, breached %5d, running %4d: %s %% (%s–%s %%)\n", p, x.name, m.Met, m.Breached, m.Running,
				chatkpi.FormatFloat(a.Percent, 2), chatkpi.FormatFloat(a.CILow, 2), chatkpi.FormatFloat(a.CIHigh, 2))
		}
	}
}

// agreement counts, for one priority and SLA metric, chatkpi's verdicts
// against made_sla.
type agreement struct {
	metMade, metNot, breachedMade, breachedNot, undecided int64
}

func (a *agreement) decided() int64 { return a.metMade + a.metNot + a.breachedMade + a.breachedNot }

func printAgreement(w io.Writer, log *servicenow.Log, policy chatkpi.SLAPolicy) error {
	sla, err := chatkpi.NewSLA(policy)
	if err != nil {
		return err
	}
	counts := map[string]*[2]agreement{} // by priority: requester wait, resolution
	for i, c := range log.Incidents {
		vs, err := sla.Verdicts(c)
		if err != nil {
			return err
		}
		if counts[c.Meta.Priority] == nil {
			counts[c.Meta.Priority] = new([2]agreement)
		}
		for _, v := range vs {
			a := &counts[c.Meta.Priority][v.Target.Metric-chatkpi.RequesterWaitSLA]
			made := log.MadeSLA[i]
			switch {
			case v.Status == chatkpi.SLARunning:
				a.undecided++
			case v.Status == chatkpi.SLAMet && made:
				a.metMade++
			case v.Status == chatkpi.SLAMet:
				a.metNot++
			case made:
				a.breachedMade++
			default:
				a.breachedNot++
			}
		}
	}
	fmt.Fprintln(w, "agreement with ServiceNow's made_sla (decided incidents; met ⇔ made_sla):")
	for _, p := range priorities() {
		for k, name := range []string{"requester_wait", "resolution"} {
			a := counts[p][k]
			agree := chatkpi.Proportion{Successes: a.metMade + a.breachedNot, Trials: a.decided()}
			pct, _ := agree.Percent()
			fmt.Fprintf(w, "  %-13s %-14s %5d/%5d agree (%s %%); met but made_sla false %d, breached but made_sla true %d; no verdict %d\n",
				p, name, agree.Successes, agree.Trials, chatkpi.FormatFloat(pct, 2), a.metNot, a.breachedMade, a.undecided)
		}
	}
	return nil
}

func main() {
	data := flag.String("data", filepath.Join("datasets", "servicenow", "testdata", "IT_Incident_Data.zip"),
		"the data set's zip file, or its Master_Ticket_Dataset.csv (the default is relative to the repository root)")
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("servicenow example"))
		return
	}
	if err := run(os.Stdout, *data); err != nil {
		fmt.Fprintln(os.Stderr, "servicenow:", err)
		os.Exit(1)
	}
}
