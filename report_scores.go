package chatkpi

// scoreRanges is, for each survey kind, the range [lo, end) of the scores
// that a Rating event may have in a report: on the kind's scale (surveyScores,
// which ValidateEvent checks) and on the scale of the report's accumulator
// of that kind (Report.onScale). Report.check's first scan passes the
// Ratings within it without a call. The zero value holds no score.
type scoreRanges [CESSurvey + 1]struct{ lo, end int8 }

// scoreRangesOf returns the score ranges of a report whose empty
// accumulators are p.
func scoreRangesOf(p *metricSet) scoreRanges {
	var s scoreRanges
	for k := range s {
		lo, hi := surveyScores(Survey(k))
		var scale Scale
		switch Survey(k) {
		case CSATSurvey:
			scale = p.csat.Scale()
		case NPSSurvey:
			scale = Scale{Min: npsMin, Max: npsMax}
		case CESSurvey:
			scale = p.ces.Scale().Scale()
		default:
			continue // none
		}
		if l, h := max(int(lo), scale.Min), min(int(hi), scale.Max); l <= h {
			s[k].lo, s[k].end = int8(l), int8(h+1)
		}
	}
	return s
}

// hold reports whether the score of e, a Rating, is in the range of its
// survey kind.
func (s *scoreRanges) hold(e *Event) bool {
	if e.Survey > CESSurvey {
		return false
	}
	r := s[e.Survey]
	return e.Score >= r.lo && e.Score < r.end
}
