package chatkpi

import "time"

// timingKind names the timing metric a [DurationsSettings] belongs to, for
// its default histogram bounds.
type timingKind uint8

const (
	replyTiming      timingKind = iota // first response and response times, queue wait
	resolutionTiming                   // first and full resolution time, ticket wait times
	durationTiming                     // chat duration, full and active
)

// chatBuckets returns the default histogram bounds of a timing metric,
// sized for live chat, where replies come in seconds or minutes and
// conversations end within hours (see [DurationsSettings].Buckets, which
// documents them).
func chatBuckets(k timingKind) []time.Duration {
	const m, h = time.Minute, time.Hour
	switch k {
	case resolutionTiming:
		return []time.Duration{5 * m, 15 * m, h, 4 * h, 24 * h, 72 * h}
	case durationTiming:
		return []time.Duration{m, 5 * m, 15 * m, 30 * m, h, 4 * h}
	}
	return []time.Duration{30 * time.Second, m, 2 * m, 5 * m, 15 * m, h}
}
