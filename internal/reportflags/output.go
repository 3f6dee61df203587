package reportflags

import (
	"bufio"
	"io"
	"os"
	"path/filepath"

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
	return nil, Usagef("-format: %q is not table, json, csv, html, conversations or conversations-jsonl", format)
}

// Write writes the report sum in -format to stdout, or to the -o file;
// title is the HTML page's. A bad -format is a [UsageError] (which
// [Flags.ReportSettings] reports first).
func (f *Flags) Write(stdout io.Writer, sum *chatkpi.Summary, title string) error {
	if f.Exporting() {
		return Usagef("-format %s is a per-conversation export, written by Export", f.format)
	}
	write, err := renderer(f.format)
	if err != nil {
		return err
	}
	emit := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := write(bw, sum, title); err != nil {
			return err
		}
		return bw.Flush()
	}
	if f.out == "" {
		return emit(stdout)
	}
	return writeFile(f.out, emit)
}

// writeFile streams what write writes into a new file next to name and
// renames it to name once complete, so that the report is never held in
// memory whole and a failure leaves no partial file.
func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".chatkpi-*")
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
