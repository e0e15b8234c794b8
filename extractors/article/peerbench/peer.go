// Package peerbench compares accordwatch's article extractor with a peer,
// codeberg.org/readeck/go-readability/v2, on the shared extraction pages:
// speed (MB/s and allocations, single-threaded, in the same benchmark run)
// and quality (the scrapinghub benchmark's metric and the Fundus metadata
// scores, computed by extractors/extracteval as for accordwatch itself).
//
// It is a module of its own so that the peer never enters the accordwatch
// module's dependencies or binary, and `go test ./...` at the repository
// root does not run it. Run it from this directory:
//
//	go test -run Peer -v .                          # F1 and metadata of both
//	go test -run '^$' -bench . -benchmem -cpu 1 .   # MB/s and allocs/op of both
package peerbench

import (
	"bytes"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"

	"github.com/accordwatch/accordwatch/extractors/extracteval"
)

// PeerText is the extracteval.TextExtractor of go-readability: the parsed
// article rendered as plain text, as the scrapinghub benchmark runs it.
func PeerText(page []byte, pageURL string) (string, error) {
	a, err := parse(page, pageURL)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := a.RenderText(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// PeerMetadata is the extracteval.MetaExtractor of go-readability: its
// title, byline (split at commas and "and") and published time.
func PeerMetadata(page []byte, pageURL string) (extracteval.Metadata, error) {
	a, err := parse(page, pageURL)
	if err != nil {
		return extracteval.Metadata{}, err
	}
	m := extracteval.Metadata{Title: a.Title()}
	if t, err := a.PublishedTime(); err == nil {
		m.Published = t
	}
	byline := strings.NewReplacer(" and ", ",", " & ", ",").Replace(a.Byline())
	for _, name := range strings.Split(byline, ",") {
		name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), "By "))
		if name != "" {
			m.Authors = append(m.Authors, name)
		}
	}
	return m, nil
}

func parse(page []byte, pageURL string) (readability.Article, error) {
	u, err := url.Parse(pageURL)
	if err != nil || pageURL == "" {
		u, _ = url.Parse("https://example.com/")
	}
	return readability.FromReader(bytes.NewReader(page), u)
}
