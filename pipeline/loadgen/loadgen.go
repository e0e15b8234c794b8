// Package loadgen serves a synthetic news web for load tests: many feeds on
// one loopback HTTP server, each gaining an item every so often, with
// article pages of which a share is about a tracked accord. It records when
// each item was first served in a feed, so that a test can measure the time
// from an item's appearance in a poll to its events.
package loadgen

import (
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Site is the synthetic web. Create it with New and start it with Start.
type Site struct {
	// Initial is how many items each feed has when the site starts
	// (default ItemsPerFeed); set it before Start.
	Initial int

	feeds   int
	every   time.Duration
	related float64
	start   time.Time
	// now is the clock; time.Now unless a test sets it.
	now func() time.Time

	srv *http.Server
	ln  net.Listener

	mu          sync.Mutex
	firstServed map[string]time.Time
	feedGets    int64
	notModified int64
	pageGets    int64
}

// ItemsPerFeed is how many of its newest items a feed lists.
const ItemsPerFeed = 10

// New returns a site of n feeds, each gaining an item every `every` (feeds
// are offset from each other), of which the share related are about an
// accord. Feeds start with ItemsPerFeed items already published.
func New(n int, every time.Duration, related float64) *Site {
	return &Site{Initial: ItemsPerFeed, feeds: n, every: every, related: related, now: time.Now, firstServed: map[string]time.Time{}}
}

// Start serves the site on a loopback port and returns its base URL.
func (s *Site) Start() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("loadgen: %w", err)
	}
	s.ln = ln
	s.start = s.now()
	mux := http.NewServeMux()
	mux.HandleFunc("/feed/", s.serveFeed)
	mux.HandleFunc("/a/", s.serveArticle)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return "http://" + ln.Addr().String(), nil
}

