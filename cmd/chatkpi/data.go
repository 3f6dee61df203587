package main

import _ "embed"

// sampleName is the name under which errors and the progress line refer to
// the embedded sample.
const sampleName = "twitter-customer-care.jsonl (embedded)"

// sample is the data the command reads without file arguments: the Twitter
// customer-care conversations in the JSON Lines event format, written by
// internal/mkdata (Apache-2.0, see data/LICENSE and data/ATTRIBUTION.md).
//
//go:embed data/twitter-customer-care.jsonl
var sample []byte
