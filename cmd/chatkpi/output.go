package main

import (
	"io"
	"strings"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/render"
)

// renderFunc writes a summary; title is used by the HTML page only.
type renderFunc func(w io.Writer, s *chatkpi.Summary, title string) error

func renderer(format string) (renderFunc, error) {
	switch format {
	case "table":
		return func(w io.Writer, s *chatkpi.Summary, _ string) error { return render.Table(w, s) }, nil
	case "json":
		return func(w io.Writer, s *chatkpi.Summary, _ string) error { return render.JSON(w, s) }, nil
	case "csv":
		return func(w io.Writer, s *chatkpi.Summary, _ string) error { return render.CSV(w, s) }, nil
	case "html":
		return render.HTML, nil
	}
	return nil, usagef("-format: %q is not table, json, csv or html", format)
}

// title names the report after its inputs.
func title(args []string) string {
	if len(args) == 0 {
		return "chatkpi report: Twitter customer care (sample)"
	}
	names := make([]string, len(args))
	for i, a := range args {
		if a == "-" {
			a = "standard input"
		}
		names[i] = a
	}
	return "chatkpi report: " + strings.Join(names, ", ")
}
