package reportflags

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/internal/render"
)

// conversationFormat returns the format of the per-conversation export
// that a -format names — "conversations" is CSV, "conversations-jsonl"
// JSON Lines — or "" for a summary format.
func conversationFormat(format string) string {
	switch format {
	case "conversations":
		return "csv"
	case "conversations-jsonl":
		return "jsonl"
	}
	return ""
}

// Exporting reports whether -format asks for the per-conversation export
// instead of a summary: the command then gives each conversation to
// [Flags.Export] instead of adding it to the report.
func (f *Flags) Exporting() bool { return conversationFormat(f.format) != "" }

// Export writes the per-conversation export of -format to stdout, or to
// the -o file (whole or not at all): feed gives every conversation to add,
// which measures it as rep would ([chatkpi.Report.Measure]; rep is not
// changed) and writes its row, start times in loc (the -tz zone). One
// conversation is held at a time. add returns Measure's error, an
// [*chatkpi.InputError] for a conversation the report would reject. No
// conversation at all is an error wrapping [chatkpi.ErrNoData].
func (f *Flags) Export(stdout io.Writer, rep *chatkpi.Report, loc *time.Location, feed func(add func(chatkpi.Conversation) error) error) error {
	format := conversationFormat(f.format)
	if format == "" {
		return Usagef("-format: %q is not a per-conversation export", f.format)
	}
	emit := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		cw, err := render.NewConversationWriter(bw, format, loc)
		if err != nil {
			return err
		}
		var m chatkpi.MeasuredConversation
		n := 0
		err = feed(func(c chatkpi.Conversation) error {
			if err := rep.Measure(c, &m); err != nil {
				return err
			}
			n++
			return cw.Write(&m)
		})
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: no conversations in the input", chatkpi.ErrNoData)
		}
		if err := cw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	if f.out == "" {
		return emit(stdout)
	}
	return writeFile(f.out, emit)
}
