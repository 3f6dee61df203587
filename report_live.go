package chatkpi

import (
	"errors"
	"sync"
	"time"
)

// LiveReport is a [Report] fed by an [Assembler], safe for concurrent use:
// events or whole conversations are added and summaries read from any
// goroutine, for a chat backend that keeps its metrics live.
//
// Readers do not stall writers. Writers add to one report; a reader swaps
// it for an emptied one under the lock (a pointer swap and a look-up per
// group, plus a copy of about
// 100 bytes per open conversation for [LiveReport.LiveSummary], or an
// encoding of the open conversations' events for a checkpoint), then
// merges what it took into the readers' own report and computes the
// summary there, outside the lock. Readers take turns, so however many
// poll, writers wait for one swap at a time and compete with one reader
// for the processor. Memory: the readers' report and the writers' both
// hold every group (the writers' emptied at each read), twice the memory
// of one report.
//
// Writers are serialized by one mutex, so adding is no faster from several
// goroutines than from one; build one Report per goroutine and Merge them
// when throughput matters.
//
// The zero value is an empty ungrouped report with the defaults, fed by an
// assembler with the default [AssemblerSettings].
type LiveReport struct {
	mu       sync.Mutex
	r        *Report // writers add here; a reader takes it
	asm      Assembler
	rejected int64 // closed conversations the report rejected

	readers sync.Mutex // one reader at a time
	merged  *Report    // every report the readers took, merged; guarded by readers
	spare   *Report    // the report taken last, merged, to be emptied; guarded by readers
}

// NewLiveReport returns an empty LiveReport whose report has the settings
// r (as [NewReport]) and whose assembler, fed by [LiveReport.AddEvent], has
// the settings a (as [NewAssembler]).
func NewLiveReport(r ReportSettings, a AssemblerSettings) (*LiveReport, error) {
	rep, err := NewReport(r)
	if err != nil {
		return nil, err
	}
	cfg, err := a.withDefaults()
	if err != nil {
		return nil, err
	}
	l := &LiveReport{r: rep}
	l.asm.setup(cfg)
	return l, nil
}

// AddConversation adds a whole conversation c as [Report.AddConversation]
// does, bypassing the assembler.
func (l *LiveReport) AddConversation(c Conversation) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.report().AddConversation(c)
}

// AddEvent gives one event to the assembler ([Assembler.Add]) at the
// instant now. Conversations go to the report in [LiveReport.Advance].
func (l *LiveReport) AddEvent(now time.Time, info Info, e Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.asm.Add(now, info, e)
}

// Close closes an open conversation explicitly ([Assembler.Close]); it goes
// to the report in the next [LiveReport.Advance] after the Lateness.
func (l *LiveReport) Close(now time.Time, id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.asm.Close(now, id)
}

// Advance adds the conversations whose time has come at now to the report
// ([Assembler.Advance]) and returns the errors of those it rejected (also
// counted in LiveSummary's RejectedConversations). A backend calls it
// every so often, and after closing conversations.
func (l *LiveReport) Advance(now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.advance(now)
}

// Drain adds every open conversation to the report at once
// ([Assembler.Drain]), for a shutdown without a checkpoint.
func (l *LiveReport) Drain() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count(l.asm.Drain(l.report()))
}

// advance is Advance with l.mu held.
func (l *LiveReport) advance(now time.Time) error {
	return l.count(l.asm.Advance(now, l.report()))
}

// count counts the conversations that err (joined by the assembler)
// rejects.
func (l *LiveReport) count(err error) error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		l.rejected += int64(len(j.Unwrap()))
	} else {
		l.rejected++
	}
	return err
}

// report returns the report, giving the zero value its defaults; l.mu is
// held.
func (l *LiveReport) report() *Report {
	if l.r == nil {
		l.r = &Report{}
	}
	return l.r
}

// liveState is what a reader takes under the lock.
type liveState struct {
	open       []openFacts // the open conversations, if asked for
	assembler  []byte      // the assembler's encoding, if asked for
	duplicates int64
	rejected   int64
}

