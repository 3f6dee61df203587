package reportflags

import (
	"strings"
	"testing"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTimingList(t *testing.T) {
	s, m, h := time.Second, time.Minute, time.Hour
	d := func(ds ...time.Duration) []time.Duration { return ds }
	for _, c := range []struct {
		flag, value string
		want        timingList // index: frt, response, resolution, duration, queue, wait
	}{
		{"sla", "frt=60s,resolution=24h", timingList{d(m), nil, d(24 * h), nil, nil, nil}},
		{"sla", "frt=30s,1m,resolution=24h", timingList{d(30*s, m), nil, d(24 * h), nil, nil, nil}},
		{"sla", "first_response_time=1m, queue_wait = 20s", timingList{d(m), nil, nil, nil, d(20 * s), nil}},
		{"sla", "2m", timingList{d(2 * m), d(2 * m), d(2 * m), d(2 * m), d(2 * m), d(2 * m)}},
		{"sla", "2m,duration=1h,wait=8h", timingList{d(2 * m), d(2 * m), d(2 * m), d(h), d(2 * m), d(8 * h)}},
		{"sla", "none", timingList{{}, {}, {}, {}, {}, {}}},
		{"sla", "1m,30s", timingList{d(m, 30*s), d(m, 30*s), d(m, 30*s), d(m, 30*s), d(m, 30*s), d(m, 30*s)}}, // targets in any order
		{"buckets", "30s,1m,5m,15m,1h,4h,24h", timingList{d(30*s, m, 5*m, 15*m, h, 4*h, 24*h), d(30*s, m, 5*m, 15*m, h, 4*h, 24*h),
			d(30*s, m, 5*m, 15*m, h, 4*h, 24*h), d(30*s, m, 5*m, 15*m, h, 4*h, 24*h), d(30*s, m, 5*m, 15*m, h, 4*h, 24*h),
			d(30*s, m, 5*m, 15*m, h, 4*h, 24*h)}},
		{"buckets", "response=10s,20s,resolution=1h", timingList{nil, d(10*s, 20*s), d(h), nil, nil, nil}},
	} {
		got, err := parseTimingList(c.flag, c.value)
		require.NoError(t, err, "-%s %s", c.flag, c.value)
		assert.Equal(t, c.want, got, "-%s %s", c.flag, c.value)
	}
}

func TestParseTimingListErrors(t *testing.T) {
	for _, c := range []struct{ flag, value, want string }{
		{"sla", "frtt=60s", `-sla: "frtt=60s": "frtt" is not a timing metric (want first_response_time or frt, response_time or response, resolution_time or resolution, chat_duration or duration, queue_wait or queue, wait_times or wait)`},
		{"sla", "human_first_response_time=60s", `-sla: "human_first_response_time=60s": human_first_response_time has the settings of first_response_time: name that`},
		{"buckets", "full_resolution_time=1h", `-buckets: "full_resolution_time=1h": full_resolution_time has the settings of resolution_time`},
		{"sla", "frt=soon", `-sla: "frt=soon": "soon" is not a positive duration such as 90s or 5m`},
		{"sla", "frt=1m,0s", `-sla: "0s": "0s" is not a positive duration`},
		{"sla", "frt=1m,frt=2m", `-sla: "frt=2m": first_response_time named twice`},
		{"sla", "frt=1m,60s", `-sla: "60s": target 1m0s of first_response_time given twice`},
		{"sla", "1s,2s,3s,4s,5s,6s,7s,8s,9s", `-sla: "9s": more than 8 SLA targets for every metric`},
		{"sla", "", `-sla: "": "" is not a positive duration`},
		{"buckets", "queue=1h,1m", `-buckets: "1m": 1m0s after 1h0m0s: the bounds of queue_wait must increase`},
		{"buckets", "none", `-buckets: "none": "none" is not a positive duration`},
		{"buckets", "frt=", `-buckets: "frt=": "" is not a positive duration`},
	} {
		_, err := parseTimingList(c.flag, c.value)
		require.Error(t, err, "-%s %s", c.flag, c.value)
		assert.True(t, isUsage(err))
		assert.True(t, strings.HasPrefix(err.Error(), c.want), "-%s %s: %v", c.flag, c.value, err)
	}
}

// The flags reach the report: FRT targets are the human and bot first
// response times' too, and the buckets replace the chat defaults.
func TestSLAAndBucketFlags(t *testing.T) {
	rs, err := parse(t, "-sla", "frt=30s,1m,resolution=24h", "-buckets", "30s,1m,5m,15m,1h,4h,24h")
	require.NoError(t, err)
	assert.Equal(t, [chatkpi.MaxSLATargets]time.Duration{30 * time.Second, time.Minute}, rs.FirstResponse.Durations.SLA)
	assert.Zero(t, rs.ResponseTime.Durations.SLA, "-sla replaces the default, which had a response_time target")
	assert.Equal(t, [chatkpi.MaxSLATargets]time.Duration{24 * time.Hour}, rs.ResolutionTime.Durations.SLA)
	for _, d := range timingSettings(&rs) {
		assert.Equal(t, [chatkpi.MaxBuckets]time.Duration{30 * time.Second, time.Minute, 5 * time.Minute,
			15 * time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour}, d.Buckets)
	}
	_, err = chatkpi.NewReport(rs)
	require.NoError(t, err)

	_, err = parse(t, "-sla", "frt=1m,frtt=2m")
	require.Error(t, err)
	assert.True(t, isUsage(err))
}

// FuzzParseTimingList: a bad -sla or -buckets is a usage error, never a
// panic; an accepted one is a list the report takes, and writing it back
// per metric reads the same.
func FuzzParseTimingList(f *testing.F) {
	for _, s := range []string{"frt=60s,resolution=24h", "30s,1m,5m", "none", "frt=30s,1m,queue=5s", "x=1s", "1h,1m",
		"frt=1m,frt=1m", "=", ",", "duration=1ns", "9223372036854775807ns", "1s,2s,3s,4s,5s,6s,7s,8s"} {
		f.Add("sla", s)
		f.Add("buckets", s)
	}
	f.Fuzz(func(t *testing.T, flag, value string) {
		if flag != "sla" {
			flag = "buckets"
		}
		l, err := parseTimingList(flag, value)
		if err != nil {
			if !isUsage(err) {
				t.Fatalf("-%s %q: %v is not a usage error", flag, value, err)
			}
			return
		}
		var rs chatkpi.ReportSettings
		l.apply(&rs, flag == "sla")
		if _, err := chatkpi.NewReport(rs); err != nil {
			t.Fatalf("-%s %q: the report rejects %v: %v", flag, value, l, err)
		}
		var parts []string
		for i, ds := range l {
			if len(ds) == 0 {
				continue
			}
			for j, d := range ds {
				if j == 0 {
					parts = append(parts, timingNames()[i][0]+"="+d.String())
				} else {
					parts = append(parts, d.String())
				}
			}
		}
		if len(parts) == 0 {
			return // "none"
		}
		back, err := parseTimingList(flag, strings.Join(parts, ","))
		if err != nil {
			t.Fatalf("-%s %q: written back as %q: %v", flag, value, strings.Join(parts, ","), err)
		}
		for i := range l {
			if len(l[i]) > 0 && !equalDurations(l[i], back[i]) {
				t.Fatalf("-%s %q: %v written back reads %v", flag, value, l, back)
			}
		}
	})
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
