package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/daemon"
	"github.com/accordwatch/accordwatch/pipeline/feeds"
	"github.com/accordwatch/accordwatch/pipeline/fetch"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// Feeds added with "feeds add" and "feeds import" live in the store, beside
// the configured ones, and running daemons pick them up (see
// daemon.StoreFeedsInterval).

// feedStore opens the configuration and the store of the feeds commands,
// with their store flags already parsed.
func feedStore(ctx context.Context, sf storeFlags) (config.Config, *sqlstore.Store, error) {
	cfg, err := sf.load("")
	if err != nil {
		return config.Config{}, nil, err
	}
	st, err := sqlstore.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return config.Config{}, nil, err
	}
	return cfg, st, nil
}

// configured reports whether feedURL is listed in cfg.
func configured(cfg config.Config, feedURL string) bool {
	return slices.ContainsFunc(cfg.Feeds, func(f config.Feed) bool { return f.URL == feedURL })
}

// checkFeedURL checks that s is an absolute http(s) URL, as the
// configuration requires of feeds.
func checkFeedURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// cmdFeedsAdd adds a feed to the store: URL itself if it is a feed, or the
// first working feed that the HTML page at URL advertises.
func cmdFeedsAdd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("feeds add")
	sf := addStoreFlags(fs)
	title := fs.String("title", "", "the feed's name (default: its own title)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: feeds add takes one URL: a feed, or a page that advertises one", errUsage)
	}
	target := strings.TrimSpace(fs.Arg(0))
	if err := checkFeedURL(target); err != nil {
		return fmt.Errorf("%w: feeds add: %v", errUsage, err)
	}
	cfg, st, err := feedStore(ctx, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	if done, err := knownFeed(ctx, cfg, st, target, stdout); done || err != nil {
		return err
	}
	found, err := discoverFeed(ctx, fetchClient(cfg), target)
	if err != nil {
		return err
	}
	if *title != "" {
		found.Title = *title
	}
	if found.URL != target {
		fmt.Fprintf(stdout, "%s advertises the feed %s\n", target, found.URL)
		if done, err := knownFeed(ctx, cfg, st, found.URL, stdout); done || err != nil {
			return err
		}
	}
	added, err := st.AddFeed(ctx, store.Feed{URL: found.URL, Title: found.Title})
	if err != nil {
		return err
	}
	if !added {
		fmt.Fprintf(stdout, "%s was already added\n", found.URL)
		return nil
	}
	name := ""
	if found.Title != "" {
		name = " (" + found.Title + ")"
	}
	fmt.Fprintf(stdout, "added %s%s (%d items now); running daemons start polling it within %s\n",
		found.URL, name, found.Items, daemon.StoreFeedsInterval)
	return nil
}

// knownFeed reports, and says on w, whether feedURL is configured or was
// added already.
func knownFeed(ctx context.Context, cfg config.Config, st store.Store, feedURL string, w io.Writer) (bool, error) {
	if configured(cfg, feedURL) {
		fmt.Fprintf(w, "%s is already in the configuration\n", feedURL)
		return true, nil
	}
	list, err := st.Feeds(ctx)
	if err != nil {
		return false, err
	}
	if slices.ContainsFunc(list, func(f store.Feed) bool { return f.URL == feedURL }) {
		fmt.Fprintf(w, "%s was already added\n", feedURL)
		return true, nil
	}
	return false, nil
}

// fetchClient returns an HTTP client with the configuration's settings, as
// the daemon makes it.
func fetchClient(cfg config.Config) *fetch.Client {
	return fetch.New(fetch.Config{
		UserAgent:             cfg.HTTP.UserAgent,
		Timeout:               cfg.HTTP.Timeout.D(),
		ConnectTimeout:        cfg.HTTP.ConnectTimeout.D(),
		MaxBodyBytes:          cfg.HTTP.MaxBodyBytes,
		HostConcurrency:       cfg.HTTP.HostConcurrency,
		HostDelay:             cfg.HTTP.HostDelay.D(),
		IgnoreRobots:          !cfg.HTTP.RobotsTxt,
		AllowPrivateAddresses: cfg.HTTP.AllowPrivateAddresses,
	})
}

// discoveryAccept is the Accept header of feeds add: feeds first, then
// pages that may advertise them.
const discoveryAccept = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5"

