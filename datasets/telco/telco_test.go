package telco_test

import (
	"os"
	"strings"
	"testing"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/telco"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readAll(t *testing.T) []telco.Customer {
	t.Helper()
	f, err := os.Open("testdata/Telco-Customer-Churn.csv")
	require.NoError(t, err)
	defer f.Close()
	cs, err := telco.Read(f)
	require.NoError(t, err)
	return cs
}

// The expected figures are those of /work/shared/data/README.md, computed
// independently with pandas and DuckDB.
func TestTelcoChurn(t *testing.T) {
	cs := readAll(t)
	require.Len(t, cs, 7043)

	var byContract chatkpi.ChurnByGroup
	blank := 0
	for _, c := range cs {
		byContract.Add(c.Contract, c.Churn)
		if !c.TotalCharges.Valid {
			blank++
			assert.Equal(t, 0, c.Tenure, c.ID)
		}
	}
	assert.Equal(t, 11, blank, "customers with a blank TotalCharges, all with tenure 0")

	total, err := byContract.Total()
	require.NoError(t, err)
	assert.Equal(t, chatkpi.Proportion{Successes: 1869, Trials: 7043}, total)
	pc, err := total.Percent()
	require.NoError(t, err)
	assert.InDelta(t, 26.536987079369588, pc, 1e-12)

	// The same through the period formula: all 7,043 were customers at the
	// start of the month, 5,174 are left, none were acquired.
	churn, err := chatkpi.ChurnRate(7043, 7043-1869, 0)
	require.NoError(t, err)
	assert.Equal(t, total, churn)

	groups, err := byContract.Groups()
	require.NoError(t, err)
	want := map[string]string{"Month-to-month": "42.7097", "One year": "11.2695", "Two year": "2.8319"}
	require.Len(t, groups, len(want))
	for _, g := range groups {
		pc, err := g.Churn.Percent()
		require.NoError(t, err)
		assert.Equal(t, want[g.Key], chatkpi.FormatFloat(pc, 4), g.Key)
	}
}

func TestTelcoFirstRows(t *testing.T) {
	cs := readAll(t)
	c := cs[0]
	assert.Equal(t, "7590-VHVEG", c.ID)
	assert.Equal(t, "Female", c.Gender)
	assert.True(t, c.Partner)
	assert.False(t, c.Dependents)
	assert.Equal(t, 1, c.Tenure)
	assert.Equal(t, "Month-to-month", c.Contract)
	assert.Equal(t, "29.85", c.MonthlyCharges.String())
	assert.True(t, c.TotalCharges.Valid)
	assert.Equal(t, "29.85", c.TotalCharges.Decimal.String())
	assert.False(t, c.Churn)
}

const header = "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn\n"

func row(tenure, total, churn string) string {
	return "1-A,Female,0,Yes,No," + tenure + ",No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85," + total + "," + churn + "\n"
}

func TestTelcoErrors(t *testing.T) {
	cs, err := telco.Read(strings.NewReader(header + row("0", " ", "No") + row("3", "90.1", "Yes")))
	require.NoError(t, err)
	require.Len(t, cs, 2)
	assert.False(t, cs[0].TotalCharges.Valid)
	assert.True(t, cs[1].Churn)

	for name, tc := range map[string]struct {
		input string
		line  int
		field string
	}{
		"blank total with tenure": {header + row("0", " ", "No") + row("5", " ", "No"), 3, "TotalCharges (column 20)"},
		"bad churn":               {header + row("5", "1", "Maybe"), 2, "Churn (column 21)"},
		"bad tenure":              {header + row("-1", "1", "No"), 2, "tenure (column 6)"},
		"bad total":               {header + row("5", "abc", "No"), 2, "TotalCharges (column 20)"},
		"short row":               {header + "1-A,Female\n", 2, "column 1"},
		"bad header":              {strings.Replace(header, "Churn", "Churned", 1), 1, "Churn (column 21)"},
		"bad quote":               {header + `"1-A` + "\n", 2, "column "},
	} {
		_, err := telco.Read(strings.NewReader(tc.input))
		var ie *chatkpi.InputError
		require.ErrorAs(t, err, &ie, name)
		require.ErrorIs(t, err, chatkpi.ErrInvalid, name)
		assert.Equal(t, tc.line, ie.Line, name)
		assert.Contains(t, ie.Field, tc.field, name)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(header + row("0", " ", "No"))
	f.Add(header + row("12", "100.5", "Yes"))
	f.Add(header)
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := telco.Read(strings.NewReader(s))
		if err != nil {
			require.ErrorIs(t, err, chatkpi.ErrInvalid)
			return
		}
		for _, c := range cs {
			if !c.TotalCharges.Valid && c.Tenure != 0 {
				t.Fatalf("null total with tenure %d", c.Tenure)
			}
		}
	})
}