// What a reader takes besides the report.
const (
	takeOpen      = 1 << iota // the open conversations' facts
	takeAssembler             // the assembler's encoding (a checkpoint)
)

// take swaps the writers' report for an empty one with the same groups and
// merges it into l.merged; at the same instant it copies the open
// conversations' facts (takeOpen, one step per open conversation) or
// encodes the assembler (takeAssembler, linear in the open conversations'
// events). The caller holds l.readers.
//
// The writers' report keeps every group there is (emptied, not dropped, at
// each read), so that its limit of groups (ReportMaxGroups) counts all of
// them, and so that merging it never takes l.merged past that limit.
func (l *LiveReport) take(what int) (liveState, error) {
	spare := l.spare
	if spare == nil {
		l.mu.Lock()
		r := l.report()
		err := r.init()
		if err == nil {
			spare = r.emptyLike()
		}
		l.mu.Unlock()
		if err != nil {
			return liveState{}, err
		}
		if l.merged != nil {
			spare.carryGroups(l.merged)
		}
	} else {
		spare.emptyGroups()
	}
	var st liveState
	var err error
	l.mu.Lock()
	spare.carryGroups(l.r) // the groups written to since the last read
	taken := l.r
	l.r = spare
	if what&takeOpen != 0 {
		st.open = l.asm.openFacts()
	}
	if what&takeAssembler != 0 {
		st.assembler, err = l.asm.MarshalBinary()
	}
	st.duplicates, st.rejected = l.asm.duplicates, l.rejected
	l.mu.Unlock()
	l.spare = nil
	if l.merged == nil {
		l.merged = taken.emptyLike()
	}
	if merr := l.merged.mergeTaken(taken); merr != nil {
		return st, merr
	}
	l.spare = taken
	return st, err
}

// carryGroups gives r an empty group for each group of o that it lacks.
func (r *Report) carryGroups(o *Report) {
	for start, byKey := range o.groups {
		mine := r.groups[start]
		for key := range byKey {
			if mine[key] == nil {
				r.group(start, key)
				mine = r.groups[start]
			}
		}
	}
}

// emptyGroups empties the overall metrics and every group in place,
// keeping the groups.
func (r *Report) emptyGroups() {
	r.overall = r.proto
	for _, byKey := range r.groups {
		for _, set := range byKey {
			*set = r.proto
		}
	}
	r.customers = newCustomerState(r.cfg, &r.proto)
	r.repeats.reset()
	r.touchLedger.reset()
	r.shareCustomerIDs()
}

// mergeTaken merges a report taken from the writers into r, skipping the
// groups that hold nothing (the emptied ones no conversation reached since
// the last read: r has each of them already, or it stays out of the
// summary as it would in one report).
func (r *Report) mergeTaken(o *Report) error {
	if !r.grouped() {
		return r.Merge(o)
	}
	if err := r.overall.merge(&o.overall); err != nil { // a grouped report's count of conversations
		return err
	}
	to := make(map[*Outcomes]*Outcomes)
	sets := make(map[*metricSet]*metricSet)
	for start, byKey := range o.groups {
		for key, set := range byKey {
			if o.holdsNothing(set, true) {
				continue // no resolution of the ledger
			}
			mine := r.group(start, key)
			if err := mine.merge(set); err != nil {
				return err
			}
			to[&set.out] = &mine.out
			sets[set] = mine
		}
	}
	return r.mergeCustomers(o, func(x *Outcomes) *Outcomes { return to[x] }, mergedTouches(sets))
}

// Summary returns the summary of the conversations added to the report so
// far (closed ones; see [LiveReport.LiveSummary] for the open ones), as
// [Report.Summary] does.
func (l *LiveReport) Summary() (*Summary, error) {
	l.readers.Lock()
	defer l.readers.Unlock()
	if _, err := l.take(0); err != nil {
		return nil, err
	}
	return l.merged.Summary()
}

