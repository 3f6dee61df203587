// Command telco computes churn on the IBM "Telco Customer Churn" data
// (datasets/telco: 7,043 customers of a telecom company, one row each):
// the overall churn with its Wilson interval, churn by contract type, a
// monthly churn rate turned into churn over a 12-month horizon, and churn by
// tenure cohort.
//
// # What the data can and cannot show
//
// The file is a snapshot, not an activity log. Per the data set's
// description, Churn says whether the customer left within the last month,
// and tenure is the number of whole months the customer had stayed. So:
//
//   - It gives one month of churn: the customers at the start of the last
//     month are those with tenure ≥ 1 (7,032); the 11 with tenure 0 joined
//     during it and none of them left. [chatkpi.ChurnRate] with S = 7,032,
//     E = 5,174 and N = 11 is the monthly churn 1,869 ÷ 7,032. The headline
//     1,869 ÷ 7,043 (26.54 %) is a slightly different thing: the share of
//     the customers in the file who churned, new ones included.
//   - It cannot give a retention curve. Customers who left before the last
//     month are not in the file at all, so every join cohort looks 100 %
//     retained until the last month (survivorship). A cohort triangle
//     ([chatkpi.Cohorts]) built by reconstructing join months
//     (join = snapshot − tenure months) and filling in the months between
//     would invent that activity, so this program does not build one.
//     The snapshot date is not in the file either, so cohorts are named by
//     months since joining, not by calendar month.
//   - What it can show per cohort is the churn of the last month by tenure
//     band, with [chatkpi.ChurnByGroup]: long-tenured customers churn far
//     less — partly because the customers of a band are the survivors of
//     their cohort.
//
// The 12-month figure uses [chatkpi.ChurnOverHorizon]: 1 − (1 − c)^12 for
// a monthly rate c, which assumes every month has the same rate and
// months are independent, and follows a fixed starting population (no new
// customers). A monthly rate this high (over a quarter of the customers in
// one month) suggests that churners are over-represented in the sample, so
// the 12-month figure shows the arithmetic, not a forecast.
//
// Run it from the repository root:
//
//	go run ./examples/telco
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/telco"

	"github.com/chatkpi/chatkpi/internal/version"
)

// horizon is the number of months of the horizon churn.
const horizon = 12

// tenureBand names the cohort of a customer by months since joining,
// zero-padded so that the names sort in time order. Tenure 0 (joined during
// the last month) is a band of its own.
func tenureBand(months int) string {
	switch {
	case months == 0:
		return "00 (joined last month)"
	case months <= 12:
		return "01–12 months"
	case months <= 24:
		return "13–24 months"
	case months <= 48:
		return "25–48 months"
	}
	return "49–72 months"
}

// pct formats a proportion as "x/n (p %)" with the given decimals and its
// 95 % Wilson interval.
func pct(p chatkpi.Proportion, decimals int) string {
	f, err := p.Percent()
	if err != nil {
		return p.String() // "0/0 (no data)"
	}
	s := fmt.Sprintf("%d/%d (%s %%)", p.Successes, p.Trials, chatkpi.FormatFloat(f, decimals))
	if ci, err := p.Wilson(chatkpi.Z95); err == nil {
		s += fmt.Sprintf(", 95 %% CI %s–%s %%", chatkpi.FormatFloat(100*ci.Low, 2), chatkpi.FormatFloat(100*ci.High, 2))
	}
	return s
}

func run(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	customers, err := telco.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	var byContract, byTenure chatkpi.ChurnByGroup
	var acquired, churned int64 // acquired: tenure 0, joined during the last month
	for _, c := range customers {
		byContract.Add(c.Contract, c.Churn)
		byTenure.Add(tenureBand(c.Tenure), c.Churn)
		if c.Tenure == 0 {
			acquired++
		}
		if c.Churn {
			churned++
		}
	}

	total, err := byContract.Total()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "churned in the last month: %s\n", pct(total, 2))
	groups, err := byContract.Groups()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "by contract:")
	for _, g := range groups {
		fmt.Fprintf(w, "  %-15s %s\n", g.Key, pct(g.Churn, 4))
	}

	// The monthly rate over the customers present at the start of the month.
	all := int64(len(customers))
	start, end := all-acquired, all-churned
	monthly, err := chatkpi.ChurnRate(start, end, acquired)
	if err != nil {
		return err
	}
	c, err := monthly.Fraction()
	if err != nil {
		return err
	}
	h, err := chatkpi.ChurnOverHorizon(c, horizon)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "monthly churn: %d at the start, %d at the end, %d acquired: %s\n", start, end, acquired, pct(monthly, 2))
	fmt.Fprintf(w, "churn over %d months at that rate: %s %% of the starting customers\n", horizon, chatkpi.FormatFloat(100*h, 2))
	fmt.Fprintln(w, "  assumes the same monthly rate every month, independent months, no new customers")

	bands, err := byTenure.Groups()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "last month's churn by tenure cohort (survivors of each cohort only):")
	for _, g := range bands {
		fmt.Fprintf(w, "  %-22s %s\n", g.Key, pct(g.Churn, 2))
	}
	return nil
}

func main() {
	data := flag.String("data", filepath.Join("datasets", "telco", "testdata", "Telco-Customer-Churn.csv"),
		"the Telco-Customer-Churn.csv file (the default is relative to the repository root)")
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("telco example"))
		return
	}
	if err := run(os.Stdout, *data); err != nil {
		fmt.Fprintln(os.Stderr, "telco:", err)
		os.Exit(1)
	}
}
