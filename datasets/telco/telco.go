// Package telco reads the IBM "Telco Customer Churn" data set (7,043
// customers, one row each) into typed records, so that churn can be computed
// with the chatkpi API. The data is a snapshot: Churn is a status (the
// customer left within the last month), not a dated event.
//
// The CSV is in testdata/ with its Apache-2.0 LICENSE and an ATTRIBUTION.md.
package telco

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/chatkpi/chatkpi"
	"github.com/shopspring/decimal"
)

// Customer is one row of the data set. Columns not listed here (phone and
// internet services) are checked for presence in the header but not kept.
type Customer struct {
	ID            string // customerID
	Gender        string // "Female" or "Male"
	SeniorCitizen bool   // 1 or 0
	Partner       bool   // Yes/No
	Dependents    bool   // Yes/No
	// Tenure is the number of months the customer has stayed (0–72).
	Tenure int
	// Contract is "Month-to-month", "One year" or "Two year".
	Contract         string
	PaperlessBilling bool
	PaymentMethod    string
	MonthlyCharges   decimal.Decimal
	// TotalCharges is null (Valid false) for customers with tenure 0, whose
	// total is blank in the file: they have not been billed yet. A blank
	// total with a tenure above 0 is an error.
	TotalCharges decimal.NullDecimal
	Churn        bool // Yes/No
}

// Header returns the exact header line the reader expects.
func Header() []string {
	return []string{
		"customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "PhoneService", "MultipleLines",
		"InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
		"StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn",
	}
}

const (
	colID, colGender, colSenior, colPartner, colDependents, colTenure     = 0, 1, 2, 3, 4, 5
	colContract, colPaperless, colPayment, colMonthly, colTotal, colChurn = 15, 16, 17, 18, 19, 20
)

// Read parses the CSV with its header line. Errors wrap [chatkpi.ErrInvalid]
// and are [*chatkpi.InputError] values with the 1-based line and the column
// ("TotalCharges (column 20)").
func Read(r io.Reader) ([]Customer, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(Header())
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, csvError(err, 1)
	}
	for i, h := range Header() {
		if head[i] != h {
			return nil, &chatkpi.InputError{Line: 1, Event: -1, Field: column(i), Reason: fmt.Sprintf("header is %q, want %q", head[i], h)}
		}
	}
	var out []Customer
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvError(err, 0)
		}
		line, _ := cr.FieldPos(0)
		c, err := parse(rec, line)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

func column(i int) string { return fmt.Sprintf("%s (column %d)", Header()[i], i+1) }

func csvError(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &chatkpi.InputError{Line: pe.Line, Event: -1, Field: fmt.Sprintf("column %d", pe.Column), Reason: pe.Err.Error()}
	}
	return &chatkpi.InputError{Line: line, Event: -1, Reason: err.Error()}
}

func parse(rec []string, line int) (Customer, error) {
	fail := func(col int, format string, args ...any) (Customer, error) {
		return Customer{}, &chatkpi.InputError{Line: line, Event: -1, Field: column(col), Reason: fmt.Sprintf(format, args...)}
	}
	yesNo := func(col int) (bool, bool) {
		switch rec[col] {
		case "Yes":
			return true, true
		case "No":
			return false, true
		}
		return false, false
	}
	c := Customer{ID: rec[colID], Gender: rec[colGender], Contract: rec[colContract], PaymentMethod: rec[colPayment]}
	if c.ID == "" {
		return fail(colID, "empty customer id")
	}
	switch rec[colSenior] {
	case "0":
	case "1":
		c.SeniorCitizen = true
	default:
		return fail(colSenior, "%q is not 0 or 1", rec[colSenior])
	}
	var ok bool
	for _, f := range []struct {
		col int
		dst *bool
	}{{colPartner, &c.Partner}, {colDependents, &c.Dependents}, {colPaperless, &c.PaperlessBilling}, {colChurn, &c.Churn}} {
		if *f.dst, ok = yesNo(f.col); !ok {
			return fail(f.col, "%q is not Yes or No", rec[f.col])
		}
	}
	tenure, err := strconv.Atoi(rec[colTenure])
	if err != nil || tenure < 0 {
		return fail(colTenure, "%q is not a number of months", rec[colTenure])
	}
	c.Tenure = tenure
	switch c.Contract {
	case "Month-to-month", "One year", "Two year":
	default:
		return fail(colContract, "unknown contract %q", c.Contract)
	}
	if c.MonthlyCharges, err = decimal.NewFromString(rec[colMonthly]); err != nil || c.MonthlyCharges.IsNegative() {
		return fail(colMonthly, "%q is not an amount", rec[colMonthly])
	}
	switch total := strings.TrimSpace(rec[colTotal]); {
	case total == "" && tenure == 0:
		// Not billed yet: kept, with a null total.
	case total == "":
		return fail(colTotal, "blank total charges for a tenure of %d months", tenure)
	default:
		v, err := decimal.NewFromString(total)
		if err != nil || v.IsNegative() {
			return fail(colTotal, "%q is not an amount", rec[colTotal])
		}
		c.TotalCharges = decimal.NullDecimal{Decimal: v, Valid: true}
	}
	return c, nil
}
