package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const chromiumPath = "/usr/bin/chromium"

// chromium returns the browser, skips the test when it is not installed, and
// fails it instead when CI=true: CI installs chromium, so its absence there
// is a broken pipeline, not a reason to skip.
func chromium(t *testing.T) string {
	t.Helper()
	_, err := os.Stat(chromiumPath)
	switch verdict, msg := browserVerdict(err, os.Getenv("CI")); verdict {
	case browserFail:
		t.Fatal(msg)
	case browserSkip:
		t.Skip(msg)
	}
	return chromiumPath
}

type browserAction int

const (
	browserRun browserAction = iota
	browserSkip
	browserFail
)

// browserVerdict decides from the result of looking for chromium and the CI
// variable whether the browser test runs, skips or fails.
func browserVerdict(statErr error, ci string) (browserAction, string) {
	switch {
	case statErr == nil:
		return browserRun, ""
	case ci == "true":
		return browserFail, fmt.Sprintf("CI=true but %s is missing (%v): install Debian's chromium", chromiumPath, statErr)
	default:
		return browserSkip, fmt.Sprintf("skipping the browser test: %s not found (apt-get install chromium; with CI=true this fails)", chromiumPath)
	}
}

func TestBrowserVerdict(t *testing.T) {
	missing := &os.PathError{Op: "stat", Path: chromiumPath, Err: os.ErrNotExist}
	for _, tc := range []struct {
		err  error
		ci   string
		want browserAction
	}{
		{nil, "", browserRun}, {nil, "true", browserRun},
		{missing, "", browserSkip}, {missing, "false", browserSkip}, {missing, "1", browserSkip},
		{missing, "true", browserFail},
	} {
		got, msg := browserVerdict(tc.err, tc.ci)
		assert.Equal(t, tc.want, got, "%v CI=%q", tc.err, tc.ci)
		if got != browserRun {
			assert.Contains(t, msg, chromiumPath)
		}
	}
}

// runChromium runs headless chromium on url with extra flags and returns its
// standard output.
func runChromium(t *testing.T, url string, flags ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
		"--user-data-dir=" + t.TempDir(),
	}, flags...)
	cmd := exec.CommandContext(ctx, chromium(t), append(args, url)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // no writes to the real profile or cache
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "chromium failed; stderr:\n%s", stderr.String())
	return stdout.Bytes()
}

// servePage serves page at / on 127.0.0.1 and records every request path.
func servePage(t *testing.T, page []byte) (url string, requests func() []string) {
	t.Helper()
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), paths...)
	}
}

// measureScript, added to the page by the test only, writes the on-screen
// size of every chart into <pre id="result"> for --dump-dom.
const measureScript = `<script>
window.addEventListener("load", function () {
  var out = [];
  document.querySelectorAll("svg.chart").forEach(function (e) {
    var r = e.getBoundingClientRect();
    var drawn = 0;
    e.querySelectorAll(".series").forEach(function (s) {
      var b = s.getBoundingClientRect();
      if (b.width > 0 && b.height > 0) { drawn++; }
    });
    out.push({class: e.getAttribute("class"), width: r.width, height: r.height, drawn: drawn});
  });
  document.querySelectorAll(".no-data").forEach(function (e) {
    var r = e.getBoundingClientRect();
    out.push({class: "no-data", width: r.width, height: r.height});
  });
  var pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
`

