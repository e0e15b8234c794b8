// Package eval scores accordwatch's analysis against a gold file in the
// format of the development corpus (one JSON object per article), exactly as
// the corpus schema defines: stance triples by precision, recall and F1 with
// optional gold items excluded from both sides, the same by polarity, and
// quotes matched by their starting words with attribution accuracy.
package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/accordwatch/accordwatch/extractors/analysis"
	"github.com/accordwatch/accordwatch/extractors/stance"
)

// GoldStance is one labelled stance.
type GoldStance struct {
	Actor      string `json:"actor"`
	Accord     string `json:"accord"`
	Stance     string `json:"stance"`
	Historical bool   `json:"historical"`
	Optional   bool   `json:"optional"`
}

// GoldQuote is one labelled quote.
type GoldQuote struct {
	Speaker    string `json:"speaker"`
	Actor      string `json:"actor"`
	StartsWith string `json:"starts_with"`
	Optional   bool   `json:"optional"`
}

// GoldArticle is one line of the gold file.
type GoldArticle struct {
	ID        string       `json:"id"`
	Published string       `json:"published"`
	Title     string       `json:"title"`
	Text      string       `json:"text"` // path relative to the gold file
	Stances   []GoldStance `json:"stances"`
	Quotes    []GoldQuote  `json:"quotes"`
}

// LoadGold reads a gold file.
func LoadGold(path string) ([]GoldArticle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: opening gold file: %w", err)
	}
	defer f.Close()
	var out []GoldArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g GoldArticle
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("eval: %s line %d: %w", path, line, err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: reading %s: %w", path, err)
	}
	return out, nil
}

// Triple is a scored stance: actor, accord and stance (or polarity).
type Triple struct{ Actor, Accord, Value string }

func (t Triple) String() string { return t.Actor + " " + t.Accord + " " + t.Value }

// ArticleReport lists what went wrong in one article.
type ArticleReport struct {
	ID             string
	MissedStances  []Triple
	SpuriousStance []analysis.Stance
	MissedQuotes   []GoldQuote
	SpuriousQuotes []analysis.Quote
	WrongSpeakers  []string // "quote start: got X, want Y"
}

// Scores are the figures of a run.
type Scores struct {
	StancePrecision float64 `json:"stance_precision"`
	StanceRecall    float64 `json:"stance_recall"`
	StanceF1        float64 `json:"stance_f1"`
	PolarityF1      float64 `json:"polarity_f1"`
	QuotePrecision  float64 `json:"quote_precision"`
	QuoteRecall     float64 `json:"quote_recall"`
	SpeakerAccuracy float64 `json:"speaker_accuracy"`
	Articles        int     `json:"articles"`
	StanceTP        int     `json:"stance_tp"`
	StanceFP        int     `json:"stance_fp"`
	StanceFN        int     `json:"stance_fn"`
	QuoteTP         int     `json:"quote_tp"`
	QuoteFP         int     `json:"quote_fp"`
	QuoteFN         int     `json:"quote_fn"`
	SpeakerCorrect  int     `json:"speaker_correct"`
}

// Run analyses every gold article with an and scores the results.
func Run(ctx context.Context, an *analysis.Analyzer, goldPath string) (Scores, []ArticleReport, error) {
	gold, err := LoadGold(goldPath)
	if err != nil {
		return Scores{}, nil, err
	}
	dir := filepath.Dir(goldPath)
	var c counts
	var reports []ArticleReport
	for _, g := range gold {
		body, err := os.ReadFile(filepath.Join(dir, g.Text))
		if err != nil {
			return Scores{}, nil, fmt.Errorf("eval: article %s: %w", g.ID, err)
		}
		var pub time.Time
		if g.Published != "" {
			if pub, err = time.Parse("2006-01-02", g.Published); err != nil {
				return Scores{}, nil, fmt.Errorf("eval: article %s: published %q: %w", g.ID, g.Published, err)
			}
		}
		res, err := an.Analyze(ctx, analysis.Document{Text: string(body), Published: pub})
		if err != nil {
			return Scores{}, nil, fmt.Errorf("eval: analysing %s: %w", g.ID, err)
		}
		reports = append(reports, c.add(g, res))
	}
	return c.scores(len(gold)), reports, nil
}

type counts struct {
	tp, fp, fn    int
	ptp, pfp, pfn int
	qtp, qfp, qfn int
	spk           int
}