// feedTypes are the link types of advertised feeds
// (<link rel="alternate" type="…" href="…">).
var feedTypes = []string{"application/rss+xml", "application/atom+xml", "application/feed+json"}

// discovered is a feed found by discoverFeed.
type discovered struct {
	URL   string
	Title string
	Items int
}

// discoverFeed fetches target and returns it if it is a feed. If it is an
// HTML page, it returns the first feed the page advertises that can be
// fetched and parsed, its URL resolved against the page's.
func discoverFeed(ctx context.Context, client *fetch.Client, target string) (discovered, error) {
	resp, err := client.Get(ctx, fetch.Request{URL: target, Accept: discoveryAccept})
	if err != nil {
		return discovered{}, fmt.Errorf("feeds add: fetching %s: %w", target, err)
	}
	if !isHTML(resp.ContentType, resp.Body) {
		f, err := feeds.Parse(target, resp.Body)
		if err != nil {
			return discovered{}, fmt.Errorf("feeds add: %s is neither a feed nor an HTML page: %w", target, err)
		}
		return discovered{URL: target, Title: f.Title, Items: len(f.Items)}, nil
	}
	links, err := feedLinks(resp.URL, resp.Body)
	if err != nil {
		return discovered{}, fmt.Errorf("feeds add: reading the page %s: %w", target, err)
	}
	if len(links) == 0 {
		return discovered{}, fmt.Errorf("feeds add: the page %s advertises no feed (no <link rel=\"alternate\"> of type %s)", target, strings.Join(feedTypes, ", "))
	}
	var errs []error
	for _, l := range links {
		r, err := client.Get(ctx, fetch.Request{URL: l.URL, Accept: discoveryAccept})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f, err := feeds.Parse(l.URL, r.Body)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d := discovered{URL: l.URL, Title: f.Title, Items: len(f.Items)}
		if d.Title == "" {
			d.Title = l.Title
		}
		return d, nil
	}
	return discovered{}, fmt.Errorf("feeds add: none of the feeds %s advertises works: %w", target, errors.Join(errs...))
}

// isHTML reports whether a response with the given Content-Type and body
// is an HTML page rather than a feed.
func isHTML(contentType string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		switch mt {
		case "text/html", "application/xhtml+xml":
			return true
		case "application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml", "text/xml", "application/json":
			return false
		}
	}
	return strings.HasPrefix(http.DetectContentType(body), "text/html")
}

// feedLink is a feed advertised by a page.
type feedLink struct {
	URL, Title string
}

// feedLinks returns the feeds the HTML page at pageURL advertises with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">,
// in document order, their hrefs resolved against the page's URL (or its
// <base href>). Links that are not http(s) are left out.
func feedLinks(pageURL string, page []byte) ([]feedLink, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, err
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	var out []feedLink
	seen := map[string]bool{}
	doc.Find("link[rel][href]").Each(func(_ int, s *goquery.Selection) {
		rel, _ := s.Attr("rel")
		if !slices.Contains(strings.Fields(strings.ToLower(rel)), "alternate") {
			return
		}
		typ, _ := s.Attr("type")
		if mt, _, err := mime.ParseMediaType(typ); err != nil || !slices.Contains(feedTypes, strings.ToLower(mt)) {
			return
		}
		href, _ := s.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || checkFeedURL(u.String()) != nil {
			return
		}
		u.Fragment = ""
		if seen[u.String()] {
			return
		}
		seen[u.String()] = true
		title, _ := s.Attr("title")
		out = append(out, feedLink{URL: u.String(), Title: strings.TrimSpace(title)})
	})
	return out, nil
}

// cmdFeedsRemove removes a feed added with "feeds add" or "feeds import".
func cmdFeedsRemove(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("feeds remove")
	sf := addStoreFlags(fs)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: feeds remove takes one URL", errUsage)
	}
	feedURL := strings.TrimSpace(fs.Arg(0))
	cfg, st, err := feedStore(ctx, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	err = st.RemoveFeed(ctx, feedURL)
	switch {
	case errors.Is(err, store.ErrNotFound) && configured(cfg, feedURL):
		return fmt.Errorf("feeds remove: %s is listed in the configuration file; remove it there", feedURL)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("feeds remove: no feed %s was added", feedURL)
	case err != nil:
		return err
	}
	if configured(cfg, feedURL) {
		fmt.Fprintf(stdout, "removed %s from the added feeds; it stays in the configuration file\n", feedURL)
		return nil
	}
	fmt.Fprintf(stdout, "removed %s; running daemons stop polling it within %s\n", feedURL, daemon.StoreFeedsInterval)
	return nil
}

