package chatkpi

import "sync"

// LiveReport is a [Report] that is safe for concurrent use: conversations
// are added and summaries read from any goroutine, for a dashboard fed by a
// live stream. A mutex serializes every call, so adding is no faster from
// several goroutines than from one, and a Summary holds the lock while it
// is computed. Build one Report per goroutine and Merge them when throughput
// matters. The zero value is an empty ungrouped report with the defaults.
type LiveReport struct {
	mu sync.Mutex
	r  *Report
}

// NewLiveReport returns an empty LiveReport with the settings of
// [NewReport].
func NewLiveReport(s ReportSettings) (*LiveReport, error) {
	r, err := NewReport(s)
	if err != nil {
		return nil, err
	}
	return &LiveReport{r: r}, nil
}

// AddConversation adds c as [Report.AddConversation] does.
func (l *LiveReport) AddConversation(c Conversation) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.report().AddConversation(c)
}

// report returns the report, giving the zero value its defaults; l.mu is
// held.
func (l *LiveReport) report() *Report {
	if l.r == nil {
		l.r = &Report{}
	}
	return l.r
}

// Summary returns the summary of what was added so far, as
// [Report.Summary] does.
func (l *LiveReport) Summary() (*Summary, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.report().Summary()
}

// Snapshot returns an independent copy of the report: later additions to l
// do not change it, and it can be merged, encoded or summarized at leisure.
func (l *LiveReport) Snapshot() (*Report, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.report()
	if err := r.init(); err != nil {
		return nil, err
	}
	return r.clone()
}
