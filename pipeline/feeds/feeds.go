// Package feeds parses RSS, Atom and JSON Feed documents into accordwatch's
// own item type and polls feeds with conditional GET.
//
// Fetching is done by package fetch; parsing by github.com/mmcdole/gofeed.
package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Item is one entry of a feed.
type Item struct {
	// FeedURL and FeedTitle identify the feed the item came from.
	FeedURL, FeedTitle string
	// GUID is the item's identifier as given by the feed (RSS guid, Atom
	// id, JSON Feed id), trimmed.
	GUID string
	// Link is the item's URL, resolved against the feed URL if relative;
	// if the feed gives none, the GUID when that is an http(s) URL.
	Link string
	// Title is plain text: HTML tags and the contents of script and style
	// elements removed, entities unescaped, whitespace collapsed.
	Title string
	// Summary and Content are as given by the feed and may contain HTML.
	Summary, Content string
	// Authors are the authors' names (or e-mail addresses if unnamed).
	Authors []string
	// Published is the publication time, or the update time if the feed
	// gives none, in UTC; zero if unknown.
	Published time.Time
}

// Key returns a stable identifier for the item: its GUID if set, else its
// link.
func (i Item) Key() string {
	if g := strings.TrimSpace(i.GUID); g != "" {
		return g
	}
	return strings.TrimSpace(i.Link)
}

// Feed is a parsed feed.
type Feed struct {
	// URL is the URL the feed was fetched from.
	URL string
	// Title is the feed's title as plain text.
	Title string
	// Items are the feed's entries in document order.
	Items []Item
}

// ErrEmpty is wrapped by the error Parse returns for an empty body.
var ErrEmpty = errors.New("empty feed body")

// errParserPanic is wrapped by the error Parse returns when the underlying
// parser panics, so that tests can tell a recovered panic from a rejection.
var errParserPanic = errors.New("parser panic")

// Parse parses body, an RSS, Atom or JSON Feed document fetched from feedURL.
// Character encodings declared in the XML prolog, and UTF-16 and UTF-32
// documents, are converted to UTF-8.
// Parse never panics: a panic in the underlying parser is returned as an
// error.
func Parse(feedURL string, body []byte) (feed *Feed, err error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, ErrEmpty)
	}
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("parse feed %s: %w: %v", feedURL, errParserPanic, r)
		}
	}()
	body, err = toUTF8(body)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	gf, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	return convert(feedURL, gf), nil
}

func convert(feedURL string, gf *gofeed.Feed) *Feed {
	base, err := url.Parse(feedURL)
	if err != nil || !base.IsAbs() {
		base = nil
	}
	f := &Feed{
		URL:   feedURL,
		Title: PlainText(gf.Title),
		Items: make([]Item, 0, len(gf.Items)),
	}
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		it := Item{
			FeedURL:   feedURL,
			FeedTitle: f.Title,
			GUID:      strings.TrimSpace(validUTF8(gi.GUID)),
			Link:      resolve(base, validUTF8(gi.Link)),
			Title:     PlainText(gi.Title),
			// Feeds in a broken encoding leave invalid bytes that gofeed
			// passes on; everything downstream expects UTF-8.
			Summary: validUTF8(gi.Description),
			Content: validUTF8(gi.Content),
			Authors: authors(gi),
		}
		if it.Link == "" && isHTTPURL(it.GUID) {
			// An RSS guid is a permalink by default (isPermaLink, which
			// gofeed does not expose); it is the best link on offer.
			it.Link = it.GUID
		}
		switch {
		case gi.PublishedParsed != nil:
			it.Published = gi.PublishedParsed.UTC()
		case gi.UpdatedParsed != nil:
			it.Published = gi.UpdatedParsed.UTC()
		}
		f.Items = append(f.Items, it)
	}
	return f
}

// resolve trims link and makes it absolute against base when possible.
func resolve(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" || base == nil {
		return link
	}
	u, err := url.Parse(link)
	if err != nil || u.IsAbs() {
		return link
	}
	return base.ResolveReference(u).String()
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func authors(gi *gofeed.Item) []string {
	var out []string
	seen := make(map[string]bool)
	for _, p := range gi.Authors {
		if p == nil {
			continue
		}
		name := PlainText(p.Name)
		if name == "" {
			name = strings.TrimSpace(validUTF8(p.Email))
		}
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

// validUTF8 replaces the invalid bytes of s with U+FFFD.
func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
