// Command mkdata converts the Twitter customer-care conversations of
// datasets/twitter (dev.json, then test.json) into the JSON Lines event file
// that the chatkpi command embeds and reads when it is run without
// arguments. Run it with go generate in cmd/chatkpi; a test checks that the
// committed file is what it writes now.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chatkpi/chatkpi"
	"github.com/chatkpi/chatkpi/datasets/twitter"

	"github.com/chatkpi/chatkpi/internal/version"
)

// sources are the raw files, in the order their conversations are written.
func sources() []string { return []string{"dev.json", "test.json"} }

func main() {
	src := flag.String("src", "../../datasets/twitter/testdata", "folder holding dev.json and test.json")
	out := flag.String("o", "data/twitter-customer-care.jsonl", "output file")
	showVersion := flag.Bool("version", false, "print the module version and VCS revision of this build, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.String("mkdata"))
		return
	}
	if err := writeFile(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkdata:", err)
		os.Exit(1)
	}
}

// writeFile writes the converted data set to out, only if every conversation
// converts, so that a failure never leaves a truncated file behind.
func writeFile(src, out string) error {
	var b bytes.Buffer
	if err := convert(&b, src); err != nil {
		return err
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}

// convert writes every conversation of the source files to w, one event per
// line, conversations contiguous and in file order.
func convert(w io.Writer, src string) error {
	bw := bufio.NewWriter(w)
	jw := chatkpi.NewJSONLWriter(bw)
	for _, name := range sources() {
		chats, err := twitter.LoadFile(filepath.Join(src, name))
		if err != nil {
			return err
		}
		for _, c := range chats {
			if err := jw.WriteConversation(c); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	if err := jw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}
