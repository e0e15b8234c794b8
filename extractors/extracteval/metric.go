package extracteval

import (
	"regexp"
	"strings"
)

// wordRe is Python's Unicode `\w+` as the benchmark's evaluate.py uses it:
// letters, numbers and the underscore. Combining marks are not word
// characters in Python's re module, so they split tokens here too.
var wordRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// shingleSize is the number of tokens in a shingle.
const shingleSize = 4

// Counts are the true positive, false positive and false negative shingles
// of one page, normalised as the benchmark does so that they add up to 1
// (or are all 0 when both texts are empty): long pages weigh no more than
// short ones.
type Counts struct {
	TP, FP, FN float64
}

// shingles returns the multiset of shingles of text: every run of four
// consecutive `\w+` tokens, or the whole token list when it is shorter.
func shingles(text string) map[string]int {
	tokens := wordRe.FindAllString(text, -1)
	out := make(map[string]int, len(tokens))
	n := max(1, len(tokens)-shingleSize+1)
	for i := 0; i < n; i++ {
		end := min(i+shingleSize, len(tokens))
		if i >= end {
			break
		}
		out[strings.Join(tokens[i:end], "\x00")]++
	}
	return out
}

// Match compares the shingles of the expected text want with those of the
// extracted text got, exactly as the scrapinghub benchmark's
// string_shingle_matching does (case-sensitive).
func Match(want, got string) Counts {
	w, g := shingles(want), shingles(got)
	var c Counts
	for s, gc := range g {
		wc := w[s]
		c.TP += float64(min(gc, wc))
		c.FP += float64(max(0, gc-wc))
	}
	for s, wc := range w {
		c.FN += float64(max(0, wc-g[s]))
	}
	if sum := c.TP + c.FP + c.FN; sum > 0 {
		c.TP, c.FP, c.FN = c.TP/sum, c.FP/sum, c.FN/sum
	}
	return c
}

// Precision is the page's precision as the benchmark defines it.
func (c Counts) Precision() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FP == 0:
		return 0
	}
	return c.TP / (c.TP + c.FP)
}

// Recall is the page's recall as the benchmark defines it.
func (c Counts) Recall() float64 {
	switch {
	case c.FP == 0 && c.FN == 0:
		return 1
	case c.TP == 0 && c.FN == 0:
		return 0
	}
	return c.TP / (c.TP + c.FN)
}

// Summarize returns the benchmark's figures for a set of pages: precision
// averaged over the pages where something was extracted (TP+FP > 0),
// recall averaged over the pages that have expected text (TP+FN > 0), and
// F1, the harmonic mean of the two averages.
func Summarize(pages []Counts) (precision, recall, f1 float64) {
	var sumP, sumR float64
	var nP, nR int
	for _, c := range pages {
		if c.TP+c.FP > 0 {
			sumP += c.Precision()
			nP++
		}
		if c.TP+c.FN > 0 {
			sumR += c.Recall()
			nR++
		}
	}
	if nP > 0 {
		precision = sumP / float64(nP)
	}
	if nR > 0 {
		recall = sumR / float64(nR)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}
