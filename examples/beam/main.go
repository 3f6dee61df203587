// Command beam computes a chatkpi report over JSON Lines event files with an
// Apache Beam pipeline (see package beamreport) and writes the report's
// summary as one line of JSON, the schema of `chatkpi -format json`.
//
// It runs on any Beam runner; the default is prism, in this process:
//
//	go -C examples/beam run . -input "$PWD/cmd/chatkpi/data/*.jsonl" -output /tmp/summary.json
//
// and on a cluster with the runner's flags, for example:
//
//	go -C examples/beam run . -input 'gs://bucket/events/*.jsonl' -output gs://bucket/summary.json \
//	    --runner=dataflow --project=PROJECT --region=europe-west1 --temp_location=gs://bucket/tmp
//
// See README.md in this directory.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/examples/beam/beamreport"

	"github.com/chatkpi/chatkpi/internal/version"
)

func main() {
	var c chatkpi.ReportCombiner
	input := flag.String("input", "", "glob of JSON Lines event files (local or gs://…), required")
	output := flag.String("output", "", "file to write the summary JSON to, required")
	flag.StringVar(&c.Period, "period", "", `group by period: "day", "week", "month" or "year"`)
	groupBy := flag.String("group-by", "", `comma-separated groupings: agent, handler, source, channel, priority, dim:NAME`)
	flag.StringVar(&c.TimeZone, "time-zone", "", "IANA zone periods are cut in (default UTC)")
	flag.StringVar(&c.WeekStart, "week-start", "", "first day of a week (default monday)")
	streaming := flag.Bool("streaming", false, "bounded-memory percentiles (DDSketch) instead of exact ones")
	accuracy := flag.Float64("accuracy", 0, "relative accuracy of -streaming percentiles (default 0.01)")
	per := flag.String("per", "", `one report per value of "source", "channel", "customer" or "dim:NAME": one JSON line {"key", "summary"} each`)
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("beam example"))
		return
	}
	beam.Init()
	if *input == "" || *output == "" {
		fmt.Fprintln(os.Stderr, "beam: -input and -output are required")
		flag.Usage()
		os.Exit(2)
	}
	for _, d := range []*chatkpi.DurationsSettings{&c.FirstResponse.Durations, &c.ResponseTime.Durations,
		&c.ResolutionTime.Durations, &c.ChatDuration.Durations, &c.QueueWait.Durations} {
		d.Streaming, d.RelativeAccuracy = *streaming, *accuracy
	}
	if *groupBy != "" {
		c.GroupBy = strings.Split(*groupBy, ",")
	}
	if err := run(*input, *output, *per, c); err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(1)
	}
}

func run(input, output, per string, c chatkpi.ReportCombiner) error {
	p, s := beam.NewPipelineWithRoot()
	var summary beam.PCollection
	var err error
	if per == "" {
		summary, err = beamreport.Report(s, input, c)
	} else {
		summary, err = beamreport.ReportPerKey(s, input, per, c)
	}
	if err != nil {
		return err
	}
	textio.Write(s, output, summary)
	return beamx.Run(context.Background(), p)
}
