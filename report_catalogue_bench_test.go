package chatkpi_test

import (
	"testing"

	"github.com/chatkpi/chatkpi"
)

// BenchmarkReportAllMetrics is BenchmarkReportStreaming with every metric,
// the successful chats and the agents included: the cost of the opt-in
// metrics whose state grows with the conversations.
func BenchmarkReportAllMetrics(b *testing.B) {
	benchmarkReport(b, chatkpi.ReportSettings{Metrics: chatkpi.AllMetrics}.WithStreaming(0))
}
