package chatkpi

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// jsonlAcrossLines are inputs whose lines read together would make a
// valid line of the common layout (whitespace in dims, an object's end on
// the next line), and lines of the common layout ended by "\r\n", by
// "\r" at the end, by bytes after the '}', or longer than the limit.
var jsonlAcrossLines = []string{
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","dims":{` + "\n" + `"a":"b"}}` + "\n",
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","dims":` + "\n" + `{"a":"b"}}`,
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","score":` + "\n" + `5}`,
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"` + "\n" + `}`,
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}` + "\r\n" + `{"conversation":"c1","time":"2024-05-01T09:30:01Z","role":"bot","type":"message"}` + "\r",
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"} ` + "\n" + `{"conversation":"c1","time":"2024-05-01T09:30:01Z","role":"bot","type":"message"}x`,
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message"}` + "\r\r\n",
	`{"conversation":"c1","time":"2024-05-01T09:30:00Z","role":"customer","type":"message","customer":"` + strings.Repeat("u", 200) + `"}` + "\n",
}

// Reading ahead reads the inputs of jsonlAcrossLines line by line, as the
// sequential reading does (which FuzzJSONLReadAhead checks for any input),
// also with a line limit that the long line is over.
func TestJSONLReadAheadAcrossLines(t *testing.T) {
	read := func(data string, size int, opts ...ReaderOption) (recs []Record, errs []string) {
		r := sizedReader(t, []byte(data), size, false, opts...)
		for range len(data) + 2 {
			rec, err := r.Next()
			switch {
			case err == io.EOF:
				return recs, errs
			case err != nil:
				errs = append(errs, err.Error())
				if _, ok := err.(*InputError); !ok || len(errs) > 1 && errs[len(errs)-2] == err.Error() {
					return recs, errs // permanent: returned again
				}
			default:
				recs = append(recs, rec)
			}
		}
		t.Fatal("Next does not end")
		return nil, nil
	}
	for _, data := range jsonlAcrossLines {
		for _, opts := range [][]ReaderOption{nil, {MaxLineSize(150)}, {MaxLineSize(150), SkipInvalid(func(*InputError) {})}} {
			recs, errs := read(data, 0, opts...)
			gotRecs, gotErrs := read(data, chunkBytes, opts...)
			require.Equal(t, recs, gotRecs, "%q", data)
			require.Equal(t, errs, gotErrs, "%q", data)
		}
	}
}