// opml is an OPML 2.0 document (http://opml.org/spec2.opml), as far as
// feed lists need it.
type opml struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Head    opmlHead  `xml:"head"`
	Body    []outline `xml:"body>outline"`
}

type opmlHead struct {
	Title       string `xml:"title,omitempty"`
	DateCreated string `xml:"dateCreated,omitempty"`
}

// outline is an OPML outline element: a feed when XMLURL is set, else
// possibly a folder of outlines.
type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Outlines []outline `xml:"outline"`
}

// cmdFeedsExport writes every feed, configured and added, as OPML 2.0.
func cmdFeedsExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("feeds export")
	sf := addStoreFlags(fs)
	out := fs.String("out", "", "write to FILE instead of standard output")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: feeds export takes no arguments", errUsage)
	}
	cfg, st, err := feedStore(ctx, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	added, err := st.Feeds(ctx)
	if err != nil {
		return err
	}
	doc := opml{Version: "2.0", Head: opmlHead{Title: "accordwatch feeds", DateCreated: time.Now().UTC().Format(time.RFC1123Z)}}
	feedOutline := func(u, title string) outline {
		text := title
		if text == "" {
			text = u
		}
		return outline{Text: text, Title: title, Type: "rss", XMLURL: u}
	}
	for _, f := range cfg.Feeds {
		doc.Body = append(doc.Body, feedOutline(f.URL, f.Name))
	}
	for _, f := range added {
		if !configured(cfg, f.URL) {
			doc.Body = append(doc.Body, feedOutline(f.URL, f.Title))
		}
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("feeds export: %w", err)
	}
	b = append([]byte(xml.Header), append(b, '\n')...)
	if *out == "" {
		_, err = stdout.Write(b)
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("feeds export: %w", err)
	}
	fmt.Fprintf(stdout, "exported %d feeds to %s\n", len(doc.Body), *out)
	return nil
}

// cmdFeedsImport adds every feed (xmlUrl) of an OPML file to the store,
// without fetching them, and reports how many were new.
func cmdFeedsImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("feeds import")
	sf := addStoreFlags(fs)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: feeds import takes one OPML file", errUsage)
	}
	file := fs.Arg(0)
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("feeds import: %w", err)
	}
	list, err := parseOPML(b)
	if err != nil {
		return fmt.Errorf("feeds import: %s: %w", file, err)
	}
	cfg, st, err := feedStore(ctx, sf)
	if err != nil {
		return err
	}
	defer st.Close()
	var added, present, skipped int
	for _, f := range list {
		if err := checkFeedURL(f.URL); err != nil {
			fmt.Fprintf(stdout, "skipped: %v\n", err)
			skipped++
			continue
		}
		if configured(cfg, f.URL) {
			present++
			continue
		}
		ok, err := st.AddFeed(ctx, f)
		if err != nil {
			return err
		}
		if ok {
			added++
		} else {
			present++
		}
	}
	fmt.Fprintf(stdout, "imported %d new feeds from %s (%d already present, %d skipped)\n", added, file, present, skipped)
	return nil
}

// parseOPML returns the feeds of an OPML document: every outline with an
// xmlUrl, folders included, in document order and once each, named by
// their title or else their text.
func parseOPML(b []byte) ([]store.Feed, error) {
	var doc opml
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.CharsetReader = charset.NewReaderLabel
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not an OPML document: %w", err)
	}
	var out []store.Feed
	seen := map[string]bool{}
	var walk func([]outline)
	walk = func(outlines []outline) {
		for _, o := range outlines {
			if u := strings.TrimSpace(o.XMLURL); u != "" && !seen[u] {
				seen[u] = true
				title := strings.TrimSpace(o.Title)
				if title == "" && strings.TrimSpace(o.Text) != u {
					title = strings.TrimSpace(o.Text)
				}
				out = append(out, store.Feed{URL: u, Title: title})
			}
			walk(o.Outlines)
		}
	}
	walk(doc.Body)
	return out, nil
}
