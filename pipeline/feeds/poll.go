package feeds

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/pipeline/fetch"
	"golang.org/x/net/html/charset"
)

// feedAccept is the Accept header sent when polling feeds.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// Result is the outcome of a successful Poll.
type Result struct {
	// Feed is the parsed feed; nil when NotModified.
	Feed *Feed
	// NotModified reports that the server answered 304 to the conditional
	// GET: the feed is unchanged since ETag / LastModified.
	NotModified bool
	// ETag and LastModified are the validators to pass to the next Poll.
	ETag, LastModified string
}

// Poller polls feeds over HTTP. It is safe for concurrent use.
type Poller struct {
	// Client fetches feeds; if nil, a client with fetch's defaults is used.
	Client *fetch.Client
}

var defaultClient = sync.OnceValue(func() *fetch.Client { return fetch.New(fetch.Config{}) })

// Poll fetches feedURL with a conditional GET using etag and lastModified
// (either may be empty) and parses it. If the server answers 304 the Result
// has NotModified set and a nil Feed. Fetch failures wrap a *fetch.Error.
func (p *Poller) Poll(ctx context.Context, feedURL, etag, lastModified string) (*Result, error) {
	c := p.Client
	if c == nil {
		c = defaultClient()
	}
	resp, err := c.Get(ctx, fetch.Request{
		URL:          feedURL,
		ETag:         etag,
		LastModified: lastModified,
		Accept:       feedAccept,
	})
	if err != nil {
		return nil, fmt.Errorf("poll feed %s: %w", feedURL, err)
	}
	res := &Result{NotModified: resp.NotModified, ETag: resp.ETag, LastModified: resp.LastModified}
	if resp.NotModified {
		return res, nil
	}
	feed, err := Parse(feedURL, withHTTPCharset(resp.ContentType, resp.Body))
	if err != nil {
		return nil, fmt.Errorf("poll feed: %w", err)
	}
	res.Feed = feed
	return res, nil
}

// xmlDeclEncoding matches an encoding declaration in an XML prolog.
var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*\bencoding\s*=`)

// withHTTPCharset converts body to UTF-8 using the charset parameter of the
// HTTP Content-Type, but only where the body itself gives no better answer:
// it is not valid UTF-8 and declares no encoding in an XML prolog (which
// the XML parser honours itself). Servers often send a default charset that
// is wrong, so the header is treated as a fallback hint, not an override.
func withHTTPCharset(contentType string, body []byte) []byte {
	if utf8.Valid(body) || hasBOM(body) || xmlDeclEncoding.Match(body) {
		return body
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return body
	}
	label := strings.TrimSpace(params["charset"])
	if label == "" {
		return body
	}
	r, err := charset.NewReaderLabel(label, bytes.NewReader(body))
	if err != nil {
		return body // unknown charset: leave it to the parser
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return body
	}
	return out
}

func hasBOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) ||
		bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE})
}
