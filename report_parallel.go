package chatkpi

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
)

// BuildReport computes the report of chats on several goroutines: each
// worker builds a [Report] of a contiguous shard of chats, and the shards'
// reports are merged in order. Because every accumulator of a report merges
// exactly, the result is the report that adding the conversations one by
// one would give (the same [Report.Summary]; streaming sketches merge bucket
// by bucket, so they too are the same). Merging takes a few per cent of the
// time: a group only one shard has is handed over as it is, and merging
// the others mostly appends kept durations or adds sketch buckets.
//
// In streaming mode the agents' concurrency and presence ([MetricAgents])
// are swept in start order (see [Agents]): each shard but the first keeps
// them exactly until the latest event of the shards before it, so that
// chats in start order give the serial report exactly; in another order
// an agent's concurrency, or the presence, may be undefined, as serially.
//
// workers ≤ 0 means [runtime.GOMAXPROCS](0). The settings are those of every
// worker's report, so a [BusinessHours] or a caller's [Grouping] function given
// in them must be safe for concurrent use ([BusinessHours] is). On invalid
// input it returns the error of the first bad conversation in chats order
// (as adding them one by one gives it, the limit of groups included) and no
// report.
func BuildReport(chats []*Chat, workers int, s ReportSettings) (*Report, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(chats)))
	first, err := NewReport(s)
	if err != nil {
		return nil, err
	}
	shard := func(w int) []*Chat { return chats[w*len(chats)/workers : (w+1)*len(chats)/workers] }
	var before []int64 // the latest end of the shards before each
	if first.proto.agents.bounded {
		before = make([]int64, workers)
		before[0] = noInstant
		for w := 1; w < workers; w++ {
			before[w] = max(before[w-1], latestEnd(shard(w-1)))
		}
	}
	return shardedReport(first, s, workers, before, func(w int, r *Report, stopped func() bool) error {
		for i, c := range shard(w) {
			if i%256 == 0 && stopped() {
				return nil
			}
			if err := r.AddConversation(c); err != nil {
				return err
			}
			r.births.added(c.Meta.ID)
		}
		return nil
	})
}

// shardedReport builds a report of conversations split into workers
// contiguous shards, each added by add(w, r, stopped) to a report r of its
// own (first for shard 0, the others new with settings s), on a goroutine
// of its own when there are several, and merges the shards' reports in
// order. add returns the first error of its shard; it may return early,
// with nil, once stopped reports that an earlier shard failed. With
// before, in streaming mode, shard w's report keeps its agents' heads
// until before[w], the latest end of the shards before it (keepAgentHeads).
//
// The result is the report of adding the conversations one by one, or the
// error that doing so would give first: that of the first shard with an
// error, after the earlier shards' reports (and its own, of the
// conversations before its error) merge; or, when a merge would take the
// report past its MaxGroups, that of the conversation whose groups would
// (see groupBirths; add calls births.added after each conversation).
func shardedReport(first *Report, s ReportSettings, workers int, before []int64,
	add func(w int, r *Report, stopped func() bool) error) (*Report, error) {
	reports := []*Report{first}
	for w := 1; w < workers; w++ {
		r, err := NewReport(s)
		if err != nil {
			return nil, err
		}
		if before != nil {
			r.keepAgentHeads(before[w])
		}
		r.births = &groupBirths{}
		reports = append(reports, r)
	}
	errs := make([]error, workers)
	var failed atomic.Int64 // the first shard known to have failed
	failed.Store(int64(workers))
	run := func(w int) {
		stopped := func() bool { return failed.Load() < int64(w) }
		if errs[w] = add(w, reports[w], stopped); errs[w] != nil {
			for f := failed.Load(); int64(w) < f && !failed.CompareAndSwap(f, int64(w)); f = failed.Load() {
			}
		}
	}
	if workers == 1 {
		run(0)
	} else {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				run(w)
			}()
		}
		wg.Wait()
	}
	for w, r := range reports {
		if w > 0 {
			if err := first.absorb(r); err != nil {
				if past := first.pastLimit(r.births); errors.Is(err, ErrLimit) && past != nil {
					return nil, past
				}
				return nil, err
			}
		}
		if errs[w] != nil {
			return nil, errs[w]
		}
	}
	return first, nil
}

// groupBirths are the groups that a shard's report made, in order, and the
// conversations that made them: so that when merging the shard would take
// the report past its MaxGroups, the error names the conversation that
// adding one by one would refuse (pastLimit).
type groupBirths struct {
	groups []groupKey
	convs  []birthRun // the conversations that made groups, in order
}

type groupKey struct {
	start int64
	key   string
}

// birthRun says that conversation id made groups … end-1 of its
// groupBirths (from the end of the run before).
type birthRun struct {
	id  string
	end int
}

// added notes that conversation id was added; b may be nil (no notes).
func (b *groupBirths) added(id string) {
	if b == nil {
		return
	}
	from := 0
	if n := len(b.convs); n > 0 {
		from = b.convs[n-1].end
	}
	if len(b.groups) > from {
		b.convs = append(b.convs, birthRun{id, len(b.groups)})
	}
}

