// Package demo holds the content of the offline walkthrough that
// `accordwatch demo` gives newcomers: three news feeds and six article pages
// from fictional outlets, embedded in the binary and served on a loopback
// port by a Server.
//
// The walkthrough has two stages, one per day. Stage 1 (day 1): Brazil
// declines to sign the Pall Mall Process code of practice; Kenya, Chile,
// Indonesia and Morocco sign the Counter Ransomware Initiative statement; a
// hospital is hit by ransomware (no stance). Stage 2 (day 2), after
// Server.Advance: Brazil signs the Pall Mall Process code, reported by two
// outlets; the United States withdraws from the Declaration for the Future
// of the Internet while India signs it.
//
// # Templates
//
// The files under site/ are templates. The server replaces, in every
// response:
//
//   - {{BASE}} with its own base URL as the client reached it, e.g.
//     http://127.0.0.1:41234 (no trailing slash);
//   - {{DAYn}}, {{DAYn_FORMAT}}, {{DAYn+OFFSET}} and {{DAYn+OFFSET_FORMAT}},
//     where n is 1 or 2, OFFSET is a Go duration such as +9h or +7h30m, the
//     time of day by the local clock (midnight without one), and FORMAT is DATE (2006-01-02, the default),
//     RFC3339, RFC1123 (RFC 1123 with a numeric zone, as RSS wants), LONG
//     (Monday 2 January 2006), WEEKDAY (Monday) or TIME (15:04);
//   - {{UPDATED_FORMAT}} with noon of the current stage's day, for a
//     feed's lastBuildDate or updated element.
//
// Text between {{STAGE2}} and {{/STAGE2}} is served only in stage 2; an
// article whose whole page is such a block is not found (404) in stage 1.
package demo

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

//go:embed site
var site embed.FS

// Stages of the walkthrough.
const (
	Stage1 = 1
	Stage2 = 2
)

var (
	stage2Block = regexp.MustCompile(`(?s)\{\{STAGE2\}\}(.*?)\{\{/STAGE2\}\}`)
	placeholder = regexp.MustCompile(`\{\{([^{}]*)\}\}`)
	dayRef      = regexp.MustCompile(`^(DAY[12]|UPDATED)([+-][0-9hms.]+)?(?:_([A-Z0-9]+))?$`)
)

var dayFormats = map[string]string{
	"DATE":    "2006-01-02",
	"RFC3339": time.RFC3339,
	"RFC1123": time.RFC1123Z,
	"LONG":    "Monday 2 January 2006",
	"WEEKDAY": "Monday",
	"TIME":    "15:04",
}

// Server serves the demo site. In stage 1 the feeds list only the stage-1
// items and the stage-2 articles are not found; after Advance the stage-2
// items appear too. A Server is safe for concurrent use.
type Server struct {
	day1, day2 time.Time
	stage      atomic.Int32
	feeds      map[string][]byte // by file name, e.g. "harbour-ledger.xml"
	articles   map[string][]byte // by file name, e.g. "brazil-declines-pall-mall-process.html"
}

// NewServer returns a Server in stage 1. Only the calendar dates of day1 and
// day2, in their own locations, count: the pages place their articles at
// fixed hours (07:00 to 12:00) of those days. day2 should be after day1;
// for a believable walkthrough both should be in the past, such as the day
// before yesterday and yesterday.
func NewServer(day1, day2 time.Time) *Server {
	s := &Server{
		day1:     midnight(day1),
		day2:     midnight(day2),
		feeds:    readDir("site/feeds"),
		articles: readDir("site/articles"),
	}
	s.stage.Store(Stage1)
	return s
}

// readDir returns the files of an embedded directory by name. The directory
// is compiled into the binary, so failing to read it is a programming error.
func readDir(dir string) map[string][]byte {
	entries, err := fs.ReadDir(site, dir)
	if err != nil {
		panic(fmt.Sprintf("demo: reading embedded %s: %v", dir, err))
	}
	files := make(map[string][]byte, len(entries))
	for _, e := range entries {
		b, err := fs.ReadFile(site, path.Join(dir, e.Name()))
		if err != nil {
			panic(fmt.Sprintf("demo: reading embedded %s: %v", e.Name(), err))
		}
		files[e.Name()] = b
	}
	return files
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Advance moves the server to stage 2: the feeds list the stage-2 items too
// (so their ETags change) and the stage-2 articles are served. Calling it
// again has no effect.
func (s *Server) Advance() { s.stage.Store(Stage2) }

// Stage returns the current stage, Stage1 or Stage2.
func (s *Server) Stage() int { return int(s.stage.Load()) }

// FeedURLs returns the URLs of the demo feeds on a server reached at base,
// such as "http://127.0.0.1:41234", in a stable order.
func (s *Server) FeedURLs(base string) []string {
	base = strings.TrimSuffix(base, "/")
	var urls []string
	for _, name := range sortedKeys(s.feeds) {
		urls = append(urls, base+"/feeds/"+name)
	}
	return urls
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Handler returns the HTTP handler of the demo site. It serves
// /feeds/<name>.xml and /articles/<slug>.html, and an index page at /.
// Responses carry Content-Type, a strong ETag of the rendered body and
// Last-Modified, and conditional requests (If-None-Match,
// If-Modified-Since) are answered with 304 Not Modified when they match.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feeds/{name}", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, s.feeds, r.PathValue("name"), true)
	})
	mux.HandleFunc("GET /articles/{name}", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, s.articles, r.PathValue("name"), false)
	})
	mux.HandleFunc("GET /{$}", s.serveIndex)
	return mux
}

