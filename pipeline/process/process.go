// Package process turns one feed item into events: it fetches the linked
// page, extracts the article, analyses it and publishes the article, its
// quotes and its stance observations.
package process

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/accordwatch/accordwatch/extractors/analysis"
	"github.com/accordwatch/accordwatch/extractors/article"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/feeds"
	"github.com/accordwatch/accordwatch/pipeline/fetch"
	"github.com/accordwatch/accordwatch/pipeline/metrics"
	"github.com/accordwatch/accordwatch/pipeline/stats"
)

// MaxTextBytes caps the article text carried in an event.
const MaxTextBytes = 256 << 10

// Publisher publishes one event.
type Publisher interface {
	Publish(ctx context.Context, subject, msgID string, v any) (dup bool, err error)
}

// Processor processes feed items. It is safe for concurrent use.
type Processor struct {
	Client    *fetch.Client
	Analyzer  *analysis.Analyzer
	Publisher Publisher
	Log       *slog.Logger
	Stats     *stats.Counters
	// Metrics, if set, counts articles, quotes and stances and times the
	// stages.
	Metrics *metrics.Metrics
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// Output is what processing one item produced.
type Output struct {
	Article events.Article
	Quotes  []events.Quote
	Stances []events.Stance
}

// Process fetches, extracts and analyses the item's article and publishes
// its events. A page that cannot be fetched or extracted falls back to the
// item's own content, which the article event records.
func (p *Processor) Process(ctx context.Context, it feeds.Item) (*Output, error) {
	out, err := p.Analyze(ctx, it)
	if err != nil {
		return nil, err
	}
	stop := p.Metrics.StartStage(metrics.StagePublish)
	err = p.publish(ctx, out)
	stop()
	if err != nil {
		return nil, err
	}
	p.Metrics.Article(metrics.Source(out.Article.Source))
	p.Metrics.Quotes(len(out.Quotes))
	for _, s := range out.Stances {
		p.Metrics.Stance(s.Stance)
	}
	return out, nil
}

// Analyze does the work of Process without publishing.
func (p *Processor) Analyze(ctx context.Context, it feeds.Item) (*Output, error) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	log := p.logger().With("feed", it.FeedURL, "url", it.Link)
	ev := events.Article{
		URL:       it.Link,
		FeedURL:   it.FeedURL,
		Title:     it.Title,
		Authors:   it.Authors,
		Published: it.Published,
		Fetched:   now().UTC(),
		Source:    "page",
	}
	var body string
	stopFetch := p.Metrics.StartStage(metrics.StageFetchPage)
	art, err := p.fetchArticle(ctx, it.Link)
	stopFetch()
	if err == nil && len(strings.TrimSpace(art.Text)) < 80 {
		err = errors.New("extracted text too short")
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("process %s: %w", it.Link, ctx.Err())
		}
		log.Warn("article page not used; falling back to the feed item's content", "err", err)
		p.Stats.Inc("article_fallbacks")
		ev.Source = "feed"
		ev.FetchError = err.Error()
		body = feeds.PlainText(firstNonEmpty(it.Content, it.Summary))
		ev.Outlet = hostOf(it.Link)
	} else {
		p.Stats.Inc("articles_fetched")
		body = art.Text
		if art.Title != "" {
			ev.Title = art.Title
		}
		if len(art.Authors) > 0 {
			ev.Authors = art.Authors
		}
		if !art.Published.IsZero() {
			ev.Published = art.Published.UTC()
		}
		ev.Outlet = art.SiteName
		if art.URL != "" {
			ev.URL = art.URL
		}
	}
	if ev.Outlet == "" {
		ev.Outlet = hostOf(it.Link)
	}
	text := body
	if ev.Title != "" {
		text = ev.Title + "\n\n" + body
	}
	if len(text) > MaxTextBytes {
		text = strings.ToValidUTF8(text[:MaxTextBytes], "")
	}
	ev.Text = text
	ev.ID = events.Hash(canonical(it.Link))

	stopAnalyze := p.Metrics.StartStage(metrics.StageAnalyze)
	res, err := p.Analyzer.Analyze(ctx, Document(ev))
	stopAnalyze()
	if err != nil {
		return nil, fmt.Errorf("process %s: %w", it.Link, err)
	}
	return Events(ev, res, ev.Fetched), nil
}

