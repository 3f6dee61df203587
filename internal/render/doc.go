// Package render writes a [chatkpi.Summary] for people and programs: an
// aligned plain-text table for the terminal, indented JSON (the stable
// schema), CSV with one row per group and period, and a self-contained HTML
// page with inline SVG charts that needs no network. It also draws the
// progress line the command prints on standard error while it reads events.
//
// Renderers only format: every number comes from the Summary. The table and
// the HTML page round half away from zero with [chatkpi.FormatFloat]; JSON
// and CSV keep full precision. A metric without data (a nil pointer in the
// Summary) is never shown as 0: it is null in JSON, an empty cell in CSV and
// "no data" in the table and the page.
package render