// pastLimit returns the error of the first conversation of b, the groups
// of a shard's report, that would take r past its limit of groups if
// added after r's conversations, as [credits.roomFor] finds it; nil if
// none would.
func (r *Report) pastLimit(b *groupBirths) error {
	if b == nil {
		return nil
	}
	room := r.cfg.limit() - r.ngroups
	counted := make(map[groupKey]bool)
	from := 0
	for _, c := range b.convs {
		need := 0
		for _, g := range b.groups[from:c.end] {
			if r.groups[g.start][g.key] == nil && !counted[g] {
				counted[g] = true
				need++
			}
		}
		from = c.end
		if need > room {
			return groupLimitError(c.id, r.cfg.limit())
		}
		room -= need
	}
	return nil
}

// absorb merges o, a report with r's settings that is not used afterwards,
// into r: o's groups that r does not have are handed over as they are.
func (r *Report) absorb(o *Report) error {
	if err := r.roomForGroupsOf(o); err != nil {
		return err
	}
	if err := r.overall.merge(&o.overall); err != nil {
		return err
	}
	to := map[*Outcomes]*Outcomes{&o.overall.out: &r.overall.out}
	sets := map[*metricSet]*metricSet{&o.overall: &r.overall} // for the touches' ledger, as to
	for start, byKey := range o.groups {
		mine := r.groups[start]
		for key, set := range byKey {
			if own := mine[key]; own != nil {
				if err := own.merge(set); err != nil {
					return err
				}
				to[&set.out] = &own.out
				sets[set] = own
				continue
			}
			if mine == nil {
				if r.groups == nil {
					r.groups = make(map[int64]map[string]*metricSet)
				}
				mine = make(map[string]*metricSet, len(byKey))
				r.groups[start] = mine
			}
			set.out.repeats = r.repeats // the ledger it is merged into
			set.tickets.touches.repeats = r.touchLedger
			mine[key] = set
			r.ngroups++
		}
	}
	o.groups = nil
	return r.mergeCustomers(o, func(x *Outcomes) *Outcomes {
		if t, ok := to[x]; ok {
			return t
		}
		return x // a group handed over
	}, mergedTouches(sets))
}

// setSummaries are the summaries that [Report.Summary] computes on several
// goroutines: the retention figures, and the summaries of the overall
// metric set and of each group's, each with its error.
type setSummaries struct {
	r            *Report
	groups       []reportGroup
	overallSet   *metricSet // nil until finish
	overall      MetricsSummary
	overallErr   error
	sets         []MetricsSummary // of the groups, in order
	setErrs      []error
	retention    *RetentionSummary
	retentionErr error

	next    atomic.Int64  // the next set to summarize: 0 overall, 1+i group i
	ready   chan struct{} // closed once overallSet is known, or the summaries are dropped
	wg      sync.WaitGroup
	helpers int  // goroutines besides the caller's
	done    bool // finish or drop was called
}

// startSummaries begins the summaries of the report, whose groups are
// groups. Each summary reads only its own accumulators (and the report's
// settings and shared ledgers, which it does not change), so they are
// computed independently, on min(GOMAXPROCS, 2 + number of groups)
// goroutines, the caller's one of them: with several cores the retention
// figures, which read only the customers' state, start at once on another
// goroutine, which then takes its share of the metric sets once finish
// gives them (after the overall set is merged from the groups'). Each
// goroutine has bucket labels of its own; a label depends only on its
// bucket, so the summaries are those of summarizing one after the other.
// finish or drop must follow.
func (r *Report) startSummaries(groups []reportGroup) *setSummaries {
	s := &setSummaries{r: r, groups: groups, sets: make([]MetricsSummary, len(groups)), setErrs: make([]error, len(groups)),
		ready: make(chan struct{})}
	s.helpers = min(runtime.GOMAXPROCS(0), 2+len(groups)) - 1
	for h := range s.helpers {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if h == 0 {
				s.retention, s.retentionErr = r.customers.summary(r.cfg)
			}
			if <-s.ready; s.overallSet != nil {
				s.work()
			}
		}()
	}
	return s
}

// finish summarizes overall, the report's overall set, and the groups'
// sets, and waits for every summary.
func (s *setSummaries) finish(overall *metricSet) {
	if s.helpers == 0 {
		s.retention, s.retentionErr = s.r.customers.summary(s.r.cfg)
	}
	s.overallSet, s.done = overall, true
	close(s.ready)
	s.work()
	s.wg.Wait()
}

// drop waits for the goroutines of summaries that are not finished.
func (s *setSummaries) drop() {
	if !s.done {
		s.done = true
		close(s.ready)
		s.wg.Wait()
	}
}

// work summarizes the sets not taken yet, one after the other.
func (s *setSummaries) work() {
	labels := make(bucketLabels)
	c := s.r.cfg
	for {
		switch i := int(s.next.Add(1) - 1); {
		case i > len(s.groups):
			return
		case i == 0:
			s.overall, s.overallErr = s.overallSet.summary(c, labels)
		default:
			s.sets[i-1], s.setErrs[i-1] = s.groups[i-1].set.summary(c, labels)
		}
	}
}