// serve renders the template name from files, a feed's or an article's,
// and serves it.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, files map[string][]byte, name string, feed bool) {
	tmpl, ok := files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	stage := s.Stage()
	body, err := s.render(tmpl, baseURL(r), stage)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if len(bytes.TrimSpace(body)) == 0 { // a stage-2 article in stage 1
		http.NotFound(w, r)
		return
	}

	// A feed is updated with each stage; an article when it appears.
	modified := s.updated(stage)
	if !feed {
		modified = s.updated(articleStage(tmpl))
	}
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", contentType(name, body))
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, modified, bytes.NewReader(body))
}

// serveIndex lists the feeds and the articles of the current stage.
func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>accordwatch demo site</title></head>\n<body>\n")
	fmt.Fprintf(&b, "<h1>accordwatch demo site (stage %d)</h1>\n<h2>Feeds</h2>\n<ul>\n", s.Stage())
	for _, u := range s.FeedURLs(base) {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%[1]s</a></li>\n", u)
	}
	b.WriteString("</ul>\n<h2>Articles</h2>\n<ul>\n")
	for _, name := range sortedKeys(s.articles) {
		if articleStage(s.articles[name]) > s.Stage() {
			continue
		}
		fmt.Fprintf(&b, "<li><a href=\"%s/articles/%s\">%[2]s</a></li>\n", base, html.EscapeString(name))
	}
	b.WriteString("</ul>\n</body>\n</html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	fmt.Fprint(w, b.String())
}

// articleStage returns the stage in which the article tmpl appears.
func articleStage(tmpl []byte) int {
	if bytes.HasPrefix(bytes.TrimSpace(tmpl), []byte("{{STAGE2}}")) {
		return Stage2
	}
	return Stage1
}

// baseURL returns the server's base URL as the client reached it, escaped
// for use in HTML and XML. net/http has already rejected invalid Host
// headers.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return html.EscapeString(scheme + "://" + r.Host)
}

func contentType(name string, body []byte) string {
	switch {
	case strings.HasSuffix(name, ".html"):
		return "text/html; charset=utf-8"
	case bytes.Contains(body, []byte(`<feed xmlns="http://www.w3.org/2005/Atom"`)):
		return "application/atom+xml; charset=utf-8"
	case bytes.Contains(body, []byte("<rss")):
		return "application/rss+xml; charset=utf-8"
	default:
		return "application/xml; charset=utf-8"
	}
}

// updated returns the time a stage's documents were last updated: noon of
// its day.
func (s *Server) updated(stage int) time.Time {
	if stage == Stage2 {
		return atWall(s.day2, 12*time.Hour)
	}
	return atWall(s.day1, 12*time.Hour)
}

// atWall returns the time d after midnight by the clock on the day of t, so
// that 9h is 09:00 even on a day on which daylight saving time starts or
// ends.
func atWall(t time.Time, d time.Duration) time.Time {
	y, m, dd := t.Date()
	return time.Date(y, m, dd, 0, 0, 0, int(d), t.Location())
}

// render returns tmpl for stage with its placeholders substituted. base must
// already be escaped for HTML and XML.
func (s *Server) render(tmpl []byte, base string, stage int) ([]byte, error) {
	keep := []byte("")
	if stage == Stage2 {
		keep = []byte("$1")
	}
	out := stage2Block.ReplaceAll(tmpl, keep)

	var err error
	out = placeholder.ReplaceAllFunc(out, func(m []byte) []byte {
		name := string(m[2 : len(m)-2])
		v, e := s.resolve(name, base, stage)
		if e != nil && err == nil {
			err = e
		}
		return []byte(v)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resolve returns the value of the placeholder {{name}}.
func (s *Server) resolve(name, base string, stage int) (string, error) {
	if name == "BASE" {
		return base, nil
	}
	m := dayRef.FindStringSubmatch(name)
	if m == nil {
		return "", fmt.Errorf("demo: unknown placeholder {{%s}}", name)
	}
	var t time.Time
	switch m[1] {
	case "DAY1":
		t = s.day1
	case "DAY2":
		t = s.day2
	case "UPDATED":
		t = s.updated(stage)
	}
	if m[2] != "" {
		d, err := time.ParseDuration(m[2])
		if err != nil {
			return "", fmt.Errorf("demo: placeholder {{%s}}: %w", name, err)
		}
		t = atWall(t, d)
	}
	format := "DATE"
	if m[3] != "" {
		format = m[3]
	}
	layout, ok := dayFormats[format]
	if !ok {
		return "", fmt.Errorf("demo: placeholder {{%s}}: unknown format %s", name, format)
	}
	return t.Format(layout), nil
}
