package main

import (
	"errors"
	"io"
	"time"

	"github.com/chatkpi/chatkpi"
)

// exportAdder writes each conversation given to it as a row of the
// per-conversation export (-format conversations, conversations-jsonl).
type exportAdder func(chatkpi.Conversation) error

func (add exportAdder) AddConversation(c chatkpi.Conversation) error { return add(c) }

// export reads the inputs as execute does — the same readers, joining,
// -skip-invalid and -grouped — and writes one row per conversation, measured
// by rep, instead of the summary.
func (s *settings) export(rep *chatkpi.Report, loc *time.Location, inputs []input, stdout, stderr io.Writer, stderrIsTerminal bool) error {
	err := s.report.Export(stdout, rep, loc, func(add func(chatkpi.Conversation) error) error {
		_, err := s.read(exportAdder(add), nil, nil, inputs, stderr, stderrIsTerminal)
		return err
	})
	if errors.Is(err, chatkpi.ErrNoData) {
		return errors.New("no conversations in the input")
	}
	return err
}
