package chatkpi

import (
	"errors"
	"runtime"
	"sync/atomic"
)

// Report returns the report, with settings s, of every conversation of the
// inputs given to [Joiner.Read]: the conversations that
// [Joiner.Conversations] yields, added to a new [Report] in that order, or
// the error that adding them one by one gives first (and no report). Like
// Conversations it ends the Joiner's reading, and it releases the memory of
// the events as it goes.
//
// It builds the report on [runtime.GOMAXPROCS](0) goroutines, as
// [BuildReport] does: the conversations are split into as many contiguous
// shards of about the same number of events, each goroutine builds the
// conversations of its shard and adds them to a report of its own, and
// the shards' reports are merged in order, which gives the report of adding
// the conversations one after the other (the same [Report.Summary]; in
// exact mode the same MarshalBinary too). A report in streaming mode with
// [MetricAgents] is built on one goroutine: it sweeps the agents' intervals
// in the order of the conversations, and a shard that does not know the
// conversations before it could declare undefined figures that the serial
// report knows (see [Agents]; [BuildReport] holds back each shard's first
// intervals, exact only in start order, which a Joiner's order of first
// appearance need not be).
//
// The settings are those of every goroutine's report, so a [BusinessHours]
// or a caller's [Grouping] function given in them must be safe for
// concurrent use ([BusinessHours] is). An error does not tell the lines of
// the conversation: to report them (as [Joiner.Line] does), read the inputs
// again and add the conversations of Conversations one by one.
func (j *Joiner) Report(s ReportSettings) (*Report, error) {
	switch {
	case j.mode == joinGrouped:
		return nil, errors.New("chatkpi: Joiner: Report after Grouped")
	case j.iterated:
		return nil, errors.New("chatkpi: Joiner: Report after Conversations or Report")
	}
	j.mode, j.iterated = joinDone, true
	defer j.dropHeld()
	j.endReading()
	first, err := NewReport(s)
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	if first.proto.agents.bounded && first.cfg.metrics&MetricAgents != 0 {
		workers = 1
	}
	workers = max(1, min(workers, j.nheld))
	left := j.store.eventsLeft()
	convs := j.shards(workers)
	return shardedReport(first, s, workers, nil, func(w int, r *Report, stopped func() bool) error {
		return j.addShard(r, convs[w], convs[w+1], left, stopped)
	})
}

// shards splits the held conversations into n contiguous shards of about
// the same number of events: shard w is conversations convs[w] …
// convs[w+1]-1.
func (j *Joiner) shards(n int) (convs []int) {
	convs = make([]int, n+1)
	k, at := 0, 0
	for w := 1; w < n; w++ {
		for k < j.nheld && at < w*j.store.n/n {
			at += int(j.conv(k).n)
			k++
		}
		convs[w] = k
	}
	convs[n] = j.nheld
	return convs
}

// addShard adds held conversations lo … hi-1 to r, building them in
// batches in memory that it reuses, and releases the memory of each conversation once added, and
// that of the store's blocks once all of their events are built (left is
// shared with the goroutines building the other shards, see blockTally).
// It returns the first error of r, or nil early once stopped reports true.
func (j *Joiner) addShard(r *Report, lo, hi int, left []atomic.Int32, stopped func() bool) error {
	var b chatBatch
	var tally blockTally
	for k := lo; k < hi && !stopped(); {
		b.plan(j, k, hi)
		b.build(j, true)
		for x, chat := range b.chats {
			if err := r.AddConversation(chat); err != nil {
				return err
			}
			r.births.added(chat.Meta.ID)
			*j.conv(b.first + x) = held{}
		}
		k += b.n
		// A block of held conversations whose conversations are all of this
		// shard is not read by another goroutine.
		for blk := b.first / heldBlock; (blk+1)*heldBlock <= k; blk++ {
			if blk*heldBlock >= lo && j.held[blk] != nil {
				j.held[blk] = nil
			}
		}
		tally.release(&j.store, left, b.uses)
	}
	return nil
}