// add scores one article and returns its report.
func (c *counts) add(g GoldArticle, res *analysis.Result) ArticleReport {
	rep := ArticleReport{ID: g.ID}

	// Stances: sets of triples, optional gold items excluded from both sides.
	score := func(value func(string) string, tp, fp, fn *int, report bool) {
		required := map[Triple]bool{}
		optional := map[Triple]bool{}
		for _, s := range g.Stances {
			t := Triple{s.Actor, s.Accord, value(s.Stance)}
			if s.Optional {
				optional[t] = true
			} else {
				required[t] = true
			}
		}
		predicted := map[Triple]bool{}
		for _, s := range res.Stances {
			t := Triple{s.Actor, s.Accord, value(s.Stance)}
			if predicted[t] {
				continue
			}
			predicted[t] = true
			switch {
			case required[t]:
				*tp++
			case optional[t]:
			default:
				*fp++
				if report {
					rep.SpuriousStance = append(rep.SpuriousStance, s)
				}
			}
		}
		for t := range required {
			if !predicted[t] {
				*fn++
				if report {
					rep.MissedStances = append(rep.MissedStances, t)
				}
			}
		}
	}
	score(func(s string) string { return s }, &c.tp, &c.fp, &c.fn, true)
	score(stance.Polarity, &c.ptp, &c.pfp, &c.pfn, false)

	// Quotes: a prediction matches a gold quote when its text starts with
	// starts_with (case and typographic quotes folded).
	usedGold := make([]bool, len(g.Quotes))
	for _, q := range res.Quotes {
		qt := fold(q.Text)
		matched := -1
		for i, gq := range g.Quotes {
			if !usedGold[i] && strings.HasPrefix(qt, fold(gq.StartsWith)) {
				matched = i
				break
			}
		}
		if matched < 0 {
			// a repeat of an already matched quote is not a new match.
			for i, gq := range g.Quotes {
				if strings.HasPrefix(qt, fold(gq.StartsWith)) {
					matched = i
					break
				}
			}
			if matched >= 0 && !g.Quotes[matched].Optional {
				c.qfp++
				rep.SpuriousQuotes = append(rep.SpuriousQuotes, q)
				continue
			}
		}
		if matched < 0 {
			c.qfp++
			rep.SpuriousQuotes = append(rep.SpuriousQuotes, q)
			continue
		}
		usedGold[matched] = true
		gq := g.Quotes[matched]
		if gq.Optional {
			continue
		}
		c.qtp++
		if speakerMatches(q.Speaker, gq.Speaker) {
			c.spk++
		} else {
			rep.WrongSpeakers = append(rep.WrongSpeakers, fmt.Sprintf("%q: got %q, want %q", gq.StartsWith, q.Speaker, gq.Speaker))
		}
	}
	for i, gq := range g.Quotes {
		if !gq.Optional && !usedGold[i] {
			c.qfn++
			rep.MissedQuotes = append(rep.MissedQuotes, gq)
		}
	}
	return rep
}

func (c *counts) scores(n int) Scores {
	p, r, f := prf(c.tp, c.fp, c.fn)
	_, _, pf := prf(c.ptp, c.pfp, c.pfn)
	qp, qr, _ := prf(c.qtp, c.qfp, c.qfn)
	return Scores{
		StancePrecision: p, StanceRecall: r, StanceF1: f, PolarityF1: pf,
		QuotePrecision: qp, QuoteRecall: qr, SpeakerAccuracy: ratio(c.spk, c.qtp),
		Articles: n, StanceTP: c.tp, StanceFP: c.fp, StanceFN: c.fn,
		QuoteTP: c.qtp, QuoteFP: c.qfp, QuoteFN: c.qfn, SpeakerCorrect: c.spk,
	}
}

func prf(tp, fp, fn int) (p, r, f float64) {
	p = ratio(tp, tp+fp)
	r = ratio(tp, tp+fn)
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

var folder = strings.NewReplacer("“", "\"", "”", "\"", "‘", "'", "’", "'", "„", "\"", "«", "\"", "»", "\"", "–", "-", "—", "-")

// fold lower-cases s, folds typographic quotes and collapses white space.
func fold(s string) string {
	s = folder.Replace(strings.ToLower(s))
	s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '\'' })
	return strings.Join(strings.Fields(s), " ")
}

// speakerMatches reports whether a predicted speaker is the gold name or
// its last name.
func speakerMatches(got, want string) bool {
	g, w := fold(got), fold(want)
	if g == "" {
		return false
	}
	if g == w {
		return true
	}
	f := strings.Fields(w)
	return len(f) > 1 && g == f[len(f)-1]
}