// Close stops the server.
func (s *Site) Close() error {
	if s.srv == nil {
		return nil
	}
	err := s.srv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// FeedURLs returns the URLs of the feeds.
func (s *Site) FeedURLs(base string) []string {
	out := make([]string, s.feeds)
	for i := range out {
		out[i] = fmt.Sprintf("%s/feed/%d.xml", base, i)
	}
	return out
}

// FirstServed returns when the item with the given link first appeared in
// a served feed, if it did.
func (s *Site) FirstServed(link string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.firstServed[link]
	return t, ok
}

// Counts returns the feed requests, the 304 answers and the page requests
// served so far.
func (s *Site) Counts() (feedGets, notModified, pageGets int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feedGets, s.notModified, s.pageGets
}

// offset spreads the feeds' publication times over one period.
func (s *Site) offset(feed int) time.Duration {
	h := fnv.New64a()
	fmt.Fprint(h, feed)
	return time.Duration(h.Sum64() % uint64(s.every))
}

// latest returns the number of the newest item of feed at t; items
// 0..Initial-1 exist from the start.
func (s *Site) latest(feed int, t time.Time) int {
	elapsed := t.Sub(s.start) - s.offset(feed)
	n := s.Initial - 1
	if elapsed >= 0 {
		n += 1 + int(elapsed/s.every)
	}
	return n
}

// publishedAt is when item k of feed appeared.
func (s *Site) publishedAt(feed, k int) time.Time {
	if k < s.Initial {
		return s.start.Add(-time.Duration(s.Initial-k) * s.every)
	}
	return s.start.Add(s.offset(feed) + time.Duration(k-s.Initial)*s.every)
}

// isRelated says whether item k of feed is about an accord.
func (s *Site) isRelated(feed, k int) bool {
	h := fnv.New64a()
	fmt.Fprint(h, feed, "/", k)
	return float64(h.Sum64()%10000)/10000 < s.related
}

func (s *Site) serveFeed(w http.ResponseWriter, r *http.Request) {
	feed, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/feed/"), ".xml"))
	if err != nil || feed < 0 || feed >= s.feeds {
		http.NotFound(w, r)
		return
	}
	now := s.now()
	newest := s.latest(feed, now)
	etag := fmt.Sprintf(`"%d-%d"`, feed, newest)
	s.mu.Lock()
	s.feedGets++
	if r.Header.Get("If-None-Match") == etag {
		s.notModified++
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	base := "http://" + r.Host
	if newest < 0 {
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", etag)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet %d</title><link>%s/</link><description>Synthetic outlet %d</description></channel></rss>`, feed, "http://"+r.Host, feed)
		return
	}
	for k := max(0, newest-ItemsPerFeed+1); k <= newest; k++ {
		link := fmt.Sprintf("%s/a/%d/%d", base, feed, k)
		if _, ok := s.firstServed[link]; !ok {
			s.firstServed[link] = now
		}
	}
	s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet %d</title><link>%s/</link><description>Synthetic outlet %d</description>`, feed, base, feed)
	for k := newest; k > newest-ItemsPerFeed && k >= 0; k-- {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s/a/%d/%d</link><guid isPermaLink="false">o%d-i%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
			s.title(feed, k), base, feed, k, feed, k, s.publishedAt(feed, k).UTC().Format(time.RFC1123Z), s.title(feed, k))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("ETag", etag)
	w.Write([]byte(b.String()))
}

var (
	countries = []string{"Kenya", "Chile", "Norway", "Japan", "Ghana", "Peru", "Spain", "Austria", "Senegal", "Ireland",
		"Mexico", "Poland", "Finland", "Jordan", "Uruguay", "Portugal", "Canada", "Brazil", "India", "Indonesia"}
	accords = []string{"the Paris Call for Trust and Security in Cyberspace", "the Budapest Convention", "the Christchurch Call",
		"the Pall Mall Process", "the UN Convention against Cybercrime", "the Counter Ransomware Initiative"}
	verbs  = []string{"signed", "declined to sign", "welcomed", "ratified", "withdrew from", "criticised"}
	topics = []string{"the city council approved a new budget for road repairs", "the local football club won its third match in a row",
		"heavy rain flooded several streets in the old town", "the central bank left interest rates unchanged",
		"a new museum of modern art opened its doors", "farmers protested against lower milk prices"}
)

func (s *Site) title(feed, k int) string {
	if s.isRelated(feed, k) {
		c := countries[(feed+k)%len(countries)]
		return fmt.Sprintf("%s %s %s", c, verbs[(feed*7+k)%len(verbs)], accords[(feed*3+k)%len(accords)])
	}
	t := topics[(feed+k)%len(topics)]
	return strings.ToUpper(t[:1]) + t[1:]
}

func (s *Site) serveArticle(w http.ResponseWriter, r *http.Request) {
	var feed, k int
	if _, err := fmt.Sscanf(r.URL.Path, "/a/%d/%d", &feed, &k); err != nil || feed < 0 || feed >= s.feeds {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.pageGets++
	s.mu.Unlock()
	title := s.title(feed, k)
	var body string
	if s.isRelated(feed, k) {
		c := countries[(feed+k)%len(countries)]
		body = fmt.Sprintf(`<p>%s on %s, the foreign ministry said in a statement issued in the capital after a cabinet meeting.</p>
<p>“This decision reflects our view of how states should behave in cyberspace,” the foreign minister of %s told reporters.</p>
<p>Officials said the move followed months of consultations with partners, companies and civil-society groups.</p>`,
			title, s.publishedAt(feed, k).UTC().Format("Monday"), c)
	} else {
		t := topics[(feed+k)%len(topics)]
		body = fmt.Sprintf(`<p>Residents said on %s that %s, according to officials who spoke at a press conference.</p>
<p>“We expected this for a long time,” said a spokesperson, adding that more details would follow next week.</p>
<p>The announcement comes after weeks of debate in the region, where similar plans have been discussed before.</p>`,
			s.publishedAt(feed, k).UTC().Format("Monday"), t)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title><meta property="article:published_time" content="%s"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>%s</h1>%s</article><footer>© Outlet %d</footer></body></html>`,
		title, s.publishedAt(feed, k).UTC().Format(time.RFC3339), title, body, feed)
}
