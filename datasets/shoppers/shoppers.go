// Package shoppers reads the UCI "Online Shoppers Purchasing Intention" data
// set (12,330 web sessions, one row each) into typed records, so that
// conversion rates can be computed with the chatkpi API. There is no visitor
// id, so the data serves conversion by dimension, not retention.
//
// The CSV is in testdata/ with an ATTRIBUTION.md (CC BY 4.0).
package shoppers

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/chatkpi/chatkpi"
)

// Session is one row of the data set.
type Session struct {
	// Pages visited and seconds spent per page category.
	Administrative, Informational, ProductRelated                         int
	AdministrativeDuration, InformationalDuration, ProductRelatedDuration float64
	BounceRates, ExitRates, PageValues, SpecialDay                        float64
	// Month of the session; the file has no year or day.
	Month                                          time.Month
	OperatingSystems, Browser, Region, TrafficType int
	// VisitorType is "Returning_Visitor", "New_Visitor" or "Other".
	VisitorType string
	Weekend     bool
	// Revenue says whether the session ended in a purchase: the conversion.
	Revenue bool
}

// Header returns the exact header line the reader expects.
func Header() []string {
	return []string{
		"Administrative", "Administrative_Duration", "Informational", "Informational_Duration", "ProductRelated",
		"ProductRelated_Duration", "BounceRates", "ExitRates", "PageValues", "SpecialDay", "Month", "OperatingSystems",
		"Browser", "Region", "TrafficType", "VisitorType", "Weekend", "Revenue",
	}
}

// Read parses the CSV with its header line. Errors wrap [chatkpi.ErrInvalid]
// and are [*chatkpi.InputError] values with the 1-based line and the column
// ("Month (column 11)").
func Read(r io.Reader) ([]Session, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(Header())
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, csvError(err)
	}
	for i, h := range Header() {
		if head[i] != h {
			return nil, &chatkpi.InputError{Line: 1, Event: -1, Field: column(i), Reason: fmt.Sprintf("header is %q, want %q", head[i], h)}
		}
	}
	var out []Session
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		s, err := parse(rec, line)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
}

func column(i int) string { return fmt.Sprintf("%s (column %d)", Header()[i], i+1) }

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &chatkpi.InputError{Line: pe.Line, Event: -1, Field: fmt.Sprintf("column %d", pe.Column), Reason: pe.Err.Error()}
	}
	return &chatkpi.InputError{Event: -1, Reason: err.Error()}
}

// month reads the data set's month names, which spell June in full.
func month(s string) (time.Month, bool) {
	switch s {
	case "Jan":
		return time.January, true
	case "Feb":
		return time.February, true
	case "Mar":
		return time.March, true
	case "Apr":
		return time.April, true
	case "May":
		return time.May, true
	case "Jun", "June":
		return time.June, true
	case "Jul":
		return time.July, true
	case "Aug":
		return time.August, true
	case "Sep":
		return time.September, true
	case "Oct":
		return time.October, true
	case "Nov":
		return time.November, true
	case "Dec":
		return time.December, true
	}
	return 0, false
}

func parse(rec []string, line int) (Session, error) {
	var s Session
	var bad *chatkpi.InputError
	fail := func(col int, format string, args ...any) {
		if bad == nil {
			bad = &chatkpi.InputError{Line: line, Event: -1, Field: column(col), Reason: fmt.Sprintf(format, args...)}
		}
	}
	count := func(col int) int {
		n, err := strconv.Atoi(rec[col])
		if err != nil || n < 0 {
			fail(col, "%q is not a non-negative integer", rec[col])
		}
		return n
	}
	number := func(col int) float64 {
		x, err := strconv.ParseFloat(rec[col], 64)
		if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
			fail(col, "%q is not a non-negative number", rec[col])
		}
		return x
	}
	boolean := func(col int) bool {
		switch rec[col] {
		case "TRUE":
			return true
		case "FALSE":
			return false
		}
		fail(col, "%q is not TRUE or FALSE", rec[col])
		return false
	}
	s.Administrative, s.AdministrativeDuration = count(0), number(1)
	s.Informational, s.InformationalDuration = count(2), number(3)
	s.ProductRelated, s.ProductRelatedDuration = count(4), number(5)
	s.BounceRates, s.ExitRates, s.PageValues, s.SpecialDay = number(6), number(7), number(8), number(9)
	m, ok := month(rec[10])
	if !ok {
		fail(10, "unknown month %q", rec[10])
	}
	s.Month = m
	s.OperatingSystems, s.Browser, s.Region, s.TrafficType = count(11), count(12), count(13), count(14)
	switch s.VisitorType = rec[15]; s.VisitorType {
	case "Returning_Visitor", "New_Visitor", "Other":
	default:
		fail(15, "unknown visitor type %q", s.VisitorType)
	}
	s.Weekend, s.Revenue = boolean(16), boolean(17)
	if bad != nil {
		return Session{}, bad
	}
	return s, nil
}
