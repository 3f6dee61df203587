package chatkpi

import (
	"runtime"
	"sync"
)

// BuildReport computes the report of chats on several goroutines: it cuts
// chats into one contiguous shard per worker, builds a [Report] per shard
// and merges them in shard order. Because every accumulator of a report
// merges exactly, the result is the report that adding the conversations
// one by one would give (the same [Report.Summary]; streaming sketches merge
// bucket by bucket, so they too are the same).
//
// workers ≤ 0 means [runtime.GOMAXPROCS](0). The options are applied to every
// shard's report, so a [TimeMeasure] or a caller's [Grouping] function given
// in them must be safe for concurrent use ([BusinessHours] is). On invalid
// input it returns the error of the first bad conversation in chats order
// and no report.
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
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w, r := range reports {
		lo, hi := w*len(chats)/workers, (w+1)*len(chats)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range chats[lo:hi] {
				if err := r.AddConversation(c); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	// Shards are contiguous and each stops at its first error, so the first
	// error in shard order is the first bad conversation.
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, r := range reports[1:] {
		if err := reports[0].Merge(r); err != nil {
			return nil, err
		}
	}
	return reports[0], nil
}
