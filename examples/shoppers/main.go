// Command shoppers computes conversion rates on the UCI "Online Shoppers
// Purchasing Intention" data (datasets/shoppers: 12,330 web-shop sessions,
// one row each; a session converts when it ends in a purchase): the overall
// rate with its Wilson interval, the rate by visitor type and by month with
// [chatkpi.ConversionByGroup], and side-by-side comparisons of two groups
// with [chatkpi.CompareProportions].
//
// The comparisons are observational. New and returning visitors, or weekend
// and weekday sessions, were not assigned at random as the two arms of a
// greeting A/B test would be: they differ in many ways besides the split
// (intent, traffic source, season), so a difference that is statistically
// significant is a difference between the groups, not the effect of anything
// the shop did. The same call on the counts of a randomized test would
// estimate that effect.
//
// The file has a month but no year or day, so months are keys ("05 May"),
// not calendar periods; there is no visitor id, so no retention. The
// greeting [chatkpi.Funnel] (displayed → accepted → converted) is not shown:
// the data has no greeting step to tie it to.
//
// Run it from the repository root:
//
//	go run ./examples/shoppers
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/shoppers"

	"github.com/chatkpi/chatkpi/internal/version"
)

// monthKey names a month so that keys sort in calendar order: "05 May".
func monthKey(m time.Month) string { return fmt.Sprintf("%02d %s", int(m), m.String()[:3]) }

// rate formats a conversion result: counts, percentage and 95 % Wilson
// interval (which ConversionResult carries).
func rate(r chatkpi.ConversionResult) string {
	return fmt.Sprintf("%s, 95 %% CI %s–%s %%", r.Rate,
		chatkpi.FormatFloat(100*r.Interval.Low, 2), chatkpi.FormatFloat(100*r.Interval.High, 2))
}

func run(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sessions, err := shoppers.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	var byVisitor, byMonth, byDay chatkpi.ConversionByGroup // zero value: grouped by key only
	for _, s := range sessions {
		// The time argument is only read when grouping by period.
		if err := byVisitor.Add(s.VisitorType, time.Time{}, s.Revenue); err != nil {
			return err
		}
		if err := byMonth.Add(monthKey(s.Month), time.Time{}, s.Revenue); err != nil {
			return err
		}
		day := "weekday"
		if s.Weekend {
			day = "weekend"
		}
		if err := byDay.Add(day, time.Time{}, s.Revenue); err != nil {
			return err
		}
	}

	total, err := byVisitor.Total()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "conversion: %s\n", rate(total))
	visitors, err := printGroups(w, "by visitor type", &byVisitor)
	if err != nil {
		return err
	}
	months, err := printGroups(w, "by month", &byMonth)
	if err != nil {
		return err
	}
	// A month with no session has no rate, not a rate of 0.
	for m := time.January; m <= time.December; m++ {
		if _, ok := months[monthKey(m)]; !ok {
			fmt.Fprintf(w, "  %-17s no sessions\n", monthKey(m))
		}
	}
	days, err := printGroups(w, "by day", &byDay)
	if err != nil {
		return err
	}

	// Observational splits, not randomized arms: see the package comment.
	if err := compare(w, visitors, "New_Visitor", "Returning_Visitor"); err != nil {
		return err
	}
	return compare(w, days, "weekend", "weekday")
}

// printGroups prints every group's rate and returns them by key.
func printGroups(w io.Writer, title string, g *chatkpi.ConversionByGroup) (map[string]chatkpi.Proportion, error) {
	groups, err := g.Groups()
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, title+":")
	byKey := make(map[string]chatkpi.Proportion, len(groups))
	for _, r := range groups {
		fmt.Fprintf(w, "  %-17s %s\n", r.Key, rate(r.ConversionResult))
		byKey[r.Key] = r.Rate
	}
	return byKey, nil
}

// compare prints A − B in percentage points with its 95 % interval and the
// two-sided p-value of the two-proportion z-test.
func compare(w io.Writer, groups map[string]chatkpi.Proportion, a, b string) error {
	c, err := chatkpi.CompareProportions(groups[a], groups[b])
	if err != nil {
		return fmt.Errorf("%s vs %s: %w", a, b, err)
	}
	fmt.Fprintf(w, "%s − %s: %s points, 95 %% CI %s to %s points, z = %s, p = %s\n", a, b,
		chatkpi.FormatFloat(100*c.Difference, 2),
		chatkpi.FormatFloat(100*c.Interval.Low, 2), chatkpi.FormatFloat(100*c.Interval.High, 2),
		chatkpi.FormatFloat(c.Z, 2), strconv.FormatFloat(c.P, 'g', 3, 64))
	return nil
}

func main() {
	data := flag.String("data", filepath.Join("datasets", "shoppers", "testdata", "online_shoppers_intention.csv"),
		"the online_shoppers_intention.csv file (the default is relative to the repository root)")
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("shoppers example"))
		return
	}
	if err := run(os.Stdout, *data); err != nil {
		fmt.Fprintln(os.Stderr, "shoppers:", err)
		os.Exit(1)
	}
}
