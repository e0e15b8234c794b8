package digest

import (
	_ "embed"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate renders the HTML digest. html/template escapes every value
// for the context it lands in (text, attribute, URL), so nothing from an
// article or a feed can become markup, and it neutralises URLs with unsafe
// schemes; besides, newHTMLLink links only http and https URLs.
var htmlTemplate = template.Must(template.New("digest").Parse(htmlSource))

// htmlTimeLayout is how the HTML digest shows a time.
const htmlTimeLayout = "2006-01-02 15:04 MST"

// stanceOrder lists the stances from most to least favourable, as the
// legend shows them.
var stanceOrder = []string{
	store.StanceRatified, store.StanceSigned, store.StanceSupports,
	store.StanceUndecided,
	store.StanceDeclined, store.StanceOpposes, store.StanceWithdrew,
}

// Classes of the board's cells besides the stance's (see stanceClass).
const (
	classCell         = "cell"
	classChanged      = "changed"
	classContradicted = "contradicted"
)

// writeHTML renders d as one self-contained HTML page: inline CSS, no
// script, no external resource, and a Content-Security-Policy that forbids
// loading or running anything.
//
// Structure, for people and tests that read the page: the stance board is
// table#stance-board.board (p#board-empty instead when there is no stance),
// with one th.accord[data-accord] per accord and one tr[data-actor] per
// actor holding one td.cell[data-accord][data-stance] per accord. A cell's
// classes are "cell", "stance-<stance>" ("stance-none" without a stance,
// "stance-unknown" for a stance that is not one of the store's), "changed"
// if the stance changed that day (the cell then holds span.badge.changed
// and links to the change's card) and "contradicted" if a contradicting
// report was flagged that day (span.badge.disputed). ul#legend explains
// the colours. Each change is an article.card.change#change-N in
// section#changes (p#no-changes instead when there is none), with
// blockquote.evidence, dd.speaker, dd.outlet, dd.article (the link, or
// code.unlinked-url), dd.sources and dd.previous; each contradicting report
// an article.card.contradiction#contradiction-N in section#contradictions;
// the feed health is section#feeds, with p#feed-summary and
// ul#failing-feeds > li.feed.failing.
func writeHTML(w io.Writer, d Digest) error {
	return htmlTemplate.Execute(w, newHTMLPage(d))
}

// htmlPage is what the template renders: d prepared for display.
type htmlPage struct {
	Date, Zone, Generated string
	Summary, NoChanges    string
	Accords               []BoardAccord
	Rows                  []htmlRow
	Legend                []htmlLegend
	Changes               []htmlChange
	Contradictions        []htmlContradiction
	Feeds                 *htmlFeeds
}

type htmlRow struct {
	Actor, Name string
	Cells       []htmlCell
}

type htmlCell struct {
	Class, Accord, Stance, Label, Since, Title string
	// Card is the id of the card of the day's change, if any.
	Card                  string
	Changed, Contradicted bool
}

type htmlLegend struct{ Class, Label string }

type htmlChange struct {
	ID, Actor, Accord, ActorName, AccordName string
	Previous, PreviousClass, PreviousSince   string
	Stance, StanceClass, Since               string
	Evidence, Speaker, Outlet                string
	Link                                     htmlLink
	Sources                                  string
	Detected                                 string
}

type htmlContradiction struct {
	ID, Actor, Accord, ActorName, AccordName string
	Current, CurrentClass, CurrentSince      string
	Stance, StanceClass, Since               string
	Confirmed                                bool
	Evidence, Speaker, Outlet                string
	Link                                     htmlLink
	Detected                                 string
}

// htmlLink is an article's link: Href is set only for an absolute http or
// https URL; any other URL is shown as text, Unlinked.
type htmlLink struct{ Href, Text, Unlinked string }

type htmlFeeds struct {
	Summary string
	Failing []htmlFeed
}

type htmlFeed struct{ Name, URL, Error string }

func newHTMLPage(d Digest) htmlPage {
	p := htmlPage{
		Date:      d.Date,
		Zone:      d.Zone,
		Generated: htmlTime(d.Generated),
		Summary:   summary(d),
		NoChanges: noChanges(d.Date),
		Accords:   d.Board.Accords,
	}
	for _, s := range stanceOrder {
		p.Legend = append(p.Legend, htmlLegend{Class: stanceClass(s), Label: s})
	}
	p.Legend = append(p.Legend, htmlLegend{Class: stanceClass(""), Label: "no stance recorded"})

	// The card of the last change of each pair on the day.
	cards := make(map[pair]string)
	for i, e := range d.Changes {
		id := "change-" + strconv.Itoa(i+1)
		cards[pair{e.Actor, e.Accord}] = id
		c := htmlChange{
			ID: id, Actor: e.Actor, Accord: e.Accord, ActorName: e.ActorName, AccordName: e.AccordName,
			Previous: e.Previous, PreviousClass: stanceClass(e.Previous), PreviousSince: htmlDatePtr(e.PreviousSince),
			Stance: stanceLabel(e.Stance), StanceClass: stanceClass(e.Stance), Since: htmlDate(e.Since),
			Evidence: e.Evidence, Speaker: e.Speaker, Outlet: e.Outlet,
			Link:     newHTMLLink(e.Title, e.URL),
			Sources:  strconv.Itoa(e.Sources),
			Detected: htmlTime(e.Detected),
		}
		if e.Sources <= 0 {
			c.Sources = "unknown"
		}
		p.Changes = append(p.Changes, c)
	}
	for i, e := range d.Contradictions {
		p.Contradictions = append(p.Contradictions, htmlContradiction{
			ID: "contradiction-" + strconv.Itoa(i+1), Actor: e.Actor, Accord: e.Accord, ActorName: e.ActorName, AccordName: e.AccordName,
			Current: e.Current, CurrentClass: stanceClass(e.Current), CurrentSince: htmlDatePtr(e.CurrentSince),
			Stance: e.Stance, StanceClass: stanceClass(e.Stance), Since: htmlDate(e.Since),
			Confirmed: e.Confirmed,
			Evidence:  e.Evidence, Speaker: e.Speaker, Outlet: e.Outlet,
			Link:     newHTMLLink(e.Title, e.URL),
			Detected: htmlTime(e.Detected),
		})
	}

	for _, r := range d.Board.Rows {
		row := htmlRow{Actor: r.Actor, Name: r.ActorName}
		for i, c := range r.Cells {
			if i >= len(d.Board.Accords) {
				break
			}
			a := d.Board.Accords[i]
			classes := []string{classCell, stanceClass(c.Stance)}
			if c.Changed {
				classes = append(classes, classChanged)
			}
			if c.Contradicted {
				classes = append(classes, classContradicted)
			}
			cell := htmlCell{
				Class:        strings.Join(classes, " "),
				Accord:       a.ID,
				Stance:       c.Stance,
				Label:        c.Stance,
				Since:        htmlDatePtr(c.Since),
				Changed:      c.Changed,
				Contradicted: c.Contradicted,
			}
			if c.Stance == "" {
				cell.Label = "—"
			}
			if c.Changed {
				cell.Card = cards[pair{r.Actor, a.ID}]
			}
			cell.Title = cellTitle(r.ActorName, a.Name, cell)
			row.Cells = append(row.Cells, cell)
		}
		p.Rows = append(p.Rows, row)
	}

	if h := d.FeedHealth; h != nil {
		f := &htmlFeeds{Summary: feedSummary(*h)}
		for _, s := range h.FailingFeeds() {
			f.Failing = append(f.Failing, htmlFeed{Name: s.Name, URL: s.URL, Error: feedFailure(s)})
		}
		p.Feeds = f
	}
	return p
}

// summary sums up d: "3 stance changes on 2 accords. 2 contradicting
// reports flagged.", or that there was no change.
func summary(d Digest) string {
	s := noChanges(d.Date)
	if len(d.Changes) > 0 {
		accords := make(map[string]bool)
		for _, e := range d.Changes {
			accords[e.Accord] = true
		}
		s = plural(len(d.Changes), "stance change") + " on " + plural(len(accords), "accord") + "."
	}
	if n := len(d.Contradictions); n > 0 {
		s += " " + plural(n, "contradicting report") + " flagged."
	}
	return s
}

// cellTitle is the tooltip of a board cell.
func cellTitle(actor, accord string, c htmlCell) string {
	s := actor + " — " + accord + ": "
	if c.Stance == "" {
		s += "no stance recorded"
	} else {
		s += c.Stance
		if c.Since != "" {
			s += " since " + c.Since
		}
	}
	if c.Changed {
		s += " (changed that day)"
	}
	if c.Contradicted {
		s += " (contradicting report flagged that day)"
	}
	return s
}

// stanceClass returns the CSS class of stance: "stance-" and the stance for
// the known ones, "stance-none" for none and "stance-unknown" otherwise, so
// that no other string can end up in a class attribute.
func stanceClass(stance string) string {
	switch {
	case stance == "":
		return "stance-none"
	case store.Polarity(stance) != "":
		return "stance-" + stance
	}
	return "stance-unknown"
}

// newHTMLLink returns the link to rawURL titled title: a link only for an
// absolute http or https URL; otherwise the URL as text.
func newHTMLLink(title, rawURL string) htmlLink {
	title = strings.TrimSpace(title)
	rawURL = strings.TrimSpace(rawURL)
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return htmlLink{Text: title, Unlinked: rawURL}
	}
	href := u.String()
	if title == "" {
		title = href
	}
	return htmlLink{Href: href, Text: title}
}

func htmlTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(htmlTimeLayout)
}

func htmlDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func htmlDatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return htmlDate(*t)
}