// withoutCSP drops the page's Content-Security-Policy so that the test
// observes what the markup itself would fetch (the policy would block it
// before it reached the server) and may run its own script.
func withoutCSP(t *testing.T, page string) string {
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>\n`)
	require.Regexp(t, csp, page)
	return csp.ReplaceAllString(page, "")
}

func TestHTMLInBrowser(t *testing.T) {
	chromium(t)
	// A real report by month, with data for every chart (pageFixture).
	page := renderHTML(t, pageFixture(t), "Support report, 2024")
	require.Empty(t, externalRefs(page))
	const charts = 12

	t.Run("screenshot", func(t *testing.T) {
		t.Parallel()
		url, requests := servePage(t, []byte(page))
		shot := filepath.Join(t.TempDir(), "report.png")
		runChromium(t, url, "--screenshot="+shot, "--window-size=1280,3600", "--hide-scrollbars")
		assert.Equal(t, []string{"/"}, requests(), "the page must make no request besides itself")

		data, err := os.ReadFile(shot)
		require.NoError(t, err)
		require.NotEmpty(t, data)
		img, err := png.Decode(bytes.NewReader(data))
		require.NoError(t, err, "the screenshot is not a PNG")
		assert.Equal(t, 1280, img.Bounds().Dx())
		assert.Equal(t, 3600, img.Bounds().Dy())
		colours := map[uint32]bool{}
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 7 {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 7 {
				r, g, b, _ := img.At(x, y).RGBA()
				colours[r>>8<<16|g>>8<<8|b>>8] = true
			}
		}
		assert.Greater(t, len(colours), 20, "the screenshot looks blank")
		if dst := os.Getenv("CHATKPI_SCREENSHOT"); dst != "" {
			require.NoError(t, os.WriteFile(dst, data, 0o644))
		}
	})

	t.Run("charts have a size", func(t *testing.T) {
		t.Parallel()
		measured := strings.Replace(withoutCSP(t, page), "</body>", measureScript+"</body>", 1)
		url, requests := servePage(t, []byte(measured))
		dom := runChromium(t, url, "--dump-dom", "--virtual-time-budget=2000", "--window-size=1280,2400")
		assert.Equal(t, []string{"/"}, requests(), "the page must make no request besides itself")

		m := regexp.MustCompile(`<pre id="result">([^<]*)</pre>`).FindSubmatch(dom)
		require.NotNil(t, m, "the measuring script did not run; dom:\n%s", dom)
		var sizes []struct {
			Class         string
			Width, Height float64
			Drawn         int // series elements (bars, lines, points) with a size
		}
		require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &sizes))
		require.Len(t, sizes, charts, "every chart has data: no note")
		for _, s := range sizes {
			assert.Contains(t, s.Class, "chart")
			assert.Greater(t, s.Width, 100.0, s.Class)
			assert.Greater(t, s.Height, 50.0, s.Class)
			assert.Positive(t, s.Drawn, "%s: an empty chart", s.Class)
		}
	})

	t.Run("no data page", func(t *testing.T) {
		t.Parallel()
		empty := renderHTML(t, emptySummary(), "")
		measured := strings.Replace(withoutCSP(t, empty), "</body>", measureScript+"</body>", 1)
		url, requests := servePage(t, []byte(measured))
		dom := runChromium(t, url, "--dump-dom", "--virtual-time-budget=2000", "--window-size=1280,2400")
		assert.Equal(t, []string{"/"}, requests())
		m := regexp.MustCompile(`<pre id="result">([^<]*)</pre>`).FindSubmatch(dom)
		require.NotNil(t, m, "the measuring script did not run")
		var sizes []struct {
			Class         string
			Width, Height float64
		}
		require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &sizes))
		require.Len(t, sizes, charts, "one note per chart")
		for _, s := range sizes {
			assert.Equal(t, "no-data", s.Class, "no empty SVG")
			assert.Greater(t, s.Width, 100.0)
			assert.Greater(t, s.Height, 50.0)
		}
	})

	t.Run("request check can fail", func(t *testing.T) {
		t.Parallel()
		// The same page with one local image: the server must see it, or
		// the checks above prove nothing.
		leaky := strings.Replace(withoutCSP(t, page), "</main>", `<img src="/leak.png" alt="">`+"</main>", 1)
		url, requests := servePage(t, []byte(leaky))
		runChromium(t, url, "--dump-dom", "--virtual-time-budget=2000")
		assert.Contains(t, requests(), "/leak.png")
	})
}
