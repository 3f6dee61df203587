package render

import (
	"errors"
	"io"

	"github.com/chatkpi/chatkpi"
)

func HTML(w io.Writer, s *chatkpi.Summary, title string) error {
	if s == nil {
		return errors.New("render: nil summary")
	}
	return nil
}