// LiveSummary is the live view of a [LiveReport]: the closed conversations
// exactly, and separately the open ones as they stand, provisional. A
// conversation is in one of the two, never in both: it moves from Open to
// Closed when it closes.
type LiveSummary struct {
	// Closed is the summary of the conversations that went to the report
	// ([Report.Summary]); null until one has.
	Closed *Summary `json:"closed"`
	// Open describes the open conversations at the summary's instant.
	Open OpenSummary `json:"open"`
	// DuplicatesDropped counts the events dropped as re-deliveries.
	DuplicatesDropped int64 `json:"duplicates_dropped"`
	// RejectedConversations counts conversations that closed and that the
	// report rejected (a score off its scale, a feedback before any bot
	// reply); Advance and Drain returned their errors.
	RejectedConversations int64 `json:"rejected_conversations"`
}

// LiveSummary returns the closed conversations' summary and the open
// conversations as of asOf ([Assembler.OpenSummary]).
func (l *LiveReport) LiveSummary(asOf time.Time) (*LiveSummary, error) {
	l.readers.Lock()
	defer l.readers.Unlock()
	st, err := l.take(takeOpen)
	if err != nil {
		return nil, err
	}
	out := &LiveSummary{DuplicatesDropped: st.duplicates, RejectedConversations: st.rejected}
	if out.Closed, err = l.merged.Summary(); err != nil && !errors.Is(err, ErrNoData) {
		return nil, err
	}
	if out.Open, err = openSummary(asOf, st.open); err != nil {
		return nil, err
	}
	return out, nil
}

// Snapshot returns an independent copy of the report: later additions to l
// do not change it, and it can be merged, encoded or summarized at leisure.
func (l *LiveReport) Snapshot() (*Report, error) {
	l.readers.Lock()
	defer l.readers.Unlock()
	if _, err := l.take(0); err != nil {
		return nil, err
	}
	return l.merged.clone()
}

// MarshalBinary encodes the report and the assembler together, a
// checkpoint: a LiveReport restored from it ([LiveReport.UnmarshalBinary])
// goes on without losing or double counting an event.
func (l *LiveReport) MarshalBinary() ([]byte, error) {
	l.readers.Lock()
	defer l.readers.Unlock()
	st, err := l.take(takeAssembler)
	if err != nil {
		return nil, err
	}
	rb, err := l.merged.MarshalBinary()
	if err != nil {
		return nil, err
	}
	e := newEncoder(tagLiveReport, len(rb)+len(st.assembler)+16)
	e.bytes(rb)
	e.bytes(st.assembler)
	e.uvarint(uint64(st.rejected))
	return e.finish(), nil
}

// UnmarshalBinary restores a checkpoint of [LiveReport.MarshalBinary]; the
// report decodes as [Report.UnmarshalBinary] does (a zero-value LiveReport
// takes the encoding's settings), the assembler as
// [Assembler.UnmarshalBinary]. On error l is unchanged.
func (l *LiveReport) UnmarshalBinary(data []byte) error {
	d := newDecoder(data, tagLiveReport, "live report")
	rb, ab := d.bytes(), d.bytes()
	rejected := d.count()
	if err := d.finish(); err != nil {
		return err
	}
	l.readers.Lock()
	defer l.readers.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	r := &Report{}
	if l.r != nil && l.r.cfg != nil {
		r = l.r.emptyLike()
	}
	if err := r.UnmarshalBinary(rb); err != nil {
		return err
	}
	fresh := r.emptyLike()
	fresh.carryGroups(r)
	var a Assembler
	if l.asm.cfg.MaxEvents != 0 {
		a.setup(l.asm.cfg)
	}
	if err := a.UnmarshalBinary(ab); err != nil {
		return err
	}
	l.merged, l.spare, l.r, l.asm, l.rejected = r, nil, fresh, a, rejected
	return nil
}
