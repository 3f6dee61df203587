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
// How conversations are shared out only changes the speed. Each worker
// takes a contiguous shard of chats, and the shards' reports are merged,
// which in exact mode is mostly appending the kept durations. In streaming
// mode, where merging sketches bin by bin costs more, a grouped report
// shares out whole groups instead: each worker reads a contiguous part of
// chats, adds the conversations of the groups it owns (chosen by a hash of
// the group) and hands the others to their owners, so that the workers'
// groups hardly overlap and merging them is mostly handing them over — unless
// a sample of the conversations shows that would load one worker with more
// than a quarter over its share (few groups).
//
// workers ≤ 0 means [runtime.GOMAXPROCS](0). The options are applied to every
// worker's report, so a [TimeMeasure] or a caller's [Grouping] function given
// in them must be safe for concurrent use ([BusinessHours] is); a grouping
// function may be called twice for a conversation. On invalid input it
// returns the error of the first bad conversation in chats order and no
// report.
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
	// Every worker adds every conversation given to it, even after an
	// error, and keeps the earliest error: the first bad conversation is
	// the earliest of those.
	firstBad := make([]int, workers)
	errs := make([]error, workers)
	add := func(w, i int) {
		if err := reports[w].AddConversation(chats[i]); err != nil && (errs[w] == nil || i < firstBad[w]) {
			firstBad[w], errs[w] = i, err
		}
	}
	if reports[0].cfg.streaming && reports[0].grouped() && groupsBalanced(chats, reports[0], workers) {
		// handed[from][to] lists the conversations worker from read and
		// worker to owns.
		handed := make([][][]int, workers)
		eachWorker(workers, func(w int) {
			r := reports[w]
			handed[w] = make([][]int, workers)
			for i := w * len(chats) / workers; i < (w+1)*len(chats)/workers; i++ {
				if s, ok := r.shardOf(chats[i], workers); ok && s != w {
					handed[w][s] = append(handed[w][s], i)
					continue
				}
				add(w, i) // its own, or a conversation without a group: its error
			}
		})
		eachWorker(workers, func(w int) {
			for from := range workers {
				for _, i := range handed[from][w] {
					add(w, i)
				}
			}
		})
	} else {
		eachWorker(workers, func(w int) {
			for i := w * len(chats) / workers; i < (w+1)*len(chats)/workers; i++ {
				add(w, i)
			}
		})
	}
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

// shardOf returns the worker owning the group of c: a hash of its period
// and key. It is false for a conversation whose group cannot be found (no
// start, a failing grouping); adding it will report why.
func (r *Report) shardOf(c *Chat, workers int) (int, bool) {
	start := c.Meta.Start
	if start.IsZero() && len(c.Events) > 0 {
		start = c.Events[0].Time
	}
	if start.IsZero() {
		return 0, false
	}
	period, _, err := r.groupOf(&c.Meta, c.Events, start)
	if err != nil {
		return 0, false
	}
	h := uint64(14695981039346656037) // FNV-1a of the period and the key
	for b := range 8 {
		h = (h ^ uint64(byte(period>>(8*b)))) * 1099511628211
	}
	for _, b := range r.keyBuf {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return int(h % uint64(workers)), true
}

// groupsBalanced reports whether sharing out whole groups would give no
// worker more than a quarter over its share, judged on up to 4096
// conversations spread evenly over chats.
func groupsBalanced(chats []*Chat, r *Report, workers int) bool {
	n := min(len(chats), 4096)
	load := make([]int, workers)
	for k := range n {
		s, _ := r.shardOf(chats[k*len(chats)/n], workers)
		load[s]++
	}
	for _, l := range load {
		if l*4*workers > 5*n {
			return false
		}
	}
	return true
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
