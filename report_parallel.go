package chatkpi

import (
	"runtime"
	"sync"
)

// BuildReport computes the report of chats on several goroutines, one
// [Report] per worker, and merges them. Because every accumulator of a
// report merges exactly, the result is the report that adding the
// conversations one by one would give (the same [Report.Summary]; streaming
// sketches merge bucket by bucket, so they too are the same).
//
// How conversations are shared out only changes the speed. A grouped
// report first finds the group of every conversation (both halves of chats
// at once) and gives each worker whole groups, chosen by a hash of the
// group, so that the workers' groups hardly overlap and merging them is
// mostly handing them over; when that would load one worker with more than
// a quarter over its share (few groups), and for an ungrouped report, each
// worker takes a contiguous shard of chats instead.
//
// workers ≤ 0 means [runtime.GOMAXPROCS](0). The options are applied to every
// worker's report, so a [TimeMeasure] or a caller's [Grouping] function given
// in them must be safe for concurrent use ([BusinessHours] is); a grouping
// function is called twice per conversation. On invalid input it returns the
// error of the first bad conversation in chats order and no report.
func BuildReport(chats []*Chat, workers int, opts ...ReportOption) (*Report, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(chats)))
	reports := make([]*Report, workers)
	for w := range reports {
		r, err := NewReport(opts...)
		if err != nil {
			return nil, err
		}
		reports[w] = r
	}
	if workers == 1 {
		for _, c := range chats {
			if err := reports[0].AddConversation(c); err != nil {
				return nil, err
			}
		}
		return reports[0], nil
	}
	var shards []int32
	if reports[0].grouped() {
		shards = shardByGroup(chats, reports)
	}
	firstBad := make([]int, workers)
	errs := make([]error, workers)
	eachWorker(workers, func(w int) {
		r := reports[w]
		lo, hi := 0, len(chats)
		if shards == nil {
			lo, hi = w*len(chats)/workers, (w+1)*len(chats)/workers
		}
		for i := lo; i < hi; i++ {
			if shards != nil && int(shards[i]) != w {
				continue
			}
			if err := r.AddConversation(chats[i]); err != nil {
				firstBad[w], errs[w] = i, err
				return
			}
		}
	})
	// Each worker stops at its first bad conversation, in chats order, so
	// the first bad conversation overall is the earliest of those.
	var err error
	bad := len(chats)
	for w, e := range errs {
		if e != nil && firstBad[w] < bad {
			bad, err = firstBad[w], e
		}
	}
	if err != nil {
		return nil, err
	}
	for _, r := range reports[1:] {
		if err := reports[0].absorb(r); err != nil {
			return nil, err
		}
	}
	return reports[0], nil
}

// eachWorker runs work(w) for w in [0, workers) on as many goroutines and
// waits for them.
func eachWorker(workers int, work func(w int)) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w)
		}()
	}
	wg.Wait()
}

// shardByGroup returns the worker of every chat, chosen by a hash of its
// group (period and key), or nil when that would load one worker with more
// than a quarter over its share. Each worker finds the groups of a
// contiguous part of chats with its own report. A chat whose group cannot
// be found (no start, a failing grouping) goes to worker 0, which reports
// its error.
func shardByGroup(chats []*Chat, reports []*Report) []int32 {
	workers := len(reports)
	shards := make([]int32, len(chats))
	loads := make([][]int, workers)
	eachWorker(workers, func(w int) {
		r, load := reports[w], make([]int, workers)
		for i := w * len(chats) / workers; i < (w+1)*len(chats)/workers; i++ {
			c := chats[i]
			start := c.Meta.Start
			if start.IsZero() && len(c.Events) > 0 {
				start = c.Events[0].Time
			}
			if start.IsZero() {
				load[0]++
				continue
			}
			period, _, err := r.groupOf(&c.Meta, c.Events, start)
			if err != nil {
				load[0]++
				continue
			}
			h := uint64(14695981039346656037) // FNV-1a of the period and the key
			for b := range 8 {
				h = (h ^ uint64(byte(period>>(8*b)))) * 1099511628211
			}
			for _, b := range r.keyBuf {
				h = (h ^ uint64(b)) * 1099511628211
			}
			s := int(h % uint64(workers))
			shards[i] = int32(s)
			load[s]++
		}
		loads[w] = load
	})
	for s := range workers {
		total := 0
		for w := range workers {
			total += loads[w][s]
		}
		if total*4*workers > 5*len(chats) {
			return nil
		}
	}
	return shards
}

// absorb merges o, a report with r's settings that is not used afterwards,
// into r: o's groups that r does not have are handed over as they are.
func (r *Report) absorb(o *Report) error {
	if err := r.overall.merge(&o.overall); err != nil {
		return err
	}
	for start, byKey := range o.groups {
		mine := r.groups[start]
		for key, set := range byKey {
			if own := mine[key]; own != nil {
				if err := own.merge(set); err != nil {
					return err
				}
				continue
			}
			if mine == nil {
				if r.groups == nil {
					r.groups = make(map[int64]map[string]*metricSet)
				}
				mine = make(map[string]*metricSet, len(byKey))
				r.groups[start] = mine
			}
			mine[key] = set
		}
	}
	o.groups = nil
	return nil
}