// Document returns what is analysed of the article ev, whose Text is the
// text to analyse (headline, blank line, body): screened, so that a text
// naming no tracked accord is not analysed further (see
// analysis.Document.Screen).
func Document(ev events.Article) analysis.Document {
	return analysis.Document{Text: ev.Text, Title: ev.Title, Published: ev.Published, Screen: true}
}

// Events returns the events of the article ev given res, the analysis of
// Document(ev): ev with the accords and counts of res, and its quote and
// stance events, the stances observed at observed. Their ids depend only
// on ev.ID and what was found, so that the same analysis gives the same
// events.
func Events(ev events.Article, res *analysis.Result, observed time.Time) *Output {
	ev.Accords = res.Accords
	ev.Quotes = len(res.Quotes)
	ev.Stances = len(res.Stances)
	out := &Output{Article: ev}
	main := ""
	if len(res.Accords) > 0 {
		main = res.Accords[0]
	}
	for _, q := range res.Quotes {
		out.Quotes = append(out.Quotes, events.Quote{
			ID:        events.Hash(ev.ID, "quote", fmt.Sprint(q.Start), q.Text),
			ArticleID: ev.ID, URL: ev.URL, Outlet: ev.Outlet, Accord: main,
			Text: q.Text, Speaker: q.Speaker, Actor: q.Actor, Start: q.Start, End: q.End,
			Published: ev.Published,
		})
	}
	for _, s := range res.Stances {
		out.Stances = append(out.Stances, events.Stance{
			ID:        events.Hash(ev.ID, "stance", s.Actor, s.Accord, s.Stance, fmt.Sprint(s.Historical)),
			ArticleID: ev.ID, URL: ev.URL, Outlet: ev.Outlet, Title: ev.Title,
			Actor: s.Actor, Accord: s.Accord, Stance: s.Stance, Historical: s.Historical,
			Evidence: s.Evidence, EvidenceStart: s.EvidenceStart, EvidenceEnd: s.EvidenceEnd,
			Speaker: s.Speaker, Rule: s.Rule, Confidence: s.Confidence,
			Published: ev.Published, Observed: observed,
		})
	}
	return out
}

func (p *Processor) fetchArticle(ctx context.Context, link string) (*article.Article, error) {
	if link == "" {
		return nil, errors.New("item has no link")
	}
	resp, err := p.Client.Get(ctx, fetch.Request{
		URL:    link,
		Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
		// An article page is reached by following a feed, so the site's
		// robots.txt has its say; a disallowed page falls back to the
		// item's content like any other fetch error.
		CheckRobots: true,
	})
	if err != nil {
		var fe *fetch.Error
		if errors.As(err, &fe) {
			p.Stats.Inc("article_errors_" + string(fe.Kind))
			p.Metrics.ItemError(string(fe.Kind))
		} else {
			p.Stats.Inc("article_errors_other")
			p.Metrics.ItemError("other")
		}
		return nil, err
	}
	art, err := article.Extract(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		p.Stats.Inc("article_errors_extract")
		p.Metrics.ItemError("extract")
		return nil, err
	}
	return art, nil
}

// publish sends the article event first, then quotes and stances.
func (p *Processor) publish(ctx context.Context, out *Output) error {
	pub := func(subject, kind, id string, v any) error {
		dup, err := p.Publisher.Publish(ctx, subject, events.MsgID(kind, id), v)
		if err != nil {
			p.Stats.Inc("publish_errors")
			return err
		}
		if dup {
			p.Stats.Inc("published_duplicates")
		} else {
			p.Stats.Inc("published_" + kind)
		}
		return nil
	}
	if err := pub(out.Article.Subject(), events.KindArticle, out.Article.ID, out.Article); err != nil {
		return err
	}
	for _, q := range out.Quotes {
		if err := pub(q.Subject(), events.KindQuote, q.ID, q); err != nil {
			return err
		}
	}
	for _, s := range out.Stances {
		if err := pub(s.Subject(), events.KindStance, s.ID, s); err != nil {
			return err
		}
	}
	return nil
}

func (p *Processor) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func hostOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// canonical normalises a URL for identity: lower-case scheme and host, no
// fragment.
func canonical(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return strings.TrimSpace(link)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	return u.String()
}
